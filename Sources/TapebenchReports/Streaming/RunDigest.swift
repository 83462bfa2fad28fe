import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchLedger

/// What report.json, report.md and report.html are built from: the run's facts and, per lane, its outcome
/// (metrics computed once) and the bounded aggregates its `LaneSink` kept while the replay ran. Nothing in
/// it grows with bars, orders or fills; the full lists are in the run folder's CSV files and run.sqlite.
public struct RunDigest: Sendable {
    public var scenario: Scenario
    public var toolVersion: String
    /// The variants' names, in the scenario's order.
    public var fillModels: [String]
    /// Lanes in agent-id order, each agent's variants in the scenario's order.
    public var lanes: [LaneReport]
    public var statistics: ReplayStatistics
    public var quality: DataQualityReport
    /// The buy-and-hold benchmark of the scenario's tickers, day by day (`BenchmarkSeries`, rule there); for
    /// report.html's buy-and-hold line.
    public var benchmark: BenchmarkSeries

    public init(scenario: Scenario, toolVersion: String, fillModels: [String], lanes: [LaneReport], statistics: ReplayStatistics,
                quality: DataQualityReport) {
        self.scenario = scenario
        self.toolVersion = toolVersion
        self.fillModels = fillModels
        self.lanes = lanes
        self.statistics = statistics
        self.quality = quality
        benchmark = statistics.benchmark(initialBalance: scenario.initialBalance)
    }

    public var summaries: [AgentSummary] { lanes.map(\.summary) }
    public var outcomes: [LaneOutcome] { lanes.map(\.outcome) }
    /// The agents' ids, sorted.
    public var agents: [String] { Array(Set(lanes.map(\.config.id))).sorted() }
}

/// One lane for the reports: its outcome, its digest and equity chart, and how its filled orders differ
/// from the base variant's (`VariantComparison`), worked out on disk before the scratch databases went.
public struct LaneReport: Sendable {
    public var outcome: LaneOutcome
    public var digest: LaneDigest
    public var equityChart: EquityChart
    /// Nil for the base variant itself, and when the agent runs under one variant.
    public var againstBase: FillSetDifference?

    public init(outcome: LaneOutcome, digest: LaneDigest, equityChart: EquityChart, againstBase: FillSetDifference? = nil) {
        self.outcome = outcome
        self.digest = digest
        self.equityChart = equityChart
        self.againstBase = againstBase
    }

    public var config: AgentConfig { outcome.config }
    public var variant: String { outcome.variant }
    public var account: Account { outcome.account }
    public var summary: AgentSummary { outcome.summary }

    /// Alpha and beta of the lane's daily returns against `benchmark`'s (nil: fewer than two days, or a
    /// benchmark that did not move).
    public func fit(_ benchmark: BenchmarkSeries) -> BenchmarkFit? { benchmark.fit(outcome.days, initialBalance: account.initialBalance) }

    /// The lane's daily and monthly returns of end-of-day equity.
    public var dailyReturns: [PeriodReturn] { PeriodReturns.daily(equityDays, initial: account.initialBalance.doubleValue) }
    public var monthlyReturns: [PeriodReturn] { PeriodReturns.monthly(equityDays, initial: account.initialBalance.doubleValue) }
    private var equityDays: [(date: CivilDate, equity: Double)] { outcome.days.map { ($0.date, $0.equity.doubleValue) } }
}

/// Orders filled in one lane and not in the other (matched by ticker, side and decision time), and the
/// reference-price P&L of the positions they opened (units of 1e-8, wide).
public struct FillSetDifference: Sendable, Hashable {
    /// Filled under the base variant, not here.
    public var missedOrders: Int
    public var missedPnL: Int128
    /// Filled here, not under the base variant.
    public var addedOrders: Int
    public var addedPnL: Int128

    public init(missedOrders: Int, missedPnL: Int128, addedOrders: Int, addedPnL: Int128) {
        self.missedOrders = missedOrders
        self.missedPnL = missedPnL
        self.addedOrders = addedOrders
        self.addedPnL = addedPnL
    }

    /// Added − missed: what the difference in the set of filled orders is worth at reference prices.
    public var effect: Int128 { addedPnL - missedPnL }
}
