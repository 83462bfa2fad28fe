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
    /// Length of the bar in nanoseconds (one minute unless a source says otherwise).
    public var duration: Int64
    // The two optional values are stored as plain numbers with one byte saying which are present: as
    // `Price?` and `Int64?` each took 16 bytes (a tag byte padded to 8), and a bar 112 instead of 96.
    // Bars are copied several times each on the way to the lanes (batches, steps, windows).
    @usableFromInline var vwapRaw: Int64 = 0
    @usableFromInline var tradeCountValue: Int64 = 0
    /// The ticker's id in the table of the stream that read the bar (`BarStream.tickers`); `.unassigned`
    /// for a bar made by hand. Not part of the bar's value: equality and hashing ignore it.
    public var tickerID: TickerID
    /// Bit 0: `vwap` is known; bit 1: `tradeCount` is known.
    @usableFromInline var present: UInt8 = 0

    /// Volume-weighted average price, when the source knows it.
    @inlinable public var vwap: Price? {
        get { present & 1 != 0 ? Price(raw: vwapRaw) : nil }
        set {
            vwapRaw = newValue?.raw ?? 0
            present = newValue == nil ? present & ~1 : present | 1
        }
    }

    /// Number of trades, when the source knows it.
    @inlinable public var tradeCount: Int64? {
        get { present & 2 != 0 ? tradeCountValue : nil }
        set {
            tradeCountValue = newValue ?? 0
            present = newValue == nil ? present & ~2 : present | 2
        }
    }

    /// Inlinable: readers make a bar per row in place in the caller's buffer (a call across modules
    /// built it on the stack and copied it, 2 % of `data validate`).
    @inlinable public init(
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
        self.duration = duration
        self.vwap = vwap
        self.tradeCount = tradeCount
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

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ticker, forKey: .ticker)
        try c.encode(start, forKey: .start)
        try c.encode(open, forKey: .open)
        try c.encode(high, forKey: .high)
        try c.encode(low, forKey: .low)
        try c.encode(close, forKey: .close)
        try c.encode(volume, forKey: .volume)
        try c.encodeIfPresent(vwap, forKey: .vwap)
        try c.encodeIfPresent(tradeCount, forKey: .tradeCount)
        try c.encode(duration, forKey: .duration)
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
