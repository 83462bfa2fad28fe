import Foundation
import Testing
import TapebenchEngine

/// Jobs shared out among threads come back as if run one after the other: results in job order, the first
/// error in job order, every job run once.
@Suite struct ParallelJobsTests {
    struct Failed: Error, Equatable { var job: Int }

    @Test("results in job order, each job run once, whatever the number of threads", arguments: [1, 2, 3, 8])
    func order(threads: Int) {
        let runs = Counter()
        // Early jobs take longest, so with several threads the later ones end first.
        let results = ParallelJobs.run(12, threads: threads) { job -> Int in
            runs.add()
            if threads > 1 { usleep(UInt32(12 - job) * 200) }
            return job * job
        }
        #expect(results == [0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121])
        #expect(runs.value == 12)
    }

    @Test("the error thrown is the first in job order, though a later job failed first", arguments: [1, 2, 4])
    func firstError(threads: Int) {
        #expect(throws: Failed(job: 3)) {
            try ParallelJobs.run(10, threads: threads) { job throws(Failed) -> Int in
                if job == 3 { usleep(5_000); throw Failed(job: 3) }
                if job == 7 { throw Failed(job: 7) }
                return job
            }
        }
    }

    @Test("no jobs: no results, nothing run")
    func none() {
        #expect(ParallelJobs.run(0, threads: 4) { (job: Int) -> Int in job }.isEmpty)
    }

    final class Counter: @unchecked Sendable {  // `count` under `lock`
        private let lock = NSLock()
        private var count = 0
        func add() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }
}
