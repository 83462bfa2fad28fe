public enum OrderSide: String, Sendable, Hashable, Codable, CaseIterable {
    case buy, sell

    /// +1 for buys, −1 for sells: the direction slippage moves a price against the trader.
    public var sign: Int64 { self == .buy ? 1 : -1 }
}

public enum OrderType: String, Sendable, Hashable, Codable, CaseIterable {
    case market, limit, stop
    case stopLimit = "stop_limit"
}

public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, filled, cancelled, rejected
    case partiallyFilled = "partially_filled"

    public var isOpen: Bool { self == .pending || self == .partiallyFilled }
}

/// An order as an agent (or the orchestrator on its behalf) submits it, and its state.
public struct Order: Sendable, Hashable, Codable {
    /// Unique within a run; assigned in submission order, so it is also the tie-breaking sequence.
    public var id: Int64
    public var agent: String
    public var ticker: String
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Int64
    public var limitPrice: Price?
    public var stopPrice: Price?
    public var status: OrderStatus
    /// Why it was rejected or cancelled, as a value: written as text where it is written.
    public var closeReason: OrderReason?
    /// When the order was decided; it may fill from the first bar starting at or after this time.
    public var submittedAt: Timestamp
    /// Why the order exists (`signal`, `stop_loss`, `take_profit`, ...), for the audit trail.
    public var purpose: String
    /// The signal behind the order (its reason), when one is.
    public var signal: SignalReason?
    public var filledQuantity: Int64 = 0
    /// For stop-limit orders: the stop has triggered and the order now rests as a limit.
    public var stopTriggered = false
    /// When the order reached a final status.
    public var closedAt: Timestamp?
    /// Bars of its ticker evaluated for it so far (for latency), starting at 0 for the first eligible bar.
    public var eligibleBarsSeen = 0

    public init(
        id: Int64, agent: String, ticker: String, side: OrderSide, type: OrderType, quantity: Int64,
        limitPrice: Price? = nil, stopPrice: Price? = nil, submittedAt: Timestamp, purpose: String, signal: SignalReason? = nil
    ) {
        self.id = id
        self.agent = agent
        self.ticker = ticker
        self.side = side
        self.type = type
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
        self.status = .pending
        self.submittedAt = submittedAt
        self.purpose = purpose
        self.signal = signal
    }

    public var remainingQuantity: Int64 { quantity - filledQuantity }

    /// The reason keeps its old key (its text, `OrderReason`'s coding).
    enum CodingKeys: String, CodingKey {
        case id, agent, ticker, side, type, quantity, limitPrice, stopPrice, status, submittedAt, purpose, signal, filledQuantity,
             stopTriggered, closedAt, eligibleBarsSeen
        case closeReason = "rejectReason"
    }

    /// `closeReason` as text (made when asked: for a report, a test); set, it keeps the text as given.
    public var rejectReason: String? {
        get { closeReason?.text }
        set { closeReason = newValue.map(OrderReason.text) }
    }
}
