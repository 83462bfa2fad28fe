import TapebenchCore
import TapebenchLedger

/// Keeps every event of a lane as lists: orders in id order (each as it last stood), trades, snapshots and
/// risk events in the order they happened. The lists of a `LaneResult`: memory that grows with the run, for
/// tests and small replays; the run folder streams instead (`TapebenchReports.LaneSink`). Marks are not kept.
public struct InMemoryRecorder: LaneRecorder {
    public private(set) var orders: [Order] = []
    public private(set) var trades: [Trade] = []
    public private(set) var snapshots: [AccountSnapshot] = []
    public private(set) var riskEvents: [RiskEvent] = []
    public private(set) var roundTrips: [RoundTrip] = []

    public init() {}

    public mutating func record(_ event: LaneEvent) {
        switch event {
        case .orderSubmitted(let order): upsert(order)
        case .orderChanged(let order), .orderClosed(let order): upsert(order)
        case let .trade(trade, order):
            trades.append(trade)
            upsert(order)
        case .snapshot(let snapshot): snapshots.append(snapshot)
        case .riskEvent(let event): riskEvents.append(event)
        case .roundTrip(let trip): roundTrips.append(trip)
        case .mark, .signal: break
        }
    }

    /// A lane numbers its orders 1, 2, … as it creates them, so order `id` is at `id − 1` once known.
    private mutating func upsert(_ order: Order) {
        let index = Int(order.id) - 1
        if index < orders.count {
            precondition(orders[index].id == order.id, "a lane's order ids count its orders")
            orders[index] = order
        } else {
            precondition(index == orders.count, "a lane's order ids count its orders")
            orders.append(order)
        }
    }
}
