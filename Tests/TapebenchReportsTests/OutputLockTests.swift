import Foundation
import Testing
import TapebenchCore
@testable import TapebenchReports

/// Values shared between a test and its writer threads.
final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Two writers of one output (issue 10: two runs of the same scenario at once, and one failed with
/// `SQLite error 10: disk I/O error`). `flock` belongs to an open file description, so two threads that
/// each open the lock file exclude each other exactly as two processes do.
@Suite("attack: two writers of the same output at once")
struct OutputLockTests {
    /// Starts a writer on another thread that takes the lock and holds it until `release` is signalled.
    func holdLock(_ out: String, holding: DispatchSemaphore, release: DispatchSemaphore, finished: DispatchSemaphore) {
        let thread = Thread {
            var options = WriteOptions()
            options.faults = { step in
                if step == .locked {
                    holding.signal()
                    release.wait()
                }
                return .proceed
            }
            try? OutputFolder(path: out, options: options).replace(with: reportFiles("first"))
            finished.signal()
        }
        thread.start()
    }

    @Test("without waiting, the second writer says in one line which process holds the lock, and touches nothing")
    func noWait() throws {
        let root = try scratchFolder()
        let out = root + "/out"
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        holdLock(out, holding: holding, release: release, finished: finished)
        holding.wait()
        #expect(try String(contentsOfFile: root + "/.out.lock", encoding: .utf8) == "\(getpid())\n")
        do {
            try OutputFolder(path: out, options: WriteOptions(wait: .no)).replace(with: reportFiles("second"))
            Issue.record("the second writer did not wait and did not fail")
        } catch let error as OutputBusyError {
            #expect(error.holder == getpid())
            #expect(error.description == "\(out): process \(getpid()) is writing it; try again when it ends (lock: \(root)/.out.lock)")
        }
        do {
            try OutputFolder(path: out, options: WriteOptions(wait: .seconds(0.2))).replace(with: reportFiles("second"))
            Issue.record("the second writer did not time out")
        } catch let error as OutputBusyError {
            #expect(error.description == "\(out): process \(getpid()) is writing it (waited 0.2 s); try again when it ends (lock: \(root)/.out.lock)")
        }
        #expect(entries(root) == [".out.lock"])  // the first writer holds the lock before staging; the second made nothing
        release.signal()
        finished.wait()
        #expect(completeVersion(out) == "first")
        #expect(entries(root) == ["out"])  // released: the lock file is gone with its holder
    }

    @Test("a waiting writer says whom it waits for, then writes after the first, and both reports are whole")
    func waits() throws {
        let root = try scratchFolder()
        let out = root + "/out"
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        holdLock(out, holding: holding, release: release, finished: finished)
        holding.wait()
        let waitedFor = Shared<Int32?>(nil)
        let secondDone = DispatchSemaphore(value: 0)
        let second = Thread {
            var options = WriteOptions()
            options.waiting = { holder in
                waitedFor.value = holder
                release.signal()  // let the first writer go on once the second is waiting
            }
            try? OutputFolder(path: out, options: options).replace(with: reportFiles("second"))
            secondDone.signal()
        }
        second.start()
        finished.wait()
        secondDone.wait()
        #expect(waitedFor.value == getpid())
        #expect(completeVersion(out) == "second")
        #expect(entries(root) == ["out"])
    }

    @Test("eight writers at once: every one finishes, the folder is whole, nothing is left beside it")
    func many() throws {
        let root = try scratchFolder()
        let out = root + "/out"
        let failures = Shared<[String]>([])
        let group = DispatchGroup()
        for index in 0..<8 {
            group.enter()
            Thread {
                do {
                    try OutputFolder(path: out).replace(with: reportFiles("w\(index)"))
                } catch {
                    failures.value.append("\(error)")
                }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(failures.value.isEmpty)
        #expect(completeVersion(out)?.hasPrefix("w") == true)
        #expect(entries(root) == ["out"])
    }
}
