import TapebenchCore
import TapebenchLedger

/// A lane's outcome with every event kept in memory (`InMemoryRecorder`): for tests and for library users
/// replaying small runs. The run folder streams its events to files instead and keeps only the outcome.
public struct LaneResult: Sendable {
    public let outcome: LaneOutcome
    /// Every order in id order, each with its final status; the trades, daily snapshots and risk events in
    /// the order they happened.
    public let orders: [Order]
    public let trades: [Trade]
    public let snapshots: [AccountSnapshot]
    public let riskEvents: [RiskEvent]
    /// The round trips in the order they closed.
    public let roundTrips: [RoundTrip]

    public init(outcome: LaneOutcome, recorder: InMemoryRecorder) {
        self.outcome = outcome
        orders = recorder.orders
        trades = recorder.trades
        snapshots = recorder.snapshots
        riskEvents = recorder.riskEvents
        roundTrips = recorder.roundTrips
    }

    public var config: AgentConfig { outcome.config }
    public var variant: String { outcome.variant }
    public var account: Account { outcome.account }
    public var counts: LaneCounts { outcome.counts }
    public var totals: LaneTotals { outcome.totals }
    public var summary: AgentSummary { outcome.summary }
}
