import Foundation

/// Where tests put their files: one folder per test process, `tapebench-test-run-PID` in the system's
/// temporary folder, removed when the process exits. Tests made a folder each and left it behind (tens of
/// thousands piled up in /tmp after a few weeks of runs, which also slowed every tool listing /tmp).
/// A process that is killed cannot remove its folder; the next test process removes the folders of
/// processes that no longer run.
public enum TestScratch {
    /// The process's folder, ending in "/" like `NSTemporaryDirectory()`, so `TestScratch.root + "name"`
    /// reads as it did.
    public static let root: String = {
        let parent = NSTemporaryDirectory()
        removeFoldersOfEndedProcesses(in: parent)
        let path = parent + prefix + String(getpid()) + "/"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { removeFolder() }
        return path
    }()

    /// A fresh, empty folder under the process's folder; `name` makes it recognisable while a test runs.
    public static func folder(_ name: String) throws -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = root + "\(safe)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let prefix = "tapebench-test-run-"

    /// Called at exit: `root` was made by then, since only its initialiser registers this.
    private static func removeFolder() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Folders `tapebench-test-run-PID` whose process is gone (`kill(pid, 0)` says no such process).
    private static func removeFoldersOfEndedProcesses(in parent: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: parent + name)
            }
        }
    }
}
