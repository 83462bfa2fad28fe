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
/// never leaves a stale lock. The holder removes the file before it lets go, so that no lock files
/// collect beside outputs; a waiter that then gets the lock on a file no longer at the path tries
/// again on the path (the usual lock-then-check-identity pattern). `flock` belongs to the open file
/// description: two threads with separate descriptors exclude each other as two processes do.
final class OutputLock {
    let file: String
    private var descriptor: Int32 = -1

    /// Takes the lock on `file` for the output at `output`. `waiting` is called once, with the holder's
    /// process id when known, before waiting starts.
    init(file: String, output: String, wait: LockWait, waiting: (Int32?) -> Void) throws {
        self.file = file
        let deadline: UInt64? = if case .seconds(let limit) = wait { DispatchTime.now().uptimeNanoseconds + UInt64(max(0, limit) * 1e9) } else { nil }
        var announced = false
        while true {
            descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw FileSystem.failure(file, "cannot create the lock file") }
            do {
                try acquire(output: output, wait: wait, deadline: deadline) { holder in
                    if !announced { waiting(holder) }
                    announced = true
                }
            } catch {
                close(descriptor)
                descriptor = -1
                throw error
            }
            if isStillAtPath() { break }
            close(descriptor)  // the previous holder removed this file: lock the one at the path now
        }
        // The holder's pid, for the message a waiting writer shows.
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Whether the locked file is the one at the path (same device and inode).
    private func isStillAtPath() -> Bool {
        var locked = stat(), current = stat()
        guard fstat(descriptor, &locked) == 0, stat(file, &current) == 0 else { return false }
        return locked.st_dev == current.st_dev && locked.st_ino == current.st_ino
    }

    private func acquire(output: String, wait: LockWait, deadline: UInt64?, waiting: (Int32?) -> Void) throws {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else { throw FileSystem.failure(file, "cannot lock") }
        let holder = OutputLock.holder(descriptor)
        switch wait {
        case .no:
            throw OutputBusyError(output: output, lockFile: file, holder: holder)
        case .forever:
            waiting(holder)
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else { throw FileSystem.failure(file, "cannot lock") }
            }
        case .seconds(let limit):
            waiting(holder)
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else { throw FileSystem.failure(file, "cannot lock") }
                guard DispatchTime.now().uptimeNanoseconds < deadline! else {
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

    /// Removes the lock file, then releases the lock (in that order: see the type's comment).
    func release() {
        guard descriptor >= 0 else { return }
        if isStillAtPath() { unlink(file) }
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
