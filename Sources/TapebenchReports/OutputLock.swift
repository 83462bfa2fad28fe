import Foundation
import TapebenchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer at a time per output: an exclusive `flock` on a lock file beside the output folder
/// (`reports/runs/.default.lock`), holding the writer's process id so that a second writer can say who
/// holds it. The kernel releases the lock when the holder exits, however it exits, so a killed run
/// never leaves a stale lock; the file itself stays (deleting a lock file races with its next taker).
/// `flock` belongs to the open file description: two threads with separate descriptors exclude each
/// other as two processes do.
final class OutputLock {
    let file: String
    private var descriptor: Int32

    /// Takes the lock on `file` for the output at `output`. `waiting` is called once, with the holder's
    /// process id when known, before waiting starts.
    init(file: String, output: String, wait: LockWait, waiting: (Int32?) -> Void) throws {
        self.file = file
        descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.failure(file, "cannot create the lock file") }
        do {
            try acquire(output: output, wait: wait, waiting: waiting)
        } catch {
            close(descriptor)
            throw error
        }
        // The holder's pid, for the message a waiting writer shows.
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    private func acquire(output: String, wait: LockWait, waiting: (Int32?) -> Void) throws {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else { throw FileSystem.failure(file, "cannot lock") }
        let holder = OutputLock.holder(descriptor)
        let busy = OutputBusyError(output: output, lockFile: file, holder: holder)
        switch wait {
        case .no:
            throw busy
        case .forever:
            waiting(holder)
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else { throw FileSystem.failure(file, "cannot lock") }
            }
        case .seconds(let limit):
            waiting(holder)
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, limit) * 1e9)
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else { throw FileSystem.failure(file, "cannot lock") }
                guard DispatchTime.now().uptimeNanoseconds < deadline else {
                    throw OutputBusyError(output: output, lockFile: file, holder: OutputLock.holder(descriptor), waitedSeconds: limit)
                }
                usleep(20_000)
            }
        }
    }

    /// The process id written in the lock file, when there is one.
    static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [CChar](repeating: 0, count: 32)
        let n = pread(descriptor, &buffer, buffer.count - 1, 0)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Clears the pid and releases the lock.
    func release() {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// Another Tapebench process is writing the same output.
public struct OutputBusyError: Error, Sendable, CustomStringConvertible {
    public var output: String
    public var lockFile: String
    public var holder: Int32?
    public var waitedSeconds: Double?

    public var description: String {
        let who = holder.map { "process \($0)" } ?? "another process"
        let waited = waitedSeconds.map { " (waited \(formatStatistic($0, digits: 1)) s)" } ?? ""
        return "\(output): \(who) is writing it\(waited); try again when it ends (lock: \(lockFile))"
    }
}
