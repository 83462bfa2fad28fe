import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// What the reports keep of one lane's events in memory, bounded whatever the run's length: counts, the
/// first `listLimit` entries of each list (the rest are in fills.csv, trades.csv and run.sqlite), rejected
/// orders counted by reason, order counts by type and status, the slippage distribution, and at most
/// `markerLimit` fills of each ticker (half buys, half sells), spread evenly over the run, for the price charts, and the first
/// round trips. Built event by event by `LaneSink`.
public struct LaneDigest: Sendable {
    /// Entries of each list report.json shows (orders, trades, rejected orders, snapshots, risk events).
    public static let listLimit = 100
    /// Fills per ticker and lane marked on report.html's price charts, at most.
    public static let markerLimit = 60

    /// A trade and the purpose of its order (`signal_entry`, `stop_loss`, …).
    public struct TradeEntry: Sendable {
        public var trade: Trade
        public var purpose: String
    }

    /// How many orders of one type closed filled, rejected, otherwise (cancelled), and with any fill.
    public struct TypeCounts: Sendable, Hashable {
        public var filled = 0
        public var rejected = 0
        public var other = 0
        public var withFills = 0
        public var total: Int { filled + rejected + other }
    }

    /// Rejected orders of one reason (the reason's code: `buying_power`, `max_positions`, …), with the
    /// first one's full reason as an example.
    public struct ReasonCount: Sendable, Hashable {
        public var reason: String
        public var count: Int
        public var example: String
    }

    /// A fill on a price chart.
    public struct Marker: Sendable, Hashable {
        public var time: Timestamp
        public var price: Price
        public var quantity: Int64
        public var side: OrderSide
    }

    /// A ticker's fills for its chart, buys and sells thinned apart (`Thinned`): one list thinned as a whole
    /// would keep only buys once its stride is even, since an agent's fills often alternate buy, sell.
    public struct Markers: Sendable, Hashable {
        public private(set) var buys = Thinned()
        public private(set) var sells = Thinned()

        mutating func add(_ marker: Marker) {
            if marker.side == .buy { buys.add(marker) } else { sells.add(marker) }
        }

        /// Fills seen.
        public var seen: Int { buys.seen + sells.seen }
        /// Buys and sells kept, in time order (buys first at equal times).
        public var kept: [Marker] {
            var result: [Marker] = []
            result.reserveCapacity(buys.kept.count + sells.kept.count)
            var b = 0, s = 0
            while b < buys.kept.count || s < sells.kept.count {
                if s == sells.kept.count || (b < buys.kept.count && buys.kept[b].time <= sells.kept[s].time) {
                    result.append(buys.kept[b])
                    b += 1
                } else {
                    result.append(sells.kept[s])
                    s += 1
                }
            }
            return result
        }
    }

    /// Fills of one side for a chart: every `stride`-th (the 1st, the (stride+1)-th, …). When more than
    /// `markerLimit / 2` are kept, every other one goes and the stride doubles, so the marks stay spread
    /// over the whole run and depend only on the fills, not on when the thinning happened.
    public struct Thinned: Sendable, Hashable {
        public private(set) var kept: [Marker] = []
        /// Kept fills are those whose 0-based index is a multiple of this.
        public private(set) var stride = 1
        /// Fills seen.
        public private(set) var seen = 0

        mutating func add(_ marker: Marker) {
            if seen % stride == 0 {
                kept.append(marker)
                if kept.count > LaneDigest.markerLimit / 2 {
                    kept = Swift.stride(from: 0, to: kept.count, by: 2).map { kept[$0] }
                    stride *= 2
                }
            }
            seen += 1
        }
    }

    /// Orders with ids 1 … `listLimit`, each as it last stood (every order closes by the end of a replay).
    public private(set) var firstOrders: [Order] = []
    public private(set) var firstTrades: [TradeEntry] = []
    /// The first `listLimit` orders rejected, in the order they were.
    public private(set) var firstRejected: [Order] = []
    public private(set) var firstSnapshots: [AccountSnapshot] = []
    public private(set) var firstRiskEvents: [RiskEvent] = []
    /// The first `listLimit` round trips, in the order they closed (all of them are in round_trips.csv);
    /// for report.html's round-trip list.
    public private(set) var firstRoundTrips: [RoundTrip] = []
    public private(set) var orders = 0
    public private(set) var trades = 0
    public private(set) var snapshots = 0
    public private(set) var riskEvents = 0
    public private(set) var rejected = 0
    public private(set) var lastSnapshot: Timestamp?
    private var rejectedByCode: [String: ReasonCount] = [:]
    /// The code of the last rejections counted, and how many of them in a row are not yet in `rejectedByCode`:
    /// a lane's rejections come in long runs of one code (500 × 26: 155,070 rejections, almost all
    /// `cash_reserve`), and comparing the code with the last one (the same literal) replaces hashing it.
    private var rejectedRun: (code: String, count: Int)?
    private var riskEventsByKind: [String: Int] = [:]
    /// By `slot(of:)`: a dictionary keyed by `OrderType` hashed and compared its raw text twice a closed order
    /// (0.5 % of the 200 × 13 run).
    private var byType = [TypeCounts](repeating: TypeCounts(), count: 4)
    public private(set) var fillsPerTicker: [String: Int] = [:]
    private var markers: [String: Markers] = [:]
    public private(set) var slippage = SlippageHistogram()

    public init() {}

    /// Rejected orders by reason, reasons in order.
    public var rejectedByReason: [ReasonCount] {
        var counts = rejectedByCode
        if let run = rejectedRun { counts[run.code]?.count += run.count }
        return counts.keys.sorted().map { counts[$0]! }
    }
    /// Risk events by kind, kinds in order.
    public var riskEventCounts: [(kind: String, count: Int)] { riskEventsByKind.keys.sorted().map { ($0, riskEventsByKind[$0]!) } }
    public func typeCounts(_ type: OrderType) -> TypeCounts { byType[LaneDigest.slot(of: type)] }

    private static func slot(of type: OrderType) -> Int {
        switch type {
        case .market: 0
        case .limit: 1
        case .stop: 2
        case .stopLimit: 3
        }
    }
    /// The fills in `ticker` kept for its chart (at most `markerLimit`, evenly spread).
    public func markers(_ ticker: String) -> Markers { markers[ticker] ?? Markers() }

    /// The code of a reason: its text up to the first `:` (`buying_power: needs …` → `buying_power`).
    public static func reasonCode(_ reason: String?) -> String { reason.map { OrderReason.text($0).code } ?? "none" }

    mutating func record(_ event: LaneEvent) {
        switch event {
        case .orderSubmitted(let order), .orderChanged(let order): record(openOrder: order)
        case .orderClosed(let order): record(closedOrder: order)
        case let .trade(trade, order): record(trade, order: order)
        case .snapshot(let snapshot): record(snapshot)
        case .riskEvent(let event): record(event)
        case .roundTrip(let trip): record(trip)
        case .mark, .signal: break
        }
    }

    // One method per kind of event (`record(_:)` above), so that `LaneSink` passes each payload where it lies
    // in the lane's batch (`LaneEvents`) instead of a copy of the whole event.

    /// An order submitted, or changed without a fill.
    mutating func record(openOrder order: Order) { keep(order) }

    mutating func record(closedOrder order: Order) {
        keep(order)
        closed(order)
    }

    mutating func record(_ trade: Trade, order: Order) {
        keep(order)
        traded(trade, purpose: order.purpose)
    }

    mutating func record(_ snapshot: AccountSnapshot) {
        snapshots += 1
        lastSnapshot = snapshot.time
        if firstSnapshots.count < LaneDigest.listLimit { firstSnapshots.append(snapshot) }
    }

    mutating func record(_ event: RiskEvent) {
        riskEvents += 1
        riskEventsByKind[event.kind, default: 0] += 1
        if firstRiskEvents.count < LaneDigest.listLimit { firstRiskEvents.append(event) }
    }

    mutating func record(_ trip: RoundTrip) {
        if firstRoundTrips.count < LaneDigest.listLimit { firstRoundTrips.append(trip) }
    }

    /// A lane numbers its orders 1, 2, … as it creates them: order `id` sits at `id − 1`.
    private mutating func keep(_ order: Order) {
        let index = Int(order.id) - 1
        orders = max(orders, index + 1)
        guard index < LaneDigest.listLimit else { return }
        if index < firstOrders.count {
            firstOrders[index] = order
        } else if index == firstOrders.count {
            firstOrders.append(order)
        }
    }

    private mutating func closed(_ order: Order) {
        let slot = LaneDigest.slot(of: order.type)
        switch order.status {
        case .filled: byType[slot].filled += 1
        case .rejected: byType[slot].rejected += 1
        default: byType[slot].other += 1
        }
        if order.filledQuantity > 0 { byType[slot].withFills += 1 }
        guard order.status == .rejected else { return }
        rejected += 1
        // The code without the text (a literal for every kind but `.text`); the text only for a code's first order.
        let code = order.closeReason?.code ?? "none"
        if let run = rejectedRun, run.code == code {
            rejectedRun = (code, run.count + 1)
        } else {
            if let run = rejectedRun { rejectedByCode[run.code]?.count += run.count }
            if rejectedByCode[code] == nil { rejectedByCode[code] = ReasonCount(reason: code, count: 0, example: order.rejectReason ?? "") }
            rejectedRun = (code, 1)
        }
        if firstRejected.count < LaneDigest.listLimit { firstRejected.append(order) }
    }

    private mutating func traded(_ trade: Trade, purpose: String) {
        trades += 1
        if firstTrades.count < LaneDigest.listLimit { firstTrades.append(TradeEntry(trade: trade, purpose: purpose)) }
        let fill = trade.fill
        fillsPerTicker[fill.ticker, default: 0] += 1
        markers[fill.ticker, default: Markers()].add(Marker(time: fill.time, price: fill.price, quantity: fill.quantity, side: fill.side))
        slippage.add(SlippageHistogram.basisPoints(fill))
    }
}
