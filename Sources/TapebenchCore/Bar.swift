/// One minute (or other interval) of trading in one ticker. `start` is the bar's start, as Polygon's
/// `t` / `window_start`; the bar is complete, and may be seen, only at `end`.
public struct Bar: Sendable, Hashable, Codable {
    public var ticker: String
    public var start: Timestamp
    public var open: Price
    public var high: Price
    public var low: Price
    public var close: Price
    /// Shares traded; fractional volume exists in vendor data.
    public var volume: Double
    /// Volume-weighted average price, when the source knows it.
    public var vwap: Price?
    /// Number of trades, when the source knows it.
    public var tradeCount: Int64?
    /// Length of the bar in nanoseconds (one minute unless a source says otherwise).
    public var duration: Int64

    public init(
        ticker: String, start: Timestamp, open: Price, high: Price, low: Price, close: Price,
        volume: Double, vwap: Price? = nil, tradeCount: Int64? = nil,
        duration: Int64 = Timestamp.nanosecondsPerMinute
    ) {
        self.ticker = ticker
        self.start = start
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.vwap = vwap
        self.tradeCount = tradeCount
        self.duration = duration
    }

    /// When the bar is complete and visible to an agent.
    public var end: Timestamp { start.adding(nanoseconds: duration) }
}

extension Bar {
    /// The replay order of bars: time, then ticker. Ties beyond that cannot happen in a valid stream.
    @inlinable public static func replayOrder(_ a: Bar, _ b: Bar) -> Bool {
        a.start != b.start ? a.start < b.start : a.ticker < b.ticker
    }
}
