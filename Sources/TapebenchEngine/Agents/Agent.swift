import TapebenchCore

/// What an agent wants: buy (open a position) or sell (close one), at a time, for a reason. The
/// orchestrator decides what to do with it: its age, the position's size, stop-loss and take-profit.
public struct Signal: Sendable, Hashable {
    public var agent: String
    public var ticker: String
    public var side: OrderSide
    /// The end of the bar the signal was read from.
    public var time: Timestamp
    /// That bar's close.
    public var price: Price
    /// A short explanation for the audit trail, e.g. `vwap_deviation=-52bp`: a value, written as text
    /// where the signal is written.
    public var reason: SignalReason
    /// How sure the agent is, 0 to 1, when it says (a process agent's `strength`); kept with the signal.
    public var strength: Double?

    public init(agent: String, ticker: String, side: OrderSide, time: Timestamp, price: Price, reason: SignalReason, strength: Double? = nil) {
        self.agent = agent
        self.ticker = ticker
        self.side = side
        self.time = time
        self.price = price
        self.reason = reason
        self.strength = strength
    }
}

/// An order an agent places itself: it goes straight to the executor (the risk checks apply at the fill),
/// decided at the minute's end, so it fills only from bars starting then or later.
public struct OrderRequest: Sendable, Hashable {
    public var ticker: String
    public var side: OrderSide
    public var type: OrderType
    /// Shares, 1 to `Limits.maxShares`.
    public var quantity: Int64
    public var limitPrice: Price?
    public var stopPrice: Price?
    /// The agent's own name for the order, to cancel it later (`AgentAction.cancel`).
    public var clientID: String?
    /// Why the order exists, stored on it for the audit trail (`tape_line_12`).
    public var purpose: String
    /// The same in words, for risk events (`tape line 12`).
    public var label: String
    /// backtesting.py's contingent stop-loss and take-profit: once the order opens a trade, a stop and a limit
    /// that close it, one cancelling the other. Placed only under the `backtesting` preset (an order tape's
    /// `sl` and `tp` columns; a scenario with another preset refuses them).
    public var stopLoss: Price?
    public var takeProfit: Price?

    public init(ticker: String, side: OrderSide, type: OrderType, quantity: Int64, limitPrice: Price? = nil, stopPrice: Price? = nil,
                clientID: String? = nil, purpose: String, label: String? = nil) {
        self.ticker = ticker
        self.side = side
        self.type = type
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
        self.clientID = clientID
        self.purpose = purpose
        self.label = label ?? purpose
    }
}

/// What an agent asks for in one minute.
public enum AgentAction: Sendable, Hashable {
    /// Through the orchestrator: of each ticker's signals the newest at most `signal_max_age_minutes` old is
    /// acted on; a buy opens a position sized by the orchestrator (when flat, entries allowed, no order
    /// open in the ticker), a sell closes a long one. Positions opened from signals get the orchestrator's
    /// stop-loss and take-profit.
    case signal(Signal)
    /// Straight to the executor. A buy is refused, with a risk event, while the daily loss limit blocks entries.
    case order(OrderRequest)
    /// Cancels the agent's open order placed with this client id (nothing when none is open).
    case cancel(clientID: String)
}

/// An order an agent meant to place and never could (an order tape's row after its ticker's last bar):
/// listed at the end of the replay as a cancelled order, so that none vanishes without a word.
public struct UnplacedOrder: Sendable, Hashable {
    public var request: OrderRequest
    /// When it was meant to be placed.
    public var time: Timestamp
    /// Why it never was, e.g. `no AAPL bar at or after its time`.
    public var reason: String

    public init(request: OrderRequest, time: Timestamp, reason: String) {
        self.request = request
        self.time = time
        self.reason = reason
    }
}

/// An agent of one lane. Once per minute that has bars, after the minute's bars are applied (open orders
/// tried, positions marked, breakers judged), it reads a view of the lane and returns what it wants.
/// It gets no clock: everything it knows is in the view, so the same bars give the same actions (a process
/// agent talks to its program in lockstep, one message per minute, and is as deterministic as the program).
/// Each lane has its own agent (made by its kind), so an agent may keep state from minute to minute
/// (running sums, its place in a tape). Not asked while the account is paused or closed.
public protocol Agent: Sendable {
    /// The minute's actions; an `AgentFailure` (a process agent's program crashed, timed out or broke the
    /// protocol) stops the run with its message.
    mutating func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction]
    /// Whether `decide` may act on this minute's `bars`: false promises that it would return no action and
    /// change nothing a later `decide` reads, so the lane skips the call and the view it would build (the
    /// fills booked meanwhile come with the next view). Default: true, asked every minute.
    func mayAct(on bars: [Bar]) -> Bool
    /// Orders it meant to place and never could, asked once at the end of the replay.
    func unplacedOrders() -> [UnplacedOrder]
    /// The replay has ended: the agent lets go of what it holds (a process agent says `end` and waits for
    /// its program to exit). Not called when the run stopped early; an agent must also let go when dropped.
    mutating func finish() throws(AgentFailure)
}

extension Agent {
    public func mayAct(on bars: [Bar]) -> Bool { true }
    public func unplacedOrders() -> [UnplacedOrder] { [] }
    public mutating func finish() throws(AgentFailure) {}
}

/// Why an agent could not go on; its message says what happened, where (a process agent: the message
/// number and the tail of its stderr). The run stops with it, naming the agent and its fill model.
public struct AgentFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
