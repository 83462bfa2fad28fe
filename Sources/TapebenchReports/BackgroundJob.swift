import Foundation

/// One job run on another thread while the caller goes on, or at once on the caller's thread (with one
/// thread for the whole run): `wait` returns when it has ended and throws its error. The caller must wait
/// before it touches what the job writes, and before an error removes the files the job is writing
/// (`waitIgnoringFailure` in a `defer`).
final class BackgroundJob: @unchecked Sendable {  // `failure` is written by the job, read after `group.wait()`
    private let group = DispatchGroup()
    private var failure: Error?
    private var waited = false

    init(onAnotherThread: Bool, _ job: @escaping @Sendable () throws -> Void) {
        guard onAnotherThread else {
            do { try job() } catch { failure = error }
            return
        }
        // A thread of its own rather than the global queue's: the job must start now, not once a worker of
        // a busy pool is free, and the caller's own jobs (`ParallelJobs`) run on that pool meanwhile.
        group.enter()
        let thread = Thread { [self] in
            do { try job() } catch { failure = error }
            group.leave()
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// Waits for the job; throws its error (once: a second wait returns).
    func wait() throws {
        group.wait()
        guard !waited else { return }
        waited = true
        if let failure { throw failure }
    }

    /// Waits for the job, its error dropped (the caller is already throwing another).
    func waitIgnoringFailure() {
        group.wait()
        waited = true
    }
}
