import TapebenchCore
import TapebenchLedger

/// How one lane (an agent under a fill-model variant) ended, whatever its recorder kept: the final
/// account, the counts and running totals booked as it replayed, each trading day's closing equity, and
/// the summary computed once, here. Memory that grows with trading days only (a few bytes a day), never
/// with bars, orders or fills: what graduation, sweeps, the store and every report read.
public struct LaneOutcome: Sendable {
    public let config: AgentConfig
    /// The fill-model variant's name.
    public let variant: String
    /// The account at the end (positions still open, marked at their last prices).
    public let account: Account
    public let counts: LaneCounts
    public let totals: LaneTotals
    /// Each trading day's date and closing equity (the daily snapshots'), in order.
    public let days: [(date: CivilDate, equity: Money)]
    /// The headline figures and statistics, computed once when the lane ended.
    public let summary: AgentSummary

    public init(config: AgentConfig, variant: String, account: Account, days: [(date: CivilDate, equity: Money)], counts: LaneCounts,
                totals: LaneTotals) {
        self.config = config
        self.variant = variant
        self.account = account
        self.days = days
        self.counts = counts
        self.totals = totals
        summary = AgentSummary(config: config, variant: variant, account: account, dailyEquities: days.map(\.equity),
                               counts: counts, totals: totals)
    }
}
