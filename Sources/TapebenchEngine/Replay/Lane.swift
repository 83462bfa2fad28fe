import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// One agent replayed under one fill-model variant: a lane of the run, with its own account, open orders,
/// bar windows and counters. Lanes share nothing, so they can be replayed side by side and the result does
/// not depend on how they are scheduled. What happens in a lane goes to its recorder as it happens; the
/// lane itself keeps only what it needs to go on (the open orders, not the closed ones).
public struct Lane<Clock: ReplayClock, Recorder: LaneRecorder>: Sendable {
    public let config: AgentConfig
    var agent: any Agent
    /// The fill-model variant's name.
    public let variant: String
    let executor: VirtualExecutor
    public internal(set) var account: Account
    /// Where the lane reads "now"; advanced by the replay before each step.
    public internal(set) var clock: Clock
    public internal(set) var recorder: Recorder
    /// The orders still open, in id order.
    var openOrders: [Order] = []
    /// The equity of each daily snapshot so far (a snapshot's Sharpe and drawdown are over them), and its date.
    var dailyEquities: [Money] = []
    var dailyDates: [CivilDate] = []
    var counts = LaneCounts()
    /// The sums the summary reports, booked with each trade.
    var totals = LaneTotals()
    /// Each ticker's window and bar count, by the replay's ticker ids (`Orchestrator` numbers every bar).
    var windows = TickerWindows()
    var ids = IDSequence()
    var currentDate: CivilDate?
    var sessionEnd: Timestamp?
    var dayStartEquity: Money = .zero
    var peakEquity: Money = .zero
    var entriesBlockedToday = false
    /// The agent's client ids of the orders it placed, to the orders' ids (for cancels), and back.
    var clientOrders: [String: Int64] = [:]
    var orderClients: [Int64: String] = [:]
    /// The trades booked since the agent was last asked (its view's `fills`).
    var tradesSinceDecision: [Trade] = []
    /// Under `exits: resting`: each signal-opened position's resting stop-loss and take-profit, by ticker.
    var brackets: [String: Bracket] = [:]
    /// Under the `backtesting` preset: backtesting.py's order queue and trades per ticker (`Lane+Contingent`).
    var backtesting: BacktestingLaneState
    /// The open entry lots, matched into round trips as fills close them.
    var roundTrips = RoundTripBook()
    /// Set when an amount the lane would hold cannot be represented; the lane replays nothing after it.
    public internal(set) var halt: ReplayHalt?

    init(config: AgentConfig, agent: any Agent, variant: String, executor: VirtualExecutor, account: Account, clock: Clock, recorder: Recorder) {
        self.config = config
        self.agent = agent
        self.variant = variant
        self.executor = executor
        self.account = account
        self.clock = clock
        self.recorder = recorder
        self.backtesting = BacktestingLaneState(broker: executor.model.spec.backtestingBroker,
                                                tradeOnClose: executor.model.spec.marketTiming == .sameBarClose)
    }

    func hasOpenOrder(_ ticker: String, side: OrderSide? = nil) -> Bool {
        openOrders.contains { $0.ticker == ticker && (side == nil || $0.side == side) }
    }
}

extension Lane {
    /// How the lane ended, whatever its recorder kept (call after `Orchestrator.finish`).
    public var outcome: LaneOutcome {
        LaneOutcome(config: config, variant: variant, account: account, days: zip(dailyDates, dailyEquities).map { ($0, $1) },
                    counts: counts, totals: totals)
    }
}

extension Lane where Recorder == InMemoryRecorder {
    /// The lane as it ended, with every event it kept (call after `Orchestrator.finish`).
    public var result: LaneResult { LaneResult(outcome: outcome, recorder: recorder) }
}

/// Why a lane stopped: a price carried its account beyond what it may hold (`Limits.maxAmount`), or its
/// agent failed (`AgentFailure`). The run stops with this one line, naming the bar or the agent.
public struct ReplayHalt: Error, Sendable, Hashable, CustomStringConvertible {
    public var ticker: String
    public var barStart: Timestamp
    public var agent: String
    public var variant: String
    public var reason: String
    public var cause: Cause = .amountOutOfRange

    public enum Cause: Sendable, Hashable {
        /// An amount beyond `Limits.maxAmount`; `reason` says which.
        case amountOutOfRange
        /// The agent failed at the step of `barStart`; `reason` is its `AgentFailure` message.
        case agentFailed
    }

    public var description: String {
        switch cause {
        case .amountOutOfRange:
            "the replay stopped at the \(ticker) bar of \(barStart.iso8601) (agent '\(agent)', fill model '\(variant)'): \(reason)"
        case .agentFailed:
            "agent '\(agent)' (fill model '\(variant)') stopped the replay: \(reason)"
        }
    }
}

/// Run-wide id counters of a lane: orders and trades are numbered in the order they happen.
struct IDSequence: Sendable {
    private var order: Int64 = 0
    private var trade: Int64 = 0

    mutating func nextOrder() -> Int64 { order += 1; return order }
    mutating func nextTrade() -> Int64 { trade += 1; return trade }
}
