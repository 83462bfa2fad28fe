import TapebenchCore
import TapebenchLedger

/// What graduation reads of one agent under one fill-model variant: its daily closing equities, its closing
/// trades and signals per trading day, and the whole record's win rate, Sharpe, return and counts. A lane
/// that ended gives one (`init(_:)`); so do a run's or paper mode's database rows (`tapebench serve`), so
/// both are judged by the same code.
public struct GraduationRecord: Sendable {
    public var agent: String
    public var variant: String
    public var initialBalance: Money
    /// Each trading day's date and closing equity (the daily snapshots'), in order.
    public var days: [(date: CivilDate, equity: Money)]
    /// Closing trades and wins (realized P&L > 0) per trading day (the America/New_York date of the fill's bar).
    public var closesByDate: [CivilDate: LaneTotals.DayTotals]
    /// Signals generated per trading day.
    public var signalsByDate: [CivilDate: Int]
    /// Winning closes over all closes (0 without any), as `Account.winRate`.
    public var winRate: Double
    /// Annualized Sharpe of the daily returns from the initial balance through each day's equity.
    public var sharpe: Double
    /// Total P&L over the initial balance.
    public var returnFraction: Double
    public var signals: Int
    public var closingTrades: Int

    public init(agent: String, variant: String, initialBalance: Money, days: [(date: CivilDate, equity: Money)],
                closesByDate: [CivilDate: LaneTotals.DayTotals], signalsByDate: [CivilDate: Int], winRate: Double, sharpe: Double,
                returnFraction: Double, signals: Int, closingTrades: Int) {
        self.agent = agent
        self.variant = variant
        self.initialBalance = initialBalance
        self.days = days
        self.closesByDate = closesByDate
        self.signalsByDate = signalsByDate
        self.winRate = winRate
        self.sharpe = sharpe
        self.returnFraction = returnFraction
        self.signals = signals
        self.closingTrades = closingTrades
    }

    /// A lane's record, as it replayed.
    public init(_ lane: LaneOutcome) {
        self.init(agent: lane.config.id, variant: lane.variant, initialBalance: lane.account.initialBalance, days: lane.days,
                  closesByDate: lane.totals.perDay, signalsByDate: lane.counts.signalsByDate, winRate: lane.summary.winRate,
                  sharpe: lane.summary.sharpe, returnFraction: lane.summary.returnFraction, signals: lane.summary.signalsGenerated,
                  closingTrades: lane.summary.trades.closingTrades)
    }

    /// The Sharpe ratio `AgentSummary` reports for these daily equities (from the initial balance).
    public static func sharpe(initialBalance: Money, dailyEquities: [Money]) -> Double {
        Performance.sharpe(dailyReturns: Performance.returns([initialBalance] + dailyEquities))
    }
}
