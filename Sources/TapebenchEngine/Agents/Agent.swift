import TapebenchCore

/// What an agent wants: buy (open a position) or sell (close one), at a time, for a reason.
public struct Signal: Sendable, Hashable {
    public var agent: String
    public var ticker: String
    public var side: OrderSide
    /// The end of the bar the signal was read from.
    public var time: Timestamp
    /// That bar's close.
    public var price: Price
    /// A short explanation for the audit trail, e.g. `vwap_deviation=-52bp`.
    public var reason: String

    public init(agent: String, ticker: String, side: OrderSide, time: Timestamp, price: Price, reason: String) {
        self.agent = agent
        self.ticker = ticker
        self.side = side
        self.time = time
        self.price = price
        self.reason = reason
    }
}

/// A light pattern matcher. It sees only bars that have ended (the window) and returns signals;
/// the orchestrator decides what to do with them. No clock, no I/O, no randomness.
public protocol Agent: Sendable {
    var id: String { get }
    /// Signals for `ticker` from the newest `recent` bars of `window` (the bars since the last scan).
    /// `held` is the agent's position in the ticker (shares), so it signals entries only when flat and
    /// exits only when holding.
    func scan(ticker: String, window: BarWindow, recent: Int, held: Int64) -> [Signal]
}
