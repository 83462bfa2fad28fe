import TapebenchCore

/// Keeps a lane's events as stamped lines, for `CausalityCheck`: each order as submitted (not as it ended, which
/// may rest on later bars), each fill, each final status with its time, each risk event. A stop-limit's trigger
/// carries no time of its own and is not kept; the fill it leads to is. Snapshots are left out: a day's is made
/// when the next day starts.
public struct CausalityRecorder: LaneRecorder {
    public struct Event: Sendable, Hashable {
        public var time: Timestamp
        public var text: String
    }

    public private(set) var events: [Event] = []

    public init() {}

    public mutating func record(_ event: LaneEvent) {
        switch event {
        case .orderSubmitted(let o):
            let prices = [o.limitPrice.map { "limit \($0)" }, o.stopPrice.map { "stop \($0)" }].compactMap { $0 }.joined(separator: " ")
            events.append(Event(time: o.submittedAt, text: "order \(o.id) submitted at \(o.submittedAt.iso8601): \(o.side.rawValue) \(o.quantity) "
                                + "\(o.ticker) \(o.type.rawValue)\(prices.isEmpty ? "" : " " + prices) (\(o.purpose))"))
        case .orderChanged:
            return
        case .orderClosed(let o):
            // A filled order's fill is its event; its closing says nothing more.
            guard o.status != .filled else { return }
            let time = o.closedAt ?? o.submittedAt
            events.append(Event(time: time, text: "order \(o.id) \(o.status.rawValue) at \(time.iso8601): \(o.rejectReason ?? "")"))
        case .trade(let trade, _):
            let f = trade.fill
            events.append(Event(time: f.time, text: "fill of order \(f.orderID) at \(f.time.iso8601): \(f.side.rawValue) \(f.quantity) \(f.ticker) at "
                                + "\(f.price) (\(f.rule.rawValue)\(f.ambiguous ? ", ambiguous" : "")), commission \(f.commission)"))
        case .snapshot:
            return
        case .riskEvent(let e):
            events.append(Event(time: e.time, text: "\(e.kind) at \(e.time.iso8601): \(e.detail)"))
        case .signal:
            // Stamped with the bar it was read from, and given at a decision that may come minutes later (a
            // scan every 5th bar reads back), so its stamp says nothing of when it was known; the order it
            // leads to carries the decision's time and is compared.
            return
        case .roundTrip:
            // Follows from the fills and the bars, which are compared already.
            return
        case .mark:
            // Equity each minute follows from the fills and the marks' bars, which are compared already.
            return
        }
    }
}
