import TapebenchCore
import TapebenchData

/// What happens to an order whose ticker has no bar in the minute it could first fill on (Polygon omits a
/// minute without trades; the minute an order could first fill on is the one starting at its decision, or,
/// decided at or after a session's close, the next session's first).
public enum MissingMinutePolicy: Sendable, Hashable {
    /// The reference: the order waits for the ticker's next bar, however late.
    case nextBar
    /// The order waits at most this many minutes past its first minute; then it is cancelled.
    case wait(minutes: Int64)
    /// The order is cancelled when its first minute has no bar (`wait` 0).
    case cancel

    /// Minutes an order may wait past its first minute; nil: no limit.
    var waitMinutes: Int64? {
        switch self {
        case .nextBar: nil
        case .wait(let minutes): minutes
        case .cancel: 0
        }
    }

    /// As a scenario writes it.
    public var text: String {
        switch self {
        case .nextBar: "next_bar"
        case .wait(let minutes): "wait: \(minutes)"
        case .cancel: "cancel"
        }
    }
}

extension LaneState {
    /// Before the minute's bars: an open order that has seen no bar of its ticker yet, whose first minute had
    /// none, is cancelled under a `wait` or `cancel` policy once the minutes it may wait have passed without a
    /// bar (known at this step: the ticker's bar here starts later, or there is none and the last minute
    /// allowed has ended), stamped now; otherwise, when its ticker's first bar is here, late, it is counted
    /// (it is tried on that bar, later than it could have been). Assumes minute bars.
    mutating func applyMissingMinutes(_ minute: Minute, policy: MissingMinutePolicy, calendar: ExchangeCalendar) {
        guard !openOrders.isEmpty else { return }
        // Most steps have no such order: found without copying each open order out of the list (as the loop
        // below does), which every step paid for every open order.
        let time = minute.time
        guard openOrders.contains(where: { $0.eligibleBarsSeen == 0 && $0.submittedAt < time }) else { return }
        var cancelled: [Int64] = []
        var late = 0
        // Each order read in place, and of its ticker's bar only the start: copying the order and the bar out
        // (their texts retained and released) was most of this pass.
        let tickers = windows.tickers
        stepBars.prepare(minute)
        let stepBars = self.stepBars
        // The orders open here were mostly decided at one time (the last step): its first minute once.
        var firstOfLast: (decided: Timestamp, first: Timestamp)?
        openOrders.withUnsafeBufferPointer { orders in
            guard let firstOrder = orders.baseAddress else { return }
            for index in orders.indices {
                let order = firstOrder + index
                guard order.pointee.eligibleBarsSeen == 0, order.pointee.submittedAt < time else { continue }
                let decided = order.pointee.submittedAt
                let first: Timestamp
                if let firstOfLast, firstOfLast.decided == decided {
                    first = firstOfLast.first
                } else {
                    first = Self.firstMinute(after: decided, calendar: calendar)
                    firstOfLast = (decided, first)
                }
                let barStart = Self.barStart(of: order.pointee.ticker, in: minute, tickers: tickers, places: stepBars)
                // The first minute has passed without a bar of the ticker: its bar here starts later, or it had none.
                let firstMissed = barStart.map { $0 > first } ?? (time >= first.adding(minutes: 1))
                guard firstMissed else { continue }
                if let wait = policy.waitMinutes {
                    let last = first.adding(minutes: wait)
                    if barStart.map({ $0 > last }) ?? (time >= last.adding(minutes: 1)) {
                        cancelled.append(order.pointee.id)
                        continue
                    }
                }
                // Its first bar, late: tried on it below.
                if barStart != nil { late += 1 }
            }
        }
        counts.ordersAfterMissingMinute += late
        for id in cancelled {
            let ticker = openOrders.first { $0.id == id }!.ticker
            counts.ordersCancelledMissingMinute += 1
            cancelOpenOrder(id, reason: .missingMinutes(ticker: ticker, waitMinutes: policy.waitMinutes ?? 0))
        }
    }

    /// The step's bar of `ticker`, found by its id in `tickers` (the table the step's bars are numbered in):
    /// compared as integers in place, where comparing texts copied every bar of the step out (112 bytes each).
    static func bar(of ticker: String, in minute: Minute, tickers: TickerTable) -> Bar? {
        guard let index = barIndex(of: ticker, in: minute, tickers: tickers) else { return nil }
        return minute.bars[index]
    }

    /// The start of `bar(of:in:tickers:)`, read in place (no copy of the bar).
    /// `places` finds the bar by its id when made for `minute` (`StepBarIndex`).
    static func barStart(of ticker: String, in minute: Minute, tickers: TickerTable, places: StepBarIndex = StepBarIndex()) -> Timestamp? {
        guard let id = tickers.existingID(for: ticker), let index = places.index(of: id, in: minute) else { return nil }
        return minute.bars.withUnsafeBufferPointer { bars in bars.baseAddress.map { ($0 + index).pointee.start } }
    }

    /// The index in the step's bars of `bar(of:in:tickers:)`.
    private static func barIndex(of ticker: String, in minute: Minute, tickers: TickerTable) -> Int? {
        guard let id = tickers.existingID(for: ticker) else { return nil }
        return minute.index(of: id)
    }

    /// The start of the first bar an order decided at `time` may fill on: that minute inside a session, else
    /// the next session's open.
    static func firstMinute(after time: Timestamp, calendar: ExchangeCalendar) -> Timestamp {
        if calendar.isRegularHours(time) { return time }
        var date = calendar.day(of: time).date
        while true {
            if let session = calendar.regularSession(on: date), session.open >= time { return session.open }
            date = date.adding(days: 1)
        }
    }
}
