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

    /// Takes the next bar of the stream; returns the steps it completes. Every bar still to come starts at
    /// or after `bar.start`, so ends after it: the bars ending by then are complete.
    mutating func add(_ bar: Bar) -> [Minute] {
        let steps = release(through: bar.start)
        insert(bar)
        return steps
    }

    /// The steps ending at or before `time` (the replay has reached it).
    mutating func release(through time: Timestamp) -> [Minute] {
        guard let first = pending.first, first.end <= time else { return [] }
        var steps: [Minute] = []
        var taken = 0
        while taken < pending.count, pending[taken].end <= time {
            let end = pending[taken].end
            var next = taken
            while next < pending.count, pending[next].end == end { next += 1 }
            steps.append(step(Array(pending[taken..<next]), end: end))
            taken = next
        }
        pending.removeFirst(taken)
        return steps
    }

    /// Every bar still held, as steps (the stream has ended).
    mutating func releaseAll() -> [Minute] {
        guard let last = pending.last else { return [] }
        return release(through: last.end)
    }

    /// A step at `end`, or at the latest step already released when a bar came after it was (only when the
    /// replay was advanced past a bar's end before the bar arrived).
    private mutating func step(_ bars: [Bar], end: Timestamp) -> Minute {
        let time = max(end, released ?? end)
        released = time
        return Minute(time: time, bars: bars)
    }

    /// Keeps `pending` in (end, ticker) order; bars of one length arrive in it already, so this appends.
    private mutating func insert(_ bar: Bar) {
        if let last = pending.last, (last.end, last.ticker) > (bar.end, bar.ticker) {
            let index = pending.firstIndex { ($0.end, $0.ticker) > (bar.end, bar.ticker) }!
            pending.insert(bar, at: index)
        } else {
            pending.append(bar)
        }
    }
}
