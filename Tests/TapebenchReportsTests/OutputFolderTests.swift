import Foundation
import TapebenchTestSupport
import Testing
import TapebenchCore
@testable import TapebenchReports

/// A fresh folder for one test.
func scratchFolder(_ name: String = #function) throws -> String {
    let path = TestScratch.root + "tapebench-reports-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Three report files whose contents all say which version they belong to.
func reportFiles(_ version: String) -> [OutputFile] {
    ["report.json", "report.md", "fills.csv"].map { name in .text(name) { "\(version) \(name)\n" } }
}

/// The version a folder holds when it is complete (every report file present, all of one version, nothing
/// else but the marker); nil when it is missing, partial or mixed.
func completeVersion(_ path: String) -> String? {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
    guard Set(entries).subtracting([OutputFolder.markerName]) == ["report.json", "report.md", "fills.csv"] else { return nil }
    let versions = Set(["report.json", "report.md", "fills.csv"].compactMap { name in
        (try? String(contentsOfFile: "\(path)/\(name)", encoding: .utf8)).flatMap { $0.split(separator: " ").first.map(String.init) }
    })
    return versions.count == 1 && (try? String(contentsOfFile: "\(path)/report.json", encoding: .utf8)) != nil ? versions.first : nil
}

func entries(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}

@Suite("attack: a report replaced in one step, whatever step the writer dies or fails at")
struct OutputFolderReplaceTests {
    /// The steps of a normal write, as the writer reports them.
    func steps(exchange: Bool, over existing: Bool, link: Bool = false) throws -> [OutputStep] {
        let root = try scratchFolder()
        var options = WriteOptions()
        options.allowExchange = exchange
        if existing { try OutputFolder(path: root + "/out", options: options).replace(with: reportFiles("old")) }
        if link { try OutputFolder(path: root + "/out", options: options).replace(with: reportFiles("old")) }
        var seen: [OutputStep] = []
        options.faults = { seen.append($0); return .proceed }
        try OutputFolder(path: root + "/out", options: options).replace(with: reportFiles("new"))
        return seen
    }

    @Test("the writer's steps: lock, clean up, stage with the marker first, write, swap, remove the old")
    func stepList() throws {
        let files: [OutputStep] = [.fileWritten("report.json"), .fileWritten("report.md"), .fileWritten("fills.csv")]
        #expect(try steps(exchange: true, over: true) == [.locked, .leftoversRemoved, .stagingCreated, .markerWritten] + files + [.swapped, .oldRemoved])
        #expect(try steps(exchange: true, over: false) == [.locked, .leftoversRemoved, .stagingCreated, .markerWritten] + files + [.swapped])
        #expect(try steps(exchange: false, over: true) == [.locked, .leftoversRemoved, .stagingCreated, .markerWritten] + files
                + [.versioned, .linkCreated, .movedAside, .swapped, .oldRemoved])
        #expect(try steps(exchange: false, over: true, link: true) == [.locked, .leftoversRemoved, .stagingCreated, .markerWritten] + files
                + [.versioned, .linkCreated, .swapped])
    }

    enum Layout: String, CaseIterable, Sendable { case exchange, firstLink, link }

    /// For every step of every layout, a writer that dies there (no clean-up) or fails there (a full disk):
    /// at every step the name holds the complete old or new report (the one documented exception: the
    /// first move to the link layout, where the old stays complete beside the name); after a failure the
    /// old is intact and nothing is left beside it; the next writer succeeds and leaves no stray folder.
    @Test("kill or fail after each step: the name always holds a complete report, and the next run cleans up",
          arguments: Layout.allCases, [true, false])
    func faultAtEveryStep(layout: Layout, kill: Bool) throws {
        let count = try steps(exchange: layout == .exchange, over: true, link: layout == .link).count
        for index in 0..<count {
            let root = try scratchFolder()
            let out = root + "/out"
            var options = WriteOptions()
            options.allowExchange = layout == .exchange
            try OutputFolder(path: out, options: options).replace(with: reportFiles("old"))
            if layout == .link { try OutputFolder(path: out, options: options).replace(with: reportFiles("old")) }
            #expect(completeVersion(out) == "old")

            var seen: [OutputStep] = []
            var swapped = false
            options.faults = { step in
                seen.append(step)
                if step == .swapped { swapped = true }
                if step == .movedAside {
                    // The one moment of the first move to links: the name is missing, the old is whole beside it.
                    #expect(completeVersion(root + "/.out.old-\(getpid())") == "old")
                } else {
                    #expect(completeVersion(out) == (swapped ? "new" : "old"), "at \(step)")
                }
                guard seen.count - 1 == index else { return .proceed }
                return kill ? .die : .fail(FileSystemError(path: out, action: "cannot write", errno: ENOSPC))
            }
            let failingStep: OutputStep
            do {
                try OutputFolder(path: out, options: options).replace(with: reportFiles("new"))
                failingStep = seen[index]
                #expect(!kill && swapped, "a failure before the swap must be thrown (\(failingStep))")
            } catch let error as SimulatedKill {
                failingStep = error.step
                #expect(kill)
            } catch let error as FileSystemError {
                failingStep = seen[index]
                #expect(!kill && !swapped)
                #expect(error.description == "\(out): cannot write: no space left on the device")
            }
            let afterwards = completeVersion(out)
            if failingStep == .movedAside && kill {
                #expect(afterwards == nil && completeVersion(root + "/.out.old-\(getpid())") == "old")
            } else {
                #expect(afterwards == (swapped ? "new" : "old"), "after \(kill ? "a kill" : "a failure") at \(failingStep)")
            }
            if !kill && !swapped {
                // A failed writer leaves the old report and nothing beside it but the lock file.
                let beside = entries(root).filter { $0 != "out" && !$0.hasPrefix(".out.v") }
                #expect(beside.isEmpty, "after a failure at \(failingStep): \(beside)")
            }

            options.faults = nil
            try OutputFolder(path: out, options: options).replace(with: reportFiles("next"))
            #expect(completeVersion(out) == "next")
            let kept = entries(root).filter { $0 != "out" }
            // Beside the name: nothing, or (link layout) the live version and the one before it.
            let versions = kept.filter { $0.hasPrefix(".out.v") }
            #expect(kept == versions && versions.count <= 2, "stray folders after the next run (step \(failingStep)): \(kept)")
            if !versions.isEmpty {
                #expect(FileSystem.readLink(out).map(versions.contains) == true)
            }
        }
    }

    /// Steps are where a test can stop the writer; between two system calls it cannot. A reader that
    /// looks at the name without pause while the writer replaces it hundreds of times would see the gap
    /// of a two-rename swap (the old writer's: old aside, then new in).
    @Test("a reader polling the name while it is replaced 300 times never finds it missing", arguments: [true, false])
    func neverMissing(exchange: Bool) throws {
        let root = try scratchFolder()
        let out = root + "/out"
        var options = WriteOptions()
        options.allowExchange = exchange
        try OutputFolder(path: out, options: options).replace(with: reportFiles("v0"))
        // Without exchange, the first replacement moves a real folder to the link layout (the one documented gap).
        if !exchange { try OutputFolder(path: out, options: options).replace(with: reportFiles("v0")) }
        let done = ManagedAtomicFlag()
        let misses = ManagedAtomicCounter()
        // The name itself (a folder, or in the link layout a link) must exist at every look. (Following
        // the link is a second lookup, which a reader descheduled for a whole write could lose: the
        // versions a link points to are checked at every step by the fault test above.)
        let reader = Thread {
            var info = stat()
            while !done.isSet {
                if lstat(out, &info) != 0 || info.st_mode & S_IFMT != (exchange ? S_IFDIR : S_IFLNK) { misses.increment() }
            }
        }
        reader.start()
        for version in 1...300 {
            try OutputFolder(path: out, options: options).replace(with: reportFiles("v\(version)"))
        }
        done.set()
        while !reader.isFinished { usleep(1_000) }
        #expect(misses.value == 0)
        #expect(completeVersion(out) == "v300")
    }

    @Test("a versioned link layout stays one: a writer that could exchange publishes a new version too")
    func mixedLayouts() throws {
        let root = try scratchFolder()
        var links = WriteOptions()
        links.allowExchange = false
        try OutputFolder(path: root + "/out", options: links).replace(with: reportFiles("a"))
        try OutputFolder(path: root + "/out", options: links).replace(with: reportFiles("b"))
        #expect(FileSystem.readLink(root + "/out") != nil)
        try OutputFolder(path: root + "/out").replace(with: reportFiles("c"))
        #expect(completeVersion(root + "/out") == "c")
        #expect(FileSystem.readLink(root + "/out") != nil)  // a link stays a link: the exchange writer swaps links too
        #expect(entries(root).filter { $0 != "out" }.count == 2)  // the live version and the one before
    }

    @Test("a baseline folder is written without the marker and recognised by its files")
    func unmarked() throws {
        let root = try scratchFolder()
        try OutputFolder(path: root + "/default", marked: false).replace(with: reportFiles("old"))
        #expect(entries(root + "/default") == ["fills.csv", "report.json", "report.md"])
        try OutputFolder(path: root + "/default", marked: false).replace(with: reportFiles("new"))
        #expect(completeVersion(root + "/default") == "new")
    }
}

/// A flag and a counter shared with a reader thread.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var isSet: Bool { lock.withLock { flag } }
    func set() { lock.withLock { flag = true } }
}

final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
