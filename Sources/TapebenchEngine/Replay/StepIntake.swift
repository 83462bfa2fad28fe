import TapebenchCore
import TapebenchData

/// The orchestrator's work for each bar read, before any lane: the ticker numbered, the statistics, the
/// regular-hours check, the bar held until its step is complete, the completed steps gathered in a batch.
/// Not generic, unlike `Orchestrator<Clock, Recorder>`: that one is instantiated from other modules (the
/// reports' `LaneSink`), where generic code runs unspecialized, its fields and arrays reached through
/// run-time metadata (once ≈ 7 % of a one-ticker replay) — so the per-bar path lives here.
struct StepIntake: Sendable {
    /// The statistics, with the run's tickers.
    var statistics: ReplayStatistics {
        var statistics = counted
        statistics.tickers = interner.table
        return statistics
    }
    /// The statistics without their table of tickers: kept in it, the table was shared, and each new ticker
    /// copied all of it (names and index) when the interner added it — quadratic in a run of all tickers.
    private var counted = ReplayStatistics()
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
    /// Bars read from the stream and not yet taken.
    private var chunk = BarChunk()

    /// The last bar's start and its `regularDate(of:)`: the calendar's answers for every bar of a minute (one bar
    /// per ticker starts there), asked once per minute, not twice per bar.
    private var lastMinute: (start: Timestamp, date: CivilDate?)?

    init(calendar: ExchangeCalendar) { sessions = SessionCache(calendar: calendar) }

    /// The local date of a bar starting at `start` (`SessionCache.local`) when it is in regular hours
    /// (`SessionCache.isRegularHours`); nil outside them.
    @inline(__always)
    private mutating func regularDate(of start: Timestamp) -> CivilDate? {
        if let lastMinute, lastMinute.start == start { return lastMinute.date }
        // The day's span looked at once (`isRegularHours` then `local` looked twice): with one bar a minute
        // (a one-ticker tape) every bar comes here.
        let local = sessions.local(start)
        let date = sessions.isRegularInCurrentDay(secondOfDay: local.secondOfDay) ? local.date : nil
        lastMinute = (start, date)
        return date
    }

    /// The run's tickers, numbered as the bars handed to the lanes are.
    var tickers: TickerTable { interner.table }

    /// Takes the next bar of the stream; returns whether the batch is full (the lanes should replay it).
    /// The bar is moved, not copied, into the step it joins.
    mutating func take(_ bar: consuming Bar) -> Bool {
        if interner.intern(&bar) { assembler.ranks.add(newestOf: interner.table.names) }
        let date = regularDate(of: bar.start)
        // Read in place: passing the bar to each count copied it (112 bytes) each time.
        withUnsafePointer(to: bar) { counted.read($0, regularDate: date) }
        guard date != nil else { return false }
        assembler.add(bar, into: &batch)
        return batch.bars >= batchBars || batch.count >= replayBatchSteps
    }

    /// Takes bars of `stream` (as `take(_:)`) until the batch is full, `limit` bars were taken or the stream
    /// has ended; returns how many it took, whether the batch is full, whether the stream has ended, and the
    /// last bar's start. The loop over a stream's bars lives here, not in the generic orchestrator or runner:
    /// there, every bar went through run-time generic metadata (≈ 2.5 % of a 200-ticker replay).
    /// The stream hands its bars over a chunk at a time (`BarStream.read(into:)`), each moved from the chunk
    /// into its step; bars read and not yet taken wait in the chunk for the next call (the same stream).
    mutating func take(from stream: inout any BarStream, limit: Int) throws -> (taken: Int, full: Bool, ended: Bool, lastStart: Timestamp?) {
        if !isKnownUniquelyReferenced(&chunk) { chunk = chunk.copy() }
        let chunk = self.chunk
        var taken = 0
        var lastStart: Timestamp?
        while taken < limit {
            if chunk.isEmpty {
                guard try chunk.refill(from: &stream) else { return (taken, false, true, lastStart) }
            }
            let bar = chunk.take()
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

    mutating func endReplay() { counted.endReplay() }

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

/// Bars a stream has read and the intake has not taken yet, in memory of its own: each bar is moved out as
/// it is taken (no copy, no retain of its ticker's text). Copied only when an intake holding it was copied
/// and then read from (`StepIntake.take(from:limit:)`).
final class BarChunk: @unchecked Sendable {  // used by one intake at a time, copied before a shared one is changed
    static let capacity = 256
    private let base = UnsafeMutablePointer<Bar>.allocate(capacity: BarChunk.capacity)
    /// The bars at `position..<end` are initialized.
    private var position = 0
    private var end = 0

    var isEmpty: Bool { position == end }

    deinit {
        base.advanced(by: position).deinitialize(count: end - position)
        base.deallocate()
    }

    /// A chunk with copies of the bars this one holds.
    func copy() -> BarChunk {
        let other = BarChunk()
        other.base.initialize(from: base + position, count: end - position)
        other.end = end - position
        return other
    }

    /// Reads the stream's next bars (the chunk is empty); false when the stream has ended.
    func refill(from stream: inout any BarStream) throws -> Bool {
        position = 0
        end = 0
        end = try stream.read(into: UnsafeMutableBufferPointer(start: base, count: BarChunk.capacity))
        return end > 0
    }

    /// The next bar, moved out (the chunk is not empty).
    @inline(__always)
    func take() -> Bar {
        defer { position += 1 }
        return (base + position).move()
    }
}
