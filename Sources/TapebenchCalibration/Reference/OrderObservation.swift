import TapebenchCore
import TapebenchData

/// Which price an order's shortfall is measured from.
public enum ReferenceChoice: String, Sendable, Hashable, CaseIterable {
    /// The open of the first bar starting at or after the decision: where a market order fills under
    /// `market_timing: next_open` (seed), so the fitted slippage is exactly what a replay adds to it.
    case nextOpen = "next-open"
    /// The close of the last bar complete at the decision (the decision bar): `market_timing: same_bar_close`.
    case close
    /// The fill bar's VWAP (the bar's own when the data has it, else (high + low + close) / 3): no market timing
    /// of Tapebench fills there; for comparison with execution reports that use arrival VWAP.
    case arrivalVWAP = "arrival-vwap"
}

/// One order of the log (its fills joined by order id) matched to the recorded bars: the reference price,
/// the implementation shortfall, and the fill bar's facts the slippage models read.
public struct OrderObservation: Sendable, Hashable {
    public var ticker: String
    public var side: OrderSide
    /// Shares of all its fills.
    public var quantity: Int64
    /// Quantity-weighted average price of its fills (statistics, so a Double).
    public var averagePrice: Double
    /// The decision as the minute replay sees it: the decision time (else the first fill's time), floored
    /// to the minute, since agents decide at minute ends.
    public var decisionStep: Timestamp
    /// The bar a replay fills the market order on (the first bar starting at or after `decisionStep`).
    public var fillBar: RecordedBar
    /// The bar before it, when the data has one (the decision bar, and where an order tape submits it).
    public var previousBar: RecordedBar?
    public var reference: Price
    /// (average price − reference) / reference in basis points, positive when the trader paid more (a buy)
    /// or received less (a sell): the cost the slippage models predict.
    public var shortfallBps: Double
    /// The first fill's line in the log, and how many fills it joins.
    public var line: Int
    public var fills: Int
    /// The order's type as the log says (nil: not said, read as market).
    public var orderType: OrderType?

    public init(ticker: String, side: OrderSide, quantity: Int64, averagePrice: Double, decisionStep: Timestamp, fillBar: RecordedBar,
                previousBar: RecordedBar?, reference: Price, shortfallBps: Double, line: Int, fills: Int, orderType: OrderType?) {
        self.ticker = ticker
        self.side = side
        self.quantity = quantity
        self.averagePrice = averagePrice
        self.decisionStep = decisionStep
        self.fillBar = fillBar
        self.previousBar = previousBar
        self.reference = reference
        self.shortfallBps = shortfallBps
        self.line = line
        self.fills = fills
        self.orderType = orderType
    }

    /// q / V of the fill bar (0 when the bar has no volume, where the volume models add nothing).
    public var volumeShare: Double { fillBar.volume > 0 ? Double(quantity) / fillBar.volume : 0 }
    /// The fill bar's range over its open: σ of `sqrt_impact`.
    public var rangeOverOpen: Double {
        fillBar.open.raw > 0 ? Double(fillBar.high.raw - fillBar.low.raw) / Double(fillBar.open.raw) : 0
    }
    /// Minutes from the session's open (09:30 America/New_York) to the fill bar's start.
    public var minuteOfSession: Int {
        Int((EasternTime.local(fillBar.start).secondOfDay - SessionDay.openSecond) / 60)
    }
}

/// Joins fills into orders and matches each to the bars; every fill or order that cannot be matched is one
/// problem (its line and what is wrong), never skipped.
public enum OrderMatching {
    /// How far after the decision the fill bar may start (a gap in the data, not a different minute).
    public static let maximumGapMinutes: Int64 = 5

    public static func observations(_ fills: [ObservedFill], bars: RecordedBars, reference: ReferenceChoice, file: String)
        -> (orders: [OrderObservation], problems: [InputError]) {
        var problems: [InputError] = []
        var good: [ObservedFill] = []
        let calendar = ExchangeCalendar.nyse
        for fill in fills {
            func problem(_ field: String, _ message: String) { problems.append(InputError(file: file, line: fill.line, field: field, message: message)) }
            guard let first = bars.first[fill.ticker], let last = bars.last[fill.ticker] else {
                let known = bars.tickers
                let list = known.prefix(12).joined(separator: ", ") + (known.count > 12 ? ", …" : "")
                problem("ticker", "\(SafeName.quoted(fill.ticker)) has no bars in the data (it holds \(known.isEmpty ? "no bars" : list))")
                continue
            }
            let day = EasternTime.local(fill.time).date
            let firstDay = EasternTime.local(first).date, lastDay = EasternTime.local(last).date
            if day < firstDay || lastDay < day {
                problem("time", "\(fill.time.iso8601) is outside the data's period for \(fill.ticker) (\(firstDay) to \(lastDay), America/New_York dates)")
                continue
            }
            if !calendar.isRegularHours(fill.time) {
                problem("time", "\(fill.time.iso8601) is outside the regular session (09:30–16:00 America/New_York on trading days); Tapebench fills only in regular hours")
                continue
            }
            good.append(fill)
        }
        var orders: [OrderObservation] = []
        for group in joined(good) {
            let head = group[0]
            func problem(_ field: String, _ message: String) { problems.append(InputError(file: file, line: head.line, field: field, message: message)) }
            let decided = group.compactMap(\.decisionTime).min() ?? group.map(\.time).min()!
            let (step, _) = floorDivide(decided.nanoseconds, Timestamp.nanosecondsPerMinute)
            let decisionStep = Timestamp(nanoseconds: step * Timestamp.nanosecondsPerMinute)
            guard let index = bars.firstIndex(head.ticker, atOrAfter: decisionStep),
                  let list = bars.bars[head.ticker],
                  list[index].start.nanoseconds - decisionStep.nanoseconds <= maximumGapMinutes * Timestamp.nanosecondsPerMinute,
                  EasternTime.local(list[index].start).date == EasternTime.local(decisionStep).date else {
                problem("time", "no \(head.ticker) bar within \(maximumGapMinutes) minutes after the decision at \(decisionStep.iso8601)")
                continue
            }
            let bar = list[index]
            let previous = index > 0 ? list[index - 1] : nil
            let referencePrice: Price
            switch reference {
            case .nextOpen: referencePrice = bar.open
            case .arrivalVWAP:
                referencePrice = bar.vwap ?? Fixed(raw: Fixed.divideRoundingHalfEven(bar.high.wide + bar.low.wide + bar.close.wide, 3)!)
            case .close:
                guard let previous, EasternTime.local(previous.start).date == EasternTime.local(bar.start).date else {
                    problem("time", "no \(head.ticker) bar before \(bar.start.iso8601) on that day: the close reference needs the decision bar")
                    continue
                }
                referencePrice = previous.close
            }
            let quantity = group.reduce(Int64(0)) { $0 + $1.quantity }
            let average = group.reduce(0.0) { $0 + $1.price.doubleValue * Double($1.quantity) } / Double(quantity)
            let ref = referencePrice.doubleValue
            let shortfall = Double(head.side.sign) * (average - ref) / ref * 10_000
            orders.append(OrderObservation(ticker: head.ticker, side: head.side, quantity: quantity, averagePrice: average, decisionStep: decisionStep,
                                           fillBar: bar, previousBar: previous, reference: referencePrice, shortfallBps: shortfall,
                                           line: head.line, fills: group.count, orderType: head.orderType))
        }
        problems.sort { ($0.line ?? 0, $0.field ?? "") < ($1.line ?? 0, $1.field ?? "") }
        return (orders, problems)
    }

    /// Fills joined into orders: by order id (with ticker and side) when the log has ids, else one order per
    /// fill; in the order of each order's first line.
    static func joined(_ fills: [ObservedFill]) -> [[ObservedFill]] {
        var groups: [[ObservedFill]] = []
        var position: [String: Int] = [:]
        for fill in fills.sorted(by: { $0.line < $1.line }) {
            guard let id = fill.orderID else { groups.append([fill]); continue }
            let key = "\(id)\u{1F}\(fill.ticker)\u{1F}\(fill.side.rawValue)"
            if let at = position[key] { groups[at].append(fill) } else { position[key] = groups.count; groups.append([fill]) }
        }
        return groups
    }
}
