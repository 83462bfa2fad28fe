import Foundation
import TapebenchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file of an output folder and how to write it to a path that does not exist yet.
public struct OutputFile {
    public var name: String
    var write: (String) throws -> Void

    /// Text rendered when it is written (so that reports are not all held at once).
    public static func text(_ name: String, _ render: @escaping () -> String) -> OutputFile {
        OutputFile(name: name) { try FileSystem.writeNewFile($0, render()) }
    }

    /// A file already written into the staging folder (a run's reports, written side by side): nothing left
    /// to write.
    public static func written(_ name: String) -> OutputFile {
        OutputFile(name: name) { _ in }
    }

    /// A file written by someone else's code (the SQLite database).
    public static func custom(_ name: String, _ write: @escaping (String) throws -> Void) -> OutputFile {
        OutputFile(name: name, write: write)
    }
}

extension OutputFolder {
    /// Replaces the folder with `files`, all or nothing (see the type's rules). An error leaves the
    /// previous folder as it was and no staging folder behind.
    public func replace(with files: [OutputFile]) throws {
        try begin().commit(files)
    }

    /// Starts writing the folder: refuses a path Tapebench must not replace, takes the lock, removes what
    /// interrupted writers left, and creates the staging folder beside the output with the marker in it.
    /// Files are then written into `OutputStaging.path` (streamed, as a run does, or by `commit`), and
    /// published together by `commit`; `abandon` removes them. The lock is held until then.
    public func begin() throws -> OutputStaging {
        try FileSystem.makeFolders(parent)
        _ = try state()  // refuse at once, before waiting for a lock
        let lock = try OutputLock(file: lockFile, output: path, wait: options.wait, waiting: options.waiting)
        do {
            try step(.locked)
            let state = try self.state()  // again: the folder may have changed while this writer waited
            removeLeftovers(current: state)
            try step(.leftoversRemoved)
            let pid = getpid()
            let staging = OutputStaging(folder: self, path: "\(parent)/\(stagingName(pid))", state: state, pid: pid, lock: lock)
            try FileSystem.makeFolder(staging.path)
            do {
                try step(.stagingCreated)
                try FileSystem.writeNewFile(staging.path + "/" + OutputFolder.markerName, OutputFolder.markerText)
                try step(.markerWritten)
            } catch let kill as SimulatedKill {
                staging.die()
                throw kill
            } catch {
                staging.abandon()
                throw named(error, staging: staging.path)
            }
            return staging
        } catch {
            lock.release()
            throw error
        }
    }

    /// An error about a file in the staging folder names it as it would be in the output folder: the
    /// user knows `reports/runs/x/report.html`, not `.x.staging-4242/report.html`.
    func named(_ error: Error, staging: String) -> Error {
        if var failure = error as? FileSystemError, failure.path.hasPrefix(staging) {
            failure.path = path + failure.path.dropFirst(staging.count)
            return failure
        }
        if var failure = error as? InputError, failure.file.hasPrefix(staging) {
            failure.file = path + failure.file.dropFirst(staging.count)
            return failure
        }
        return error
    }

    func step(_ step: OutputStep) throws {
        switch options.faults?(step) ?? .proceed {
        case .proceed: return
        case .fail(let error): throw error
        case .die: throw SimulatedKill(step: step)
        }
    }

    /// Puts the staging folder under the name in one step, then removes the old folder.
    func publish(_ staging: String, over state: State, pid: Int32, published: inout Bool) throws {
        switch state {
        case .absent:
            try FileSystem.move(staging, path)
            published = true
            FileSystem.syncFolder(parent)
            try step(.swapped)
        case .folder:
            if options.allowExchange, try FileSystem.exchange(staging, path) == .done {
                published = true
                FileSystem.syncFolder(parent)
                try step(.swapped)
                try FileSystem.removeTree(staging)  // the old folder, now under the staging name
                try step(.oldRemoved)
            } else {
                try publishVersion(staging, over: nil, pid: pid, published: &published)
            }
        case .versionLink(let current):
            try publishVersion(staging, over: current, pid: pid, published: &published)
        }
    }

    /// The fallback where `RENAME_EXCHANGE` is refused: the name is a symbolic link to `.NAME.vN`, and a
    /// new link renamed over it publishes the next version atomically; the version before stays one more
    /// round, for readers that followed the old link. From a real folder, the first time, the old folder
    /// is moved aside before the link takes its name: the one moment the name is missing (the old
    /// folder stays complete at `.NAME.old-PID` and is put back on an error).
    func publishVersion(_ staging: String, over current: String?, pid: Int32, published: inout Bool) throws {
        let entries = try FileSystem.entries(parent, startingWith: ".\(name).v")
        let number = (entries.compactMap { self.number(in: $0, after: ".\(name).v") }.max() ?? 0) + 1
        let version = versionName(number)
        try FileSystem.move(staging, "\(parent)/\(version)")
        do {
            try step(.versioned)
            let link = "\(parent)/\(linkName(pid))"
            try? FileSystem.removeTree(link)
            try FileSystem.makeLink(link, to: version)
            try step(.linkCreated)
            var aside: String?
            if current == nil {
                aside = "\(parent)/\(asideName(pid))"
                try FileSystem.move(path, aside!)
                do {
                    try step(.movedAside)
                    try FileSystem.move(link, path)
                } catch let kill as SimulatedKill {
                    throw kill
                } catch {
                    try? FileSystem.move(aside!, path)
                    try? FileSystem.removeTree(link)
                    throw error
                }
            } else {
                try FileSystem.move(link, path)
            }
            published = true
            FileSystem.syncFolder(parent)
            try step(.swapped)
            // A reader may have read the old link just before it was replaced and be about to open its
            // target: the previous version stays until the next writer (see `removeLeftovers`).
            if let aside {
                try FileSystem.removeTree(aside)
                try step(.oldRemoved)
            }
        } catch let kill as SimulatedKill {
            throw kill
        } catch {
            if !published {
                try? FileSystem.removeTree("\(parent)/\(version)")
                try? FileSystem.removeTree("\(parent)/\(linkName(pid))")
            }
            throw error
        }
    }

    /// Removes what interrupted writers of this folder left beside it: staging folders, folders moved
    /// aside, temporary links, versions no link points to (the previous one among them), and the
    /// staging names of earlier Tapebench versions. Each only when it is plainly Tapebench's; anything
    /// else is left alone.
    func removeLeftovers(current: State) {
        guard let entries = try? FileSystem.entries(parent, startingWith: ".\(name).") else { return }
        var keep: String?
        if case .versionLink(let target) = current { keep = target }
        for entry in entries where entry != keep {
            let full = "\(parent)/\(entry)"
            if number(in: entry, after: ".\(name).link-") != nil {
                if (try? FileSystem.kind(full)) == .link { try? FileSystem.removeTree(full) }
            } else if number(in: entry, after: ".\(name).staging-") != nil || number(in: entry, after: ".\(name).old-") != nil
                        || isVersionName(entry) || entry == ".\(name).partial" || entry == ".\(name).previous" {
                if OutputFolder.isOwnLeftover(full) { try? FileSystem.removeTree(full) }
            }
        }
    }
}

/// An output folder being written (`OutputFolder.begin`): the lock is held, the staging folder holds the
/// marker and whatever has been written so far. `commit` publishes it in one step; `abandon` removes it.
/// Either releases the lock; so does the end of the process, however it ends (the next writer then
/// removes the staging folder).
public final class OutputStaging {
    public let folder: OutputFolder
    /// The staging folder (`.NAME.staging-PID` beside the output).
    public let path: String
    let state: OutputFolder.State
    let pid: Int32
    private let lock: OutputLock
    private var finished = false

    init(folder: OutputFolder, path: String, state: OutputFolder.State, pid: Int32, lock: OutputLock) {
        self.folder = folder
        self.path = path
        self.state = state
        self.pid = pid
        self.lock = lock
    }

    deinit { if !finished { abandon() } }

    /// A file the caller wrote into the staging folder is complete (the step tests stop at).
    public func wrote(_ name: String) throws { try folder.step(.fileWritten(name)) }

    /// Writes `files`, removes the marker from an unmarked folder, flushes the folder and publishes it in
    /// one step. An error before the publishing step removes the staging folder and leaves the output as
    /// it was; after it, the new folder is in place and the error (a failed clean-up) is not thrown.
    public func commit(_ files: [OutputFile]) throws {
        precondition(!finished, "an output folder is committed or abandoned once")
        finished = true
        defer { lock.release() }
        var published = false
        do {
            for file in files {
                try file.write(path + "/" + file.name)
                try folder.step(.fileWritten(file.name))
            }
            if !folder.marked {
                let marker = path + "/" + OutputFolder.markerName
                guard unlink(marker) == 0 else { throw FileSystem.failure(marker, "cannot remove") }
                try folder.step(.markerRemoved)
            }
            FileSystem.syncFolder(path)
            try folder.publish(path, over: state, pid: pid, published: &published)
        } catch let kill as SimulatedKill {
            throw kill
        } catch {
            // Before publishing, the staging folder is the new one, never published: remove it. After,
            // it holds the old one: removing it is the clean-up that failed, and the report is in place.
            try? FileSystem.removeTree(path)
            if !published { throw folder.named(error, staging: path) }
        }
    }

    /// Removes the staging folder and releases the lock: the output stays as it was.
    public func abandon() {
        guard !finished else { return }
        finished = true
        try? FileSystem.removeTree(path)
        lock.release()
    }

    /// An error about a file in the staging folder, naming the file as it would be in the output folder.
    public func named(_ error: Error) -> Error { folder.named(error, staging: path) }

    /// A simulated kill (tests): nothing is cleaned up, as after a real one; the lock goes with the writer.
    func die() {
        finished = true
        lock.release()
    }
}
