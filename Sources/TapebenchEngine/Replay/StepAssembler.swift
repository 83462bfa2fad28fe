import TapebenchCore

/// Turns the bar stream, in start order (then ticker), into the replay's steps: the bars that end at the
/// same time, in ticker order. For minute bars a step is a minute: every ticker's bar that starts then.
/// A bar is held until it has ended in replay time, so that no agent sees a bar before its end: a bar
/// longer than the others (a 10-minute or a daily bar among minute bars) comes out after the shorter bars
/// that started after it, when the replay reaches its end.
struct StepAssembler: Sendable {
    /// Bars not yet released, in (end, ticker) order.
    private var pending: [Bar] = []
    /// The end of `pending`'s first bar, the earliest, in nanoseconds (`Int64.max` when none is held): whether a
    /// bar taken completes a step is asked of it, without a call to `release` and a look into `pending` for every
    /// bar (most complete none). A plain number, not an optional: set and compared at every bar.
    private var earliestEnd = Int64.max
    /// The latest step released: no step after it may end earlier.
    private var released: Timestamp?
    /// The name order of the ids of one table, when every bar's `tickerID` is an id of it (the intake's): then
    /// two bars' tickers are ordered by their ranks, not by comparing their text (a string compare per bar was
    /// ≈ 0.8 % of a 500-ticker replay). For ids it does not rank, and bars made by hand, by the text.
    var ranks = TickerRanks()

    /// Takes the next bar of the stream; the steps it completes go to the end of `batch`. Every bar still to
    /// come starts at or after `bar.start`, so ends after it: the bars ending by then are complete.
    mutating func add(_ bar: consuming Bar, into batch: inout StepBatch) {
        if earliestEnd <= bar.start.nanoseconds { release(through: bar.start, into: &batch) }
        insert(bar)
    }

    /// The steps ending at or before `time` (the replay has reached it), to the end of `batch`.
    mutating func release(through time: Timestamp, into batch: inout StepBatch) {
        var taken = 0
        // Each step's end and extent read in place: `pending.first` copied a bar out, and each `pending[i]` was
        // a bounds check (a one-bar step, the order tape's, paid them at every bar).
        while let (end, next) = pending.withUnsafeBufferPointer({ Self.step(in: $0, from: taken, through: time) }) {
            // A step at `end`, or at the latest step already released when a bar came after it was (only when
            // the replay was advanced past a bar's end before the bar arrived).
            let stepTime = max(end, released ?? end)
            released = stepTime
            if taken == 0, next == pending.count {
                // Every held bar is the step (minute bars, the usual case): the step takes the list itself and
                // `pending` the slot's emptied storage, so no bar is copied and destroyed.
                batch.append(time: stepTime, taking: &pending)
                earliestEnd = .max
                return
            }
            batch.append(time: stepTime, bars: pending[taken..<next])
            taken = next
        }
        if taken > 0 {
            pending.removeFirst(taken)
            earliestEnd = pending.withUnsafeBufferPointer { $0.isEmpty ? .max : $0[0].end.nanoseconds }
        }
    }

    /// The step whose first bar is `pending[start]`, when it ends by `time`: its end, and the index past its
    /// bars (those ending then).
    @inline(__always)
    private static func step(in pending: UnsafeBufferPointer<Bar>, from start: Int, through time: Timestamp) -> (end: Timestamp, next: Int)? {
        guard start < pending.count else { return nil }
        let end = pending[start].end
        guard end <= time else { return nil }
        var next = start + 1
        while next < pending.count, pending[next].end == end { next += 1 }
        return (end, next)
    }

    /// Every bar still held, as steps to the end of `batch` (the stream has ended).
    mutating func releaseAll(into batch: inout StepBatch) {
        guard let last = pending.last else { return }
        release(through: last.end, into: &batch)
    }

    /// Keeps `pending` in (end, ticker) order; bars of one length arrive in it already, so this appends.
    /// The held bars are compared in place, through their addresses: `pending.last` copied the last bar out
    /// for every bar taken (its ticker's text retained and released).
    private mutating func insert(_ bar: consuming Bar) {
        let place = withUnsafePointer(to: bar) { bar in
            pending.withUnsafeBufferPointer { pending -> Int? in
                // (An empty array may still have an address: its storage kept.)
                guard !pending.isEmpty, let first = pending.baseAddress, comesAfter(first + (pending.count - 1), bar) else { return nil }
                return pending.indices.first { comesAfter(first + $0, bar) }
            }
        }
        // Held in (end, ticker) order: the first bar's end is the least.
        earliestEnd = min(earliestEnd, bar.end.nanoseconds)
        if let place {
            pending.insert(bar, at: place)
        } else {
            pending.append(bar)
        }
    }

    /// Whether the bar at `a` goes after the bar at `b` in a step's order: (end, ticker).
    @inline(__always)
    private func comesAfter(_ a: UnsafePointer<Bar>, _ b: UnsafePointer<Bar>) -> Bool {
        let aEnd = a.pointee.end, bEnd = b.pointee.end
        if aEnd != bEnd { return aEnd > bEnd }
        if let aRank = ranks.rank(a.pointee.tickerID), let bRank = ranks.rank(b.pointee.tickerID) { return aRank > bRank }
        return a.pointee.ticker > b.pointee.ticker
    }
}

extension StepAssembler {
    /// The steps `bar` completes, as new values (tests; the replay fills a `StepBatch`).
    mutating func add(_ bar: Bar) -> [Minute] {
        var batch = StepBatch()
        add(bar, into: &batch)
        return Array(batch.steps)
    }

    /// The steps ending at or before `time`, as new values.
    mutating func release(through time: Timestamp) -> [Minute] {
        var batch = StepBatch()
        release(through: time, into: &batch)
        return Array(batch.steps)
    }

    /// Every bar still held, as steps.
    mutating func releaseAll() -> [Minute] {
        var batch = StepBatch()
        releaseAll(into: &batch)
        return Array(batch.steps)
    }
}

/// The steps gathered before the lanes replay them. Emptied and filled again batch after batch without
/// giving back its storage: each step's bar array is refilled in place (it stays unique once every lane and
/// agent view has let go of it), so a replay in its steady state allocates nothing for its steps.
struct StepBatch: Sendable {
    /// Room for steps: the first `count` are this batch's, the rest kept from earlier batches for their storage.
    private var slots: [Minute] = []
    /// How many steps the batch holds, and how many bars.
    private(set) var count = 0
    private(set) var bars = 0

    var isEmpty: Bool { count == 0 }

    /// The batch's steps, in order.
    var steps: ArraySlice<Minute> { slots[..<count] }

    /// Adds a step at `time` of these bars (in ticker order).
    mutating func append(time: Timestamp, bars newBars: ArraySlice<Bar>) {
        // A slot much larger than its step is let go, so that a few wide steps (every ticker) landing on slots
        // later used by narrow ones cannot keep batch × widest step bars alive.
        if count < slots.count, slots[count].bars.capacity <= max(4 * newBars.count, 1_024) {
            slots[count].time = time
            slots[count].bars.removeAll(keepingCapacity: true)
            slots[count].bars.append(contentsOf: newBars)
        } else if count < slots.count {
            slots[count] = Minute(time: time, bars: Array(newBars))
        } else {
            slots.append(Minute(time: time, bars: Array(newBars)))
        }
        count += 1
        bars += newBars.count
    }

    /// Adds a step at `time` of all of `newBars`, taking them: the step's slot gets the array, and `newBars`
    /// the slot's old storage, emptied. A slot much wider than the step is let go as in `append(time:bars:)`.
    mutating func append(time: Timestamp, taking newBars: inout [Bar]) {
        let added = newBars.count, index = count
        // The slot reached once, in place: each `slots[count]` was a bounds check, and each write a check of
        // the slots' owner too (≈ a quarter of a one-bar step's cost here, on the order tape).
        let reused = index < slots.count && slots.withUnsafeMutableBufferPointer { slots in
            guard let first = slots.baseAddress else { return false }
            let slot = first + index
            guard slot.pointee.bars.capacity <= max(4 * added, 1_024) else { return false }
            slot.pointee.time = time
            swap(&slot.pointee.bars, &newBars)
            return true
        }
        if reused {
            // The slot's old bars (a batch ago's) go here. A few are removed one by one: `removeAll`'s general
            // path cost more than the bars themselves in a replay of one bar a step (a one-ticker order tape).
            if newBars.count <= 4 {
                while !newBars.isEmpty { newBars.removeLast() }
            } else {
                newBars.removeAll(keepingCapacity: true)
            }
        } else {
            let step = Minute(time: time, bars: newBars)
            newBars = []
            if count < slots.count { slots[count] = step } else { slots.append(step) }
        }
        count += 1
        bars += added
    }

    /// Forgets the steps, keeping their storage for the next batch.
    mutating func removeAll() {
        count = 0
        bars = 0
    }
}
