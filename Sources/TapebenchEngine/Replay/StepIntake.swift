import TapebenchCore
import TapebenchData

/// The orchestrator's work for each bar read, before any lane: the ticker numbered, the statistics, the
/// regular-hours check, the bar held until its step is complete, the completed steps gathered in a batch.
/// Not generic, unlike `Orchestrator<Clock, Recorder>`: that one is instantiated from other modules (the
/// reports' `LaneSink`), where generic code runs unspecialized, its fields and arrays reached through
/// run-time metadata (once ≈ 7 % of a one-ticker replay) — so the per-bar path lives here.
struct StepIntake: Sendable {
    private(set) var statistics = ReplayStatistics()
    private var assembler = StepAssembler()
    /// The completed steps not yet replayed.
    private(set) var batch = StepBatch()
    /// A batch is full at this many bars (smaller when several batches are held at once, as lanes replay
    /// them side by side: the memory stays that of one full batch).
    var batchBars = replayBatchSize
    /// The local date and session of the bars, computed once per day.
    private var sessions: SessionCache
    /// Numbers every bar's ticker in one table (lanes and statistics index arrays by it).
    private var interner = TickerInterner()

    init(calendar: ExchangeCalendar) { sessions = SessionCache(calendar: calendar) }

    /// The run's tickers, numbered as the bars handed to the lanes are.
    var tickers: TickerTable { interner.table }

    /// Takes the next bar of the stream; returns whether the batch is full (the lanes should replay it).
    mutating func take(_ bar: Bar) -> Bool {
        var bar = bar
        if interner.intern(&bar) { statistics.tickers = interner.table }
        statistics.record(bar)
        guard sessions.isRegularHours(bar.start) else {
            statistics.barsOutsideRegularHours += 1
            return false
        }
        statistics.barsReplayed += 1
        statistics.sample(bar)
        statistics.replayed(bar, date: sessions.local(bar.start).date)
        assembler.add(bar, into: &batch)
        return batch.bars >= batchBars || batch.count >= replayBatchSteps
    }

    /// Takes bars of `stream` (as `take(_:)`) until the batch is full, `limit` bars were taken or the stream
    /// has ended; returns how many it took, whether the batch is full, whether the stream has ended, and the
    /// last bar's start. The loop over a stream's bars lives here, not in the generic orchestrator or runner:
    /// there, every bar went through run-time generic metadata (≈ 2.5 % of a 200-ticker replay).
    mutating func take(from stream: inout any BarStream, limit: Int) throws -> (taken: Int, full: Bool, ended: Bool, lastStart: Timestamp?) {
        var taken = 0
        var lastStart: Timestamp?
        while taken < limit {
            guard let bar = try stream.next() else { return (taken, false, true, lastStart) }
            taken += 1
            lastStart = bar.start
            if take(bar) { return (taken, true, false, lastStart) }
        }
        return (taken, false, false, lastStart)
    }

    /// Every step ending at or before `time` joins the batch.
    mutating func release(through time: Timestamp) { assembler.release(through: time, into: &batch) }

    /// The bars still held join the batch as steps, and the statistics close (the stream has ended).
    mutating func releaseAll() { assembler.releaseAll(into: &batch) }

    mutating func endReplay() { statistics.endReplay() }

    /// The full batch handed over (lanes replay it elsewhere while the next one is gathered): swapped with
    /// `other`, an emptied batch whose storage is refilled in place.
    mutating func exchangeBatch(_ other: inout StepBatch) { swap(&batch, &other) }

    /// The batch has been replayed by every lane: its steps are forgotten, their storage kept.
    mutating func batchReplayed() { batch.removeAll() }
}

/// Bars gathered before the lanes replay them (side by side when there are several lanes).
let replayBatchSize = 20_000
/// At most this many steps in a batch: a lane's events wait in its buffer until the batch is replayed (one
/// mark a step), so a batch of one-bar steps (one ticker) is cut here.
let replayBatchSteps = 1_024
