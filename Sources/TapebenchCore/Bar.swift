/// One minute (or other interval) of trading in one ticker. `start` is the bar's start, as Polygon's
/// `t` / `window_start`; the bar is complete, and may be seen, only at `end`.
public struct Bar: Sendable, Hashable, Codable {
    public var ticker: String
    /// The ticker's id in the table of the stream that read the bar (`BarStream.tickers`); `.unassigned`
    /// for a bar made by hand. Not part of the bar's value: equality and hashing ignore it.
    public var tickerID: TickerID
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
        duration: Int64 = Timestamp.nanosecondsPerMinute, tickerID: TickerID = .unassigned
    ) {
        self.ticker = ticker
        self.tickerID = tickerID
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
    private enum CodingKeys: String, CodingKey { case ticker, start, open, high, low, close, volume, vwap, tradeCount, duration }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(ticker: try c.decode(String.self, forKey: .ticker), start: try c.decode(Timestamp.self, forKey: .start),
                  open: try c.decode(Price.self, forKey: .open), high: try c.decode(Price.self, forKey: .high),
                  low: try c.decode(Price.self, forKey: .low), close: try c.decode(Price.self, forKey: .close),
                  volume: try c.decode(Double.self, forKey: .volume), vwap: try c.decodeIfPresent(Price.self, forKey: .vwap),
                  tradeCount: try c.decodeIfPresent(Int64.self, forKey: .tradeCount), duration: try c.decode(Int64.self, forKey: .duration))
    }

    public static func == (a: Bar, b: Bar) -> Bool {
        a.ticker == b.ticker && a.start == b.start && a.open == b.open && a.high == b.high && a.low == b.low && a.close == b.close
            && a.volume == b.volume && a.vwap == b.vwap && a.tradeCount == b.tradeCount && a.duration == b.duration
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ticker)
        hasher.combine(start)
        hasher.combine(close)
    }

    /// The replay order of bars: time, then ticker. Ties beyond that cannot happen in a valid stream.
    @inlinable public static func replayOrder(_ a: Bar, _ b: Bar) -> Bool {
        a.start != b.start ? a.start < b.start : a.ticker < b.ticker
    }
}
