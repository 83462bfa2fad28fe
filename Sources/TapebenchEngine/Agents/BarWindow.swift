import TapebenchCore

/// The last `capacity` bars of one ticker, oldest first: a ring buffer, so appending is O(1).
///
/// The bars are kept as plain values without their ticker's text (`Entry`, 80 bytes against a `Bar`'s
/// 112, no reference to count): appending copies a few words instead of a `Bar` with its `String`, and the
/// window names its ticker once. Scans read entries in place (`entry(at:)`, `close(at:)`); the subscript builds the `Bar`.
public struct BarWindow: Sendable {
    public let capacity: Int
    private var storage: [Entry] = []
    private var head = 0  // index of the oldest bar once full
    /// The ticker of every bar in the window (the first appended bar's; a window holds one ticker).
    public private(set) var ticker = ""

    /// A bar without its ticker: what the window keeps of each bar, a plain value of 80 bytes (the optional
    /// vwap and trade count as raw words and a flag byte, not two 16-byte optionals).
    public struct Entry: Sendable, Hashable {
        public var start: Timestamp
        public var open: Price
        public var high: Price
        public var low: Price
        public var close: Price
        public var volume: Double
        public var duration: Int64
        private var vwapRaw: Int64
        private var tradeCountRaw: Int64
        public var tickerID: TickerID
        private var has: UInt8  // 1: vwap, 2: trade count

        @inline(__always)
        init(_ bar: Bar) {
            self = withUnsafePointer(to: bar) { Entry($0) }
        }

        /// The entry of the bar at `bar`, its fields read in place.
        @inline(__always)
        init(_ bar: UnsafePointer<Bar>) {
            start = bar.pointee.start
            open = bar.pointee.open
            high = bar.pointee.high
            low = bar.pointee.low
            close = bar.pointee.close
            volume = bar.pointee.volume
            duration = bar.pointee.duration
            let vwap = bar.pointee.vwap, tradeCount = bar.pointee.tradeCount
            vwapRaw = vwap?.raw ?? 0
            tradeCountRaw = tradeCount ?? 0
            tickerID = bar.pointee.tickerID
            has = (vwap == nil ? 0 : 1) | (tradeCount == nil ? 0 : 2)
        }

        /// Volume-weighted average price, when the source knows it.
        public var vwap: Price? { has & 1 != 0 ? Fixed(raw: vwapRaw) : nil }
        /// Number of trades, when the source knows it.
        public var tradeCount: Int64? { has & 2 != 0 ? tradeCountRaw : nil }

        /// When the bar is complete (`Bar.end`).
        public var end: Timestamp { start.adding(nanoseconds: duration) }

        /// The bar's average price: its own `vwap` when the source has it, else its typical price
        /// (high + low + close) / 3, as a `Double` (the VWAP scan's price).
        public var averagePrice: Double {
            vwap?.doubleValue ?? (high.doubleValue + low.doubleValue + close.doubleValue) / 3
        }
    }

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    public var count: Int { storage.count }
    public var last: Bar? { storage.isEmpty ? nil : self[count - 1] }

    public mutating func append(_ bar: Bar) {
        withUnsafePointer(to: bar) { append($0) }
    }

    /// `append(_:)` of the bar at `bar`, read in place (the lane's step passes its bars so: a `Bar` passed to
    /// this mutating method was copied first, its ticker's text retained and released).
    @inline(__always)
    mutating func append(_ bar: UnsafePointer<Bar>) {
        if storage.isEmpty {
            ticker = bar.pointee.ticker
        } else {
            // Equal texts share their storage (one table names the ticker), so this is a compare of two words.
            precondition(bar.pointee.ticker == ticker, "a BarWindow holds one ticker's bars: \(ticker), then \(bar.pointee.ticker)")
        }
        if storage.count < capacity {
            storage.append(Entry(bar))
        } else {
            storage[head] = Entry(bar)
            head += 1
            if head == capacity { head = 0 }
        }
    }

    /// The storage slot of the i-th bar, 0 = oldest.
    @inline(__always)
    private func slot(_ i: Int) -> Int {
        let slot = head + i
        return slot >= storage.count ? slot - storage.count : slot
    }

    /// The i-th bar, 0 = oldest.
    public subscript(i: Int) -> Bar {
        let e = entry(at: i)
        return Bar(ticker: ticker, start: e.start, open: e.open, high: e.high, low: e.low, close: e.close, volume: e.volume, vwap: e.vwap,
                   tradeCount: e.tradeCount, duration: e.duration, tickerID: e.tickerID)
    }

    /// The i-th bar (0 = oldest) without its ticker, read in place.
    @inline(__always)
    public func entry(at i: Int) -> Entry {
        precondition(i >= 0 && i < storage.count, "index out of range")
        return storage.withUnsafeBufferPointer { $0[slot(i)] }
    }

    /// The i-th bar's start, read in place.
    public func start(at i: Int) -> Timestamp { entry(at: i).start }

    /// The i-th bar's close, read in place.
    public func close(at i: Int) -> Price { entry(at: i).close }
}
