import Foundation
import TapebenchCore
import TapebenchData

/// A whole stream through the lanes, the lanes side by side without a barrier per batch (`LaneSchedule`).
extension Orchestrator {
    /// Batches a lane may run ahead of the slowest one. They are held until every lane has replayed them, with
    /// the one being gathered: each is cut at a third of `replayBatchSize` bars, so that the three hold no more
    /// bars than the one batch of a single thread (≈ 2 MB).
    static var pipelineDepth: Int { 2 }

    /// Replays every bar of `stream`, as `process(from:limit:)` called until the stream ends; `progress` hears
    /// the bars read and the last one's start every `mark` bars. Call `finish` after it.
    ///
    /// With one thread, each batch is replayed by every lane in turn. With more, this thread gathers the next
    /// batch while `threads - 1` others (and this one, when `pipelineDepth` batches wait) replay the lanes, each
    /// lane its batches in order, a lane up to `pipelineDepth` batches ahead of another: a thread that
    /// finished a lane takes the earliest batch some lane still has to replay instead of waiting at a barrier.
    /// Every lane replays the same steps in the same order either way, so the result is the same bytes. A lane's
    /// stop (`ReplayHalt`) is thrown as `process` throws it: the first in replay order, before any error the
    /// stream raised after the stop's batch (the batches handed over are replayed to the end first).
    public mutating func replay(from stream: inout any BarStream, progressEvery mark: Int = 50_000,
                                progress: ((_ bars: Int, _ lastStart: Timestamp) -> Void)? = nil) throws {
        // One lane replays on this thread, as before: a second thread would only take the gathering of its
        // batches (a few per cent) and cost a switch per batch. Nor are more threads started than the cores
        // the process may run on (`taskset -c 0`: one): there they only took turns, each with its own malloc
        // arena (≈ 1 MB more at the peak of 3 to 6 lanes).
        let threads = min(threads, cores ?? threads)
        guard threads > 1, lanes.count > 1 else {
            var read = 0
            while true {
                let (count, lastStart, ended) = try process(from: &stream, limit: mark - read % mark)
                read += count
                if count > 0, read % mark == 0, let lastStart { progress?(read, lastStart) }
                if ended { return }
            }
        }
        let schedule = LaneSchedule(lanes: lanes.count, depth: Self.pipelineDepth)
        lastSchedule = schedule
        intake.batchBars = replayBatchSize / (schedule.depth + 1)
        defer { intake.batchBars = replayBatchSize }
        // Moved out while the threads replay them (the intake is used meanwhile), moved back at the end.
        var lanes = self.lanes
        self.lanes = []
        var failure: Error?
        lanes.withUnsafeMutableBufferPointer { buffer in
            let slots = BatchSlots(count: schedule.depth)
            defer { slots.release() }
            let lanes = LanePointer(base: buffer.baseAddress!)
            let settings = self.settings, calendar = self.calendar
            let run = SendableJob { job in
                let slot = slots.base + job.batch % slots.count
                Self.replay(slot.pointee.batch, in: &lanes.base[job.lane], settings: settings, calendar: calendar, tickers: slot.pointee.tickers)
                return lanes.base[job.lane].halt != nil
            }
            let workers = DispatchGroup()
            for _ in 0..<min(threads - 1, buffer.count) {
                workers.enter()
                let thread = Thread {
                    schedule.work(run.job)
                    workers.leave()
                }
                thread.stackSize = 1 << 23
                thread.start()
            }
            do {
                var read = 0
                while !schedule.halted {
                    let (taken, full, ended, lastStart) = try intake.take(from: &stream, limit: mark - read % mark)
                    read += taken
                    if taken > 0, read % mark == 0, let lastStart { progress?(read, lastStart) }
                    if full {
                        schedule.help(until: .room, run.job)
                        let slot = slots.base + schedule.nextSlot
                        slot.pointee.batch.removeAll()
                        intake.exchangeBatch(&slot.pointee.batch)
                        slot.pointee.tickers = intake.tickers
                        schedule.submit()
                    }
                    if ended { break }
                }
            } catch {
                failure = error
            }
            // Every batch handed over is replayed (a stop in one of them comes before the stream's error).
            schedule.help(until: .drained, run.job)
            schedule.stop()
            workers.wait()
        }
        self.lanes = lanes
        lanes = []
        if let halt = firstHalt() { throw halt }
        if let failure { throw failure }
    }
}

/// The batches handed over and the ticker table each was gathered with, in slots the threads read (each
/// slot written only while no lane replays it).
struct BatchSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<(batch: StepBatch, tickers: TickerTable)>
    let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: (StepBatch(), TickerTable()), count: count)
    }

    func release() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

/// A lane job's closure, handed to the worker threads (it touches only its lane and a slot no one writes).
struct SendableJob: @unchecked Sendable {
    let job: (LaneSchedule.Job) -> Bool
}
