import Foundation

/// Who replays which lane through which batch when lanes run side by side without a barrier per batch.
///
/// Batches are numbered as they are handed over (`submit`); lane `i` replays them in order, one at a time,
/// so each lane sees exactly the steps it would see alone and its output does not depend on the scheduling.
/// A lane may run up to `depth` batches ahead of the slowest one: a thread that finished a lane's batch takes
/// the earliest batch some lane has not yet replayed (then the lowest lane), instead of waiting for every lane
/// to finish the batch (which left a core idle while the slowest lane of every batch ended). The batches live
/// in `depth` slots (a batch's slot is its number mod `depth`); a slot is free again once every lane has
/// replayed its batch. Not generic: the orchestrator hands over what to run as a closure.
final class LaneSchedule: @unchecked Sendable {  // every field under `condition`
    /// A job: replay batch `batch` (in slot `batch % depth`) in lane `lane`.
    struct Job: Equatable, Sendable {
        var lane: Int
        var batch: Int
    }

    let depth: Int
    private let condition = NSCondition()
    /// Per lane: the number of the next batch it replays, and whether a thread is replaying it now.
    private var next: [Int]
    private var running: [Bool]
    /// Batches handed over so far, and the first one not yet replayed by every lane.
    private var submitted = 0
    private var oldest = 0
    private var stopped = false
    /// Whether a lane has halted (it replays nothing more; the orchestrator then stops handing over batches).
    private var sawHalt = false
    /// What a test (and a measurement) may ask: the most batches a lane was ahead of the slowest one when it
    /// took a job, and how often a worker found nothing to do and waited.
    private var lead = 0
    private var idle = 0
    private var waited: UInt64 = 0

    init(lanes: Int, depth: Int) {
        precondition(lanes > 0 && depth > 0)
        self.depth = depth
        next = Array(repeating: 0, count: lanes)
        running = Array(repeating: false, count: lanes)
    }

    var halted: Bool { locked { sawHalt } }
    /// Whether a slot is free for the next batch.
    var hasRoom: Bool { locked { submitted - oldest < depth } }
    var maxLead: Int { locked { lead } }
    var idleWaits: Int { locked { idle } }
    /// Nanoseconds the threads (the handing-over one included) slept with nothing to take.
    var idleNanoseconds: UInt64 { locked { waited } }
    /// The slot the next batch goes into (free when `hasRoom`).
    var nextSlot: Int { locked { submitted % depth } }

    /// The batch in the next slot is ready: lanes may take it.
    func submit() {
        locked {
            precondition(submitted - oldest < depth, "no free slot")
            submitted += 1
        }
        condition.broadcast()
    }

    /// What the caller of `help` waits for.
    enum Goal {
        /// A free slot for the next batch.
        case room
        /// Every batch handed over replayed by every lane.
        case drained
    }

    /// A worker thread's loop: takes the earliest job ready, runs it with `run` (which returns whether the lane
    /// has halted), until `stop` was called and nothing is left to take.
    func work(_ run: (Job) -> Bool) {
        while let job = take() { finished(job, halted: run(job)) }
    }

    /// The handing-over thread's wait for `goal`: it runs jobs meanwhile (it is one of the replay's threads),
    /// and sleeps only when none is ready.
    func help(until goal: Goal, _ run: (Job) -> Bool) {
        while true {
            condition.lock()
            let reached = switch goal {
            case .room: submitted - oldest < depth
            case .drained: oldest == submitted
            }
            if reached {
                condition.unlock()
                return
            }
            guard let job = takeLocked() else {
                sleepLocked()
                condition.unlock()
                continue
            }
            condition.unlock()
            finished(job, halted: run(job))
        }
    }

    /// No more batches: workers return once every job is done.
    func stop() {
        locked { stopped = true }
        condition.broadcast()
    }

    /// The earliest job ready, taken; nil when none is (a test's single step of `work`).
    func tryTake() -> Job? { locked { takeLocked() } }

    private func take() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let job = takeLocked() { return job }
            if stopped { return nil }
            sleepLocked()
        }
    }

    /// `job` has ended; `halted`: its lane has stopped.
    func finished(_ job: Job, halted: Bool) {
        locked {
            running[job.lane] = false
            next[job.lane] = job.batch + 1
            if halted { sawHalt = true }
            if job.batch == oldest { oldest = next.min()! }
        }
        condition.broadcast()
    }

    private func takeLocked() -> Job? {
        var best: Int?
        for lane in next.indices where !running[lane] && next[lane] < submitted {
            if let current = best, next[current] <= next[lane] { continue }
            best = lane
        }
        guard let lane = best else { return nil }
        running[lane] = true
        lead = max(lead, next[lane] - oldest)
        return Job(lane: lane, batch: next[lane])
    }

    /// Waits for a change (`condition` held), counting the wait.
    private func sleepLocked() {
        let start = DispatchTime.now().uptimeNanoseconds
        condition.wait()
        idle += 1
        waited += DispatchTime.now().uptimeNanoseconds - start
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
