import TapebenchCore

/// Turns the bar stream, in start order (then ticker), into the replay's steps: the bars that end at the
/// same time, in ticker order. For minute bars a step is a minute: every ticker's bar that starts then.
/// A bar is held until it has ended in replay time, so that no agent sees a bar before its end: a bar
/// longer than the others (a 10-minute or a daily bar among minute bars) comes out after the shorter bars
/// that started after it, when the replay reaches its end.
struct StepAssembler: Sendable {
    /// Bars not yet released, in (end, ticker) order.
    private var pending: [Bar] = []
    /// The latest step released: no step after it may end earlier.
    private var released: Timestamp?
    /// Each ticker id's place in name order, when the bars carry ids of one table (`StepIntake` keeps it as
    /// tickers arrive, `tickerAdded`): bars of one end are then ordered by two integers instead of comparing
    /// ticker texts (≈ 1 % of a 200-ticker replay). Bars without such an id are compared by text.
    private var ranks: [UInt32] = []

    /// Takes the next bar of the stream; the steps it completes go to the end of `batch`. Every bar still to
    /// come starts at or after `bar.start`, so ends after it: the bars ending by then are complete.
    mutating func add(_ bar: Bar, into batch: inout StepBatch) {
        release(through: bar.start, into: &batch)
        insert(bar)
    }

    /// The steps ending at or before `time` (the replay has reached it), to the end of `batch`.
    mutating func release(through time: Timestamp, into batch: inout StepBatch) {
        guard let first = pending.first, first.end <= time else { return }
        var taken = 0
        while taken < pending.count, pending[taken].end <= time {
            let end = pending[taken].end
            var next = taken
            while next < pending.count, pending[next].end == end { next += 1 }
            // A step at `end`, or at the latest step already released when a bar came after it was (only when
            // the replay was advanced past a bar's end before the bar arrived).
            let stepTime = max(end, released ?? end)
            released = stepTime
            if taken == 0, next == pending.count {
                // Every held bar is the step (minute bars, the usual case): the step takes the list itself and
                // `pending` the slot's emptied storage, so no bar is copied and destroyed.
                batch.append(time: stepTime, taking: &pending)
                return
            }
            batch.append(time: stepTime, bars: pending[taken..<next])
            taken = next
        }
        pending.removeFirst(taken)
    }

    /// Every bar still held, as steps to the end of `batch` (the stream has ended).
    mutating func releaseAll(into batch: inout StepBatch) {
        guard let last = pending.last else { return }
        release(through: last.end, into: &batch)
    }

    /// Keeps `pending` in (end, ticker) order; bars of one length arrive in it already, so this appends.
    private mutating func insert(_ bar: Bar) {
        if let last = pending.last, comesAfter(last, bar) {
            let index = pending.firstIndex { comesAfter($0, bar) }!
            pending.insert(bar, at: index)
        } else {
            pending.append(bar)
        }
    }

    /// Whether `a` comes after `b` in (end, ticker) order: by the tickers' ranks when both ids have one.
    @inline(__always)
    private func comesAfter(_ a: Bar, _ b: Bar) -> Bool {
        if a.end != b.end { return a.end > b.end }
        let i = a.tickerID.index, j = b.tickerID.index
        if a.tickerID.isAssigned, b.tickerID.isAssigned, i < ranks.count, j < ranks.count { return ranks[i] > ranks[j] }
        return a.ticker > b.ticker
    }

    /// `table` has numbered a new ticker, its last id: its rank among the names, the ranks after it moved up
    /// (a table whose names came in sorted order, the usual case, ranks each by its id, nothing compared).
    /// The bars handed to `add` from then on carry ids of `table`.
    mutating func tickerAdded(to table: TickerTable) {
        let name = table.names[table.count - 1]
        guard ranks.count == table.count - 1 else {
            // Not kept from the table's first name on: every rank anew.
            ranks = table.sortedOrder()
            return
        }
        if table.isSorted {
            ranks.append(UInt32(ranks.count))
            return
        }
        var rank: UInt32 = 0
        for other in table.names.dropLast() where other < name { rank += 1 }
        for i in ranks.indices where ranks[i] >= rank { ranks[i] += 1 }
        ranks.append(rank)
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
        let added = newBars.count
        if count < slots.count, slots[count].bars.capacity <= max(4 * added, 1_024) {
            slots[count].time = time
            swap(&slots[count].bars, &newBars)
            newBars.removeAll(keepingCapacity: true)
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
