import TapebenchCore
import TapebenchEngine
import TapebenchLedger
import TapebenchStore

/// One lane's rows since the last commit, as `PaperDatabase.commit` writes them. Ids follow run.sqlite's
/// scheme (`account × 10⁹ + n`), counted here from the lane's events, so a lane rebuilt from the stored
/// bars after a restart numbers its rows exactly as the first run did.
public final class PaperRecorder: LaneRecorder, @unchecked Sendable {  // one lane, one thread (paper mode replays on one)
    public let account: Int64

    /// A changed order as it now stands, with the sums over its fills and its signal's row.
    struct OrderRow {
        var order: Order
        var signalID: Int64?
        var commission: Money = .zero
        var slippage: Money = .zero
    }

    struct Pending {
        var signals: [(id: Int64, signal: Signal, actedOn: Bool)] = []
        /// By order id: the last state of each order that changed.
        var orders: [Int64: OrderRow] = [:]
        var trades: [(trade: Trade, signalID: Int64?)] = []
        var snapshots: [(id: Int64, snapshot: AccountSnapshot)] = []
        var riskEvents: [(id: Int64, event: RiskEvent)] = []
    }

    private(set) var pending = Pending()
    private var signalCount: Int64 = 0, snapshotCount: Int64 = 0, riskEventCount: Int64 = 0
    /// The signal row the next order came from (an acted-on signal is told just before its order).
    private var actedSignal: Int64?
    /// Open orders as they stand; each leaves when it closes.
    private var open: [Int64: OrderRow] = [:]
    /// Open positions' signal rows (their opening order's), by ticker.
    private(set) var positionSignals: [String: Int64] = [:]
    /// Fills booked so far (a restart checks the rebuilt lane against the stored trades).
    private(set) var trades = 0

    public init(account: Int64) { self.account = account }

    func rowID(_ n: Int64) -> Int64 { account * RunSchema.rowsPerAccount + n }

    public func record(_ event: LaneEvent) {
        switch event {
        case let .signal(signal, actedOn):
            signalCount += 1
            pending.signals.append((rowID(signalCount), signal, actedOn))
            if actedOn { actedSignal = rowID(signalCount) }
        case .orderSubmitted(let order):
            // Only an order placed from a signal has its reason; an agent's own or a stop-loss has none.
            let row = OrderRow(order: order, signalID: order.signal != nil ? actedSignal : nil)
            actedSignal = nil
            open[order.id] = row
            pending.orders[order.id] = row
        case .orderChanged(let order):
            open[order.id, default: OrderRow(order: order)].order = order
            pending.orders[order.id] = open[order.id]
        case .orderClosed(let order):
            var row = open.removeValue(forKey: order.id) ?? OrderRow(order: order)
            row.order = order
            pending.orders[order.id] = row
        case let .trade(trade, order):
            var row = open[order.id] ?? OrderRow(order: order)
            row.order = order
            row.commission += trade.fill.commission
            row.slippage += trade.fill.slippageCost
            open[order.id] = row
            pending.orders[order.id] = row
            pending.trades.append((trade, row.signalID))
            trades += 1
            // A position opened by this fill takes the order's signal; a closed one lets it go.
            if trade.positionAfter == 0 {
                positionSignals[trade.fill.ticker] = nil
            } else if trade.positionAfter == (trade.fill.side == .buy ? trade.fill.quantity : -trade.fill.quantity) {
                positionSignals[trade.fill.ticker] = row.signalID
            }
        case .snapshot(let snapshot):
            snapshotCount += 1
            pending.snapshots.append((rowID(snapshotCount), snapshot))
        case .riskEvent(let event):
            riskEventCount += 1
            pending.riskEvents.append((rowID(riskEventCount), event))
        case .mark, .roundTrip:
            // The seed's tables keep neither the per-minute marks nor round trips (run's round_trips.csv does).
            break
        }
    }

    /// Hands over the rows since the last call, and forgets them.
    func drain() -> Pending {
        defer { pending = Pending() }
        return pending
    }
}
