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
