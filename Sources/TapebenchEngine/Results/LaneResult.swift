import TapebenchCore
import TapebenchLedger

/// How one lane (an agent under a fill-model variant) ended: an immutable value that reports, the store
/// and graduation read, with its summary computed once, here.
public struct LaneResult: Sendable {
    public let config: AgentConfig
    /// The fill-model variant's name.
    public let variant: String
    /// The account at the end (positions still open, marked at their last prices).
    public let account: Account
    /// Every order in id order, each with its final status; the trades, daily snapshots and risk events in
    /// the order they happened.
    public let orders: [Order]
    public let trades: [Trade]
    public let snapshots: [AccountSnapshot]
    public let riskEvents: [RiskEvent]
    public let counts: LaneCounts
    public let totals: LaneTotals
    /// The headline figures and statistics, computed once when the lane ended.
    public let summary: AgentSummary

    public init(config: AgentConfig, variant: String, account: Account, recorder: InMemoryRecorder, counts: LaneCounts, totals: LaneTotals) {
        self.config = config
        self.variant = variant
        self.account = account
        orders = recorder.orders
        trades = recorder.trades
        snapshots = recorder.snapshots
        riskEvents = recorder.riskEvents
        self.counts = counts
        self.totals = totals
        summary = AgentSummary(config: config, variant: variant, account: account, dailyEquities: recorder.snapshots.map(\.equity),
                               counts: counts, totals: totals)
    }
}
