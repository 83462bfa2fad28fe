import Foundation
import TapebenchCore

/// Independent jobs shared out among threads: each thread takes the next job not yet taken, so a long job
/// does not hold up the others behind it (a fixed share per thread would). A job's result must not depend on
/// the thread that ran it; the results come back in job order, and the error thrown is the first in job order,
/// once every job has ended, so the outcome is the same whatever the number of threads.
public enum ParallelJobs {
    /// Runs `job(0)`, …, `job(count - 1)` on up to `threads` threads (the calling thread one of them); with
    /// one thread (or one job) in order on the calling thread, stopping at the first error.
    @discardableResult
    public static func run<T, Failure: Error>(_ count: Int, threads: Int, _ job: (Int) throws(Failure) -> T) throws(Failure) -> [T] {
        let workers = min(max(threads, 1), count)
        if workers <= 1 {
            var results: [T] = []
            results.reserveCapacity(count)
            for index in 0..<count { results.append(try job(index)) }
            return results
        }
        let slots = Slots<T, Failure>(count)
        withoutActuallyEscaping(job) { job in
            // Every job ends before concurrentPerform returns; each job touches only what its index names.
            let shared = Shared(job)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let index = slots.take() { slots.put(index, Result { () throws(Failure) -> T in try shared.job(index) }) }
            }
        }
        return try slots.values()
    }

    /// The job, handed to the worker threads.
    private struct Shared<T, Failure: Error>: @unchecked Sendable {
        let job: (Int) throws(Failure) -> T
        init(_ job: @escaping (Int) throws(Failure) -> T) { self.job = job }
    }

    /// The next job to take and each job's result: each slot is written by the one thread that took its job,
    /// and read after every thread has ended.
    private final class Slots<T, Failure: Error>: @unchecked Sendable {  // `next` and `results` under `lock`
        private let lock = NSLock()
        private var next = 0
        private var results: [Result<T, Failure>?]

        init(_ count: Int) { results = Array(repeating: nil, count: count) }

        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < results.count else { return nil }
            defer { next += 1 }
            return next
        }

        func put(_ index: Int, _ result: Result<T, Failure>) {
            lock.lock()
            results[index] = result
            lock.unlock()
        }

        func values() throws(Failure) -> [T] {
            var values: [T] = []
            values.reserveCapacity(results.count)
            for result in results { values.append(try result!.get()) }
            return values
        }
    }

    /// The cores this process may run on (its CPU affinity: under `taskset -c 0`, one, though the machine has
    /// more), or nil where the system cannot say.
    public static var coresAvailable: Int? {
        #if canImport(Glibc)
        // glibc's `sched_getaffinity` (a GNU extension Swift's Glibc module leaves out), looked up by name; a
        // set of 1,024 CPUs, as glibc's `cpu_set_t`.
        guard let getAffinity = schedGetAffinity else { return nil }
        var set = [UInt64](repeating: 0, count: 16)
        let ok = set.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) } == 0
        let count = set.reduce(0) { $0 + $1.nonzeroBitCount }
        return ok && count > 0 ? count : nil
        #else
        return nil
        #endif
    }

    #if canImport(Glibc)
    typealias SchedGetAffinity = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32
    static let schedGetAffinity = SystemFunction.named("sched_getaffinity", as: SchedGetAffinity.self)
    #endif
}
