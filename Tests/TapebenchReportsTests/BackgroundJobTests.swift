import Foundation
import Testing
@testable import TapebenchReports

/// The run's tail runs jobs beside the caller: a job's error reaches the caller, and on one thread it runs
/// at once, where it is created.
@Suite struct BackgroundJobTests {
    struct Failed: Error, Equatable { let code: Int }

    /// A value written by one job and read after `wait`.
    final class Box: @unchecked Sendable { var value = 0 }

    @Test("on another thread: wait returns once the job has ended, and what it wrote is there")
    func waits() throws {
        let box = Box()
        let job = BackgroundJob(onAnotherThread: true) {
            Thread.sleep(forTimeInterval: 0.05)
            box.value = 42
        }
        try job.wait()
        #expect(box.value == 42)
    }

    @Test("the job's error is thrown by wait, once; waitIgnoringFailure drops it", arguments: [true, false])
    func failure(anotherThread: Bool) throws {
        let job = BackgroundJob(onAnotherThread: anotherThread) { throw Failed(code: 7) }
        #expect(throws: Failed(code: 7)) { try job.wait() }
        try job.wait()
        let dropped = BackgroundJob(onAnotherThread: anotherThread) { throw Failed(code: 8) }
        dropped.waitIgnoringFailure()
        try dropped.wait()
    }

    @Test("on the caller's thread: the job has run before the initializer returns")
    func inline() throws {
        let box = Box()
        let job = BackgroundJob(onAnotherThread: false) { box.value = 1 }
        #expect(box.value == 1)
        try job.wait()
    }
}

/// run.sqlite's copy waits at each lane's gate for that lane's files, not for every lane's.
@Suite struct JobGatesTests {
    final class Log: @unchecked Sendable {  // `events` under `lock`
        private let lock = NSLock()
        private var events: [String] = []
        func add(_ event: String) { lock.withLock { events.append(event) } }
        var all: [String] { lock.withLock { events } }
    }

    @Test("a wait returns once its own job has ended, whatever the order the jobs end in")
    func waitsForItsJob() {
        let gates = JobGates(3)
        let log = Log()
        let waiter = BackgroundJob(onAnotherThread: true) {
            for index in 0..<3 {
                gates.wait(index)
                log.add("copied \(index)")
            }
        }
        // Job 1 ends first: nothing is copied until job 0 has ended, then 0 and 1; 2 waits for its own job.
        log.add("ended 1")
        gates.opened(1)
        Thread.sleep(forTimeInterval: 0.02)
        #expect(log.all == ["ended 1"])
        log.add("ended 0")
        gates.opened(0)
        // Waited for (not timed): the waiter has passed gates 0 and 1 and is held at 2.
        var waited = 0.0
        while !log.all.contains("copied 1"), waited < 20 {
            Thread.sleep(forTimeInterval: 0.005)
            waited += 0.005
        }
        Thread.sleep(forTimeInterval: 0.02)
        #expect(log.all == ["ended 1", "ended 0", "copied 0", "copied 1"])
        log.add("ended 2")
        gates.opened(2)
        waiter.waitIgnoringFailure()
        #expect(log.all == ["ended 1", "ended 0", "copied 0", "copied 1", "ended 2", "copied 2"])
    }

    @Test("a gate already open does not wait")
    func alreadyOpen() {
        let gates = JobGates(1)
        gates.opened(0)
        gates.wait(0)
        gates.wait(0)
    }
}

/// run.sqlite's copy, done, waits for the graduation decisions; a run that fails before it knows them tells it
/// none will come, so that the copy's thread ends.
@Suite struct HandoverTests {
    @Test("a waiting job gets the value given on another thread; a second give changes nothing")
    func given() throws {
        let handover = Handover<[Int]>()
        let got = JobGatesTests.Log()
        let waiter = BackgroundJob(onAnotherThread: true) {
            got.add("\(handover.wait() ?? [-1])")
        }
        Thread.sleep(forTimeInterval: 0.02)
        #expect(got.all.isEmpty)
        handover.give([1, 2])
        handover.give([3])
        handover.cancel()
        try waiter.wait()
        #expect(got.all == ["[1, 2]"])
        #expect(handover.wait() == [1, 2])
    }

    @Test("cancelled, before or while a job waits: the wait returns nil", arguments: [true, false])
    func cancelled(beforeWaiting: Bool) throws {
        let handover = Handover<Int>()
        if beforeWaiting { handover.cancel() }
        let got = JobGatesTests.Log()
        let waiter = BackgroundJob(onAnotherThread: true) { got.add("\(handover.wait() ?? -1)") }
        handover.cancel()
        handover.give(5)
        try waiter.wait()
        #expect(got.all == ["-1"])
    }
}
