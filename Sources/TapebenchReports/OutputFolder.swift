import Foundation
import TapebenchCore

/// A folder Tapebench writes as a whole (a run's reports, a sweep, a baseline), and the rules that keep
/// it from ever destroying what it did not write:
///
/// - **Only its own folders are replaced.** Every folder Tapebench writes carries a marker file,
///   `.tapebench-run`. An existing folder is replaced only when it is empty, or holds nothing but files
///   Tapebench writes (the report files, the marker) and either the marker or a `report.json` /
///   `sweep.csv` (how folders written before the marker, and baselines, are recognised). Anything
///   else (a file, a folder holding a user's files, a symbolic link Tapebench did not make) is refused
///   with one line, and nothing is touched.
/// - **Replaced in one step.** The new folder is written beside the old one (`.NAME.staging-PID`) and
///   swapped with it by `renameat2(RENAME_EXCHANGE)`: at every instant the name holds the complete old
///   or the complete new folder. Where the file system refuses the exchange, the name becomes a
///   symbolic link to a versioned folder (`.NAME.v3`), and a new version is published by renaming a
///   new link over the old one, which is atomic everywhere (the previous version is kept until the next
///   write, for a reader that followed the old link); only the first change, from a real folder to the
///   link, leaves the name missing between two renames (the old folder stays complete beside it).
/// - **One writer at a time.** An exclusive lock on `.NAME.lock` beside the folder while it is written
///   (see `OutputLock`).
///   Staging folders a killed writer left behind are removed by the next writer, under the lock.
public struct OutputFolder {
    public static let markerName = ".tapebench-run"
    static let markerText = "tapebench output folder, format 1\n"

    /// Every file Tapebench writes into an output folder, of any kind.
    public static let knownFiles: Set<String> = [
        "report.md", "report.html", "report.json", "fills.csv", "trades.csv", "equity.csv", "round_trips.csv", "returns.csv", "run.sqlite",
        "graduation.json", "graduation.md", "sweep.csv", "sweep.svg", "sweep-heatmap.svg",
        // tapebench calibrate (CalibrationReport.fileNames)
        "calibration.md", "calibration.json", "residuals-by-size.svg", "residuals-by-time.svg", "fill-models.yaml", "orders.csv", "replay.yaml",
        "shard.json", "sweep-results.json", "check-results.json", "junit.xml", "summary.md",  // shards and merge
    ]
    /// Without the marker, one of these must be present for a folder to count as Tapebench's.
    static let primaryFiles: Set<String> = ["report.json", "sweep.csv"]
    /// What an operating system leaves in a folder someone looked at (Finder).
    static let ignorable: Set<String> = [".DS_Store"]

    /// The folder, as given (without a trailing `/`).
    public let path: String
    /// The folder it is in ("." for a bare name), and its own name.
    public let parent: String
    public let name: String
    /// Whether the marker stays in the written folder. Baselines are not marked: they are committed to
    /// version control, where a hidden file in every baseline is noise; they are recognised by content.
    public var marked: Bool
    public var options: WriteOptions

    /// `path` must name a folder: not empty, not `/`, not ending in `.` or `..`.
    public init(path: String, marked: Bool = true, options: WriteOptions = WriteOptions()) throws {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let components = trimmed.split(separator: "/", omittingEmptySubsequences: true)
        guard let last = components.last, last != ".", last != ".." else {
            throw InputError(file: path.isEmpty ? "''" : path,
                             message: "is not a folder Tapebench can write its outputs into; name a folder of its own, such as reports/runs/NAME")
        }
        self.path = trimmed
        name = String(last)
        let above = FileSystem.split(trimmed).folder
        parent = above.isEmpty ? "." : above
        self.marked = marked
        self.options = options
    }

    var lockFile: String { "\(parent)/.\(name).lock" }

    // MARK: - Whose is it

    /// What is at the path now, when Tapebench may replace it.
    enum State: Equatable {
        case absent
        case folder
        /// A symbolic link to a versioned folder (the fallback layout), with the link's target.
        case versionLink(String)
    }

    /// Refuses, with one line, a path Tapebench must not replace (a command calls it before its replay,
    /// so that a refusal comes at once; `replace` checks again under the lock).
    public func checkReplaceable() throws {
        _ = try state()
    }

    func state() throws -> State {
        switch try FileSystem.kind(path) {
        case .missing:
            return .absent
        case .folder:
            if let problem = try OutputFolder.foreignContent(path) { throw ForeignOutputError(path: path, reason: problem) }
            return .folder
        case .link:
            guard let target = FileSystem.readLink(path), isVersionName(target),
                  try FileSystem.kind("\(parent)/\(target)") == .folder,
                  try OutputFolder.foreignContent("\(parent)/\(target)") == nil else {
                throw ForeignOutputError(path: path, reason: "is a symbolic link Tapebench did not make")
            }
            return .versionLink(target)
        case .file:
            throw ForeignOutputError(path: path, reason: "is a file, not a folder")
        case .other:
            throw ForeignOutputError(path: path, reason: "is not a folder")
        }
    }

    /// Why the folder's content is not Tapebench's, or nil when it is (or it is empty).
    static func foreignContent(_ folder: String) throws -> String? {
        let entries = try FileSystem.entries(folder).filter { !ignorable.contains($0) }
        if entries.isEmpty { return nil }
        for entry in entries {
            guard entry == markerName || knownFiles.contains(entry) else {
                return "holds \(SafeName.quoted(entry)), which Tapebench did not write"
            }
            guard try FileSystem.kind(folder + "/" + entry) == .file else {
                return "holds \(SafeName.quoted(entry)), which is not a file Tapebench wrote"
            }
        }
        if entries.contains(markerName) || !primaryFiles.isDisjoint(with: entries) { return nil }
        return "holds no \(markerName) marker and no report.json, so Tapebench did not write it"
    }

    /// A leftover of an interrupted writer is removed only when it is plainly Tapebench's: it holds the
    /// marker (written first into every staging folder), or passes the content rule.
    static func isOwnLeftover(_ folder: String) -> Bool {
        guard (try? FileSystem.kind(folder)) == .folder else { return false }
        if (try? FileSystem.kind(folder + "/" + markerName)) == .file { return true }
        do { return try foreignContent(folder) == nil } catch { return false }
    }

    // MARK: - Names beside the folder

    func stagingName(_ pid: Int32) -> String { ".\(name).staging-\(pid)" }
    func asideName(_ pid: Int32) -> String { ".\(name).old-\(pid)" }
    func linkName(_ pid: Int32) -> String { ".\(name).link-\(pid)" }
    func versionName(_ number: Int) -> String { ".\(name).v\(number)" }

    /// `.NAME.vN` exactly (another output's name may extend this one's: `a` and `a.v2`).
    func isVersionName(_ entry: String) -> Bool { number(in: entry, after: ".\(name).v") != nil }

    func number(in entry: String, after prefix: String) -> Int? {
        guard entry.hasPrefix(prefix) else { return nil }
        let rest = entry.dropFirst(prefix.count)
        guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(rest)
    }
}

/// How a writer behaves around the lock, and hooks for tests.
public struct WriteOptions {
    /// How long to wait for another writer of the same output.
    public var wait: LockWait = .forever
    /// Called once, with the other writer's process id when known, before waiting for it.
    public var waiting: (Int32?) -> Void = { _ in }
    /// False makes the writer use the symbolic-link layout as on a file system that refuses
    /// `RENAME_EXCHANGE` (for tests of that path).
    public var allowExchange = true
    /// Called after each step of the writer; a test answers with a failure or a simulated kill.
    public var faults: ((OutputStep) -> FaultAction)?

    public init(wait: LockWait = .forever) { self.wait = wait }
}

public enum LockWait: Sendable, Equatable {
    case forever
    case seconds(Double)
    case no
}

/// The steps of writing an output folder, in order (the link steps only on the fallback layout).
public enum OutputStep: Hashable, Sendable, CustomStringConvertible {
    case locked, leftoversRemoved, stagingCreated, markerWritten
    case fileWritten(String)
    case markerRemoved, versioned, linkCreated, movedAside, swapped, oldRemoved

    public var description: String {
        if case .fileWritten(let name) = self { return "wrote \(name)" }
        return "\(self)".components(separatedBy: ".").last ?? "\(self)"
    }
}

public enum FaultAction: Sendable {
    case proceed
    /// Throw this error here, as a failing disk would (the writer cleans up).
    case fail(any Error)
    /// Stop here as a killed process would: no clean-up, the lock released by the kernel.
    case die
}

/// Thrown out of a writer whose fault hook answered `.die`.
public struct SimulatedKill: Error, Sendable {
    public var step: OutputStep
}

/// An existing path Tapebench did not write, which it therefore will not replace.
public struct ForeignOutputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String {
        "\(path): \(reason); Tapebench replaces only folders it wrote: choose another output folder, or move this one away"
    }
}
