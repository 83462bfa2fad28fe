import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// One agent replayed under one fill-model variant: a lane of the run, with its own account, orders,
/// bar windows and counters. Lanes share nothing, so they can be replayed side by side and the result
/// does not depend on how they are scheduled.
public struct AgentRun: Sendable {
    public var config: AgentConfig
    public var agent: any Agent
    /// The fill-model variant's name.
    public var variant: String
    public let executor: VirtualExecutor
    public var account: Account
    /// Every order, in id order (ids count this lane's orders, so they are also submission order).
    public var orders: [Order] = []
    /// Indices into `orders` of the orders still open, in id order.
    var openOrderIndices: [Int] = []
    public var trades: [Trade] = []
    public var snapshots: [AccountSnapshot] = []
    public var signalsGenerated = 0
    /// Signals generated per trading day (for graduation iterations).
    public internal(set) var signalsByDate: [CivilDate: Int] = [:]
    public var signalsActedOn = 0
    /// Regular-hours bars this lane replayed, and those with a position open after them (exposure).
    public internal(set) var barsReplayed = 0
    public internal(set) var barsExposed = 0
    var windows: [String: BarWindow] = [:]
    var barCounts: [String: Int] = [:]
    var ids = IDSequence()
    var currentDate: CivilDate?
    var sessionEnd: Timestamp?
    var now = Timestamp(nanoseconds: 0)
    /// Risk events: breakers tripping, entries blocked for the day.
    public internal(set) var events: [RiskEvent] = []
    var dayStartEquity: Money = .zero
    var peakEquity: Money = .zero
    var entriesBlockedToday = false
    /// For order tapes: how far each ticker's queue has been submitted.
    var tapePositions: [String: Int] = [:]
    /// The sums the summary reports, booked with each trade.
    public internal(set) var totals = LaneTotals()
    /// Set when an amount the lane would hold cannot be represented; the lane replays nothing after it.
    public internal(set) var halt: ReplayHalt?

    init(config: AgentConfig, agent: any Agent, variant: String, executor: VirtualExecutor, account: Account) {
        self.config = config
        self.agent = agent
        self.variant = variant
        self.executor = executor
        self.account = account
    }

    func hasOpenOrder(_ ticker: String, side: OrderSide? = nil) -> Bool {
        openOrderIndices.contains { orders[$0].ticker == ticker && (side == nil || orders[$0].side == side) }
    }
}

/// Something the risk limits did, with its time and reason.
public struct RiskEvent: Sendable, Hashable {
    public var time: Timestamp
    /// `daily_loss_limit`, `max_drawdown_pause`, `max_drawdown_close`.
    public var kind: String
    public var detail: String
}

/// Why a lane stopped: a price carried its account beyond what it may hold (`Limits.maxAmount`). The
/// run stops with this one line, naming the bar.
public struct ReplayHalt: Error, Sendable, Hashable, CustomStringConvertible {
    public var ticker: String
    public var barStart: Timestamp
    public var agent: String
    public var variant: String
    public var reason: String

    public var description: String {
        "the replay stopped at the \(ticker) bar of \(barStart.iso8601) (agent '\(agent)', fill model '\(variant)'): \(reason)"
    }
}

/// Run-wide id counters of a lane: orders and trades are numbered in the order they happen.
struct IDSequence: Sendable {
    private var order: Int64 = 0
    private var trade: Int64 = 0

    mutating func nextOrder() -> Int64 { order += 1; return order }
    mutating func nextTrade() -> Int64 { trade += 1; return trade }
}
