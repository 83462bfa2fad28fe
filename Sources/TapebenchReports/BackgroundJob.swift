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

/// One gate per job, opened when the job has ended: another thread waits at a job's gate before it reads
/// what the job wrote (run.sqlite's copy of a lane waits for that lane's files only, not for every lane's).
final class JobGates: @unchecked Sendable {  // `open` under `condition`
    private let condition = NSCondition()
    private var open: [Bool]

    init(_ count: Int) { open = Array(repeating: false, count: count) }

    /// Job `index` has ended (well or not).
    func opened(_ index: Int) {
        condition.lock()
        open[index] = true
        condition.unlock()
        condition.broadcast()
    }

    /// Returns once job `index` has ended.
    func wait(_ index: Int) {
        condition.lock()
        defer { condition.unlock() }
        while !open[index] { condition.wait() }
    }
}

/// A value one thread hands to another once it is known: `wait` returns it, or nil when the giver gave up
/// (`cancel`: the run failed before it knew the value), so that a waiting job always ends.
final class Handover<Value>: @unchecked Sendable {  // `value` and `settled` under `condition`
    private let condition = NSCondition()
    private var value: Value?
    private var settled = false

    /// Hands `value` over (once: a later `give` or `cancel` changes nothing).
    func give(_ value: Value) { settle(value) }

    /// No value will come: `wait` returns nil.
    func cancel() { settle(nil) }

    /// Returns the value once it is given, or nil once cancelled.
    func wait() -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while !settled { condition.wait() }
        return value
    }

    private func settle(_ value: Value?) {
        condition.lock()
        if !settled {
            self.value = value
            settled = true
        }
        condition.unlock()
        condition.broadcast()
    }
}
