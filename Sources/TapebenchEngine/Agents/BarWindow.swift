import TapebenchCore

/// The last `capacity` bars of one ticker, oldest first: a ring buffer, so appending is O(1).
///
/// The bars are kept as plain values without their ticker's text (no reference to count), the window naming
/// its ticker once, and split in two rings in one allocation: each bar's start and close (16 bytes, `Mark`),
/// which scans read, and the rest (one 64-byte cache line, `Rest`). A scan reading its newest bars' starts and
/// closes touches a line per four bars instead of one and a quarter per bar (an 80-byte entry): at 500 tickers
/// the windows are beyond the L2 cache, and those reads were mostly misses. Scans read in place (`start(at:)`,
/// `close(at:)`, `entry(at:)`); the subscript builds the `Bar`.
///
/// Sendable as an array is: its pointers are into its own storage, written only through a unique reference.
public struct BarWindow: @unchecked Sendable {
    public let capacity: Int
    private var storage: Storage
    /// The storage's two rings, kept here too: a read goes to them without first loading the storage object's
    /// fields (one cache line more per ticker read).
    private var rests: UnsafeMutablePointer<Rest>
    private var marks: UnsafeMutablePointer<Mark>
    private var head = 0  // index of the oldest bar once full
    public private(set) var count = 0
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
            self.init(Mark(bar), Rest(bar))
        }

        /// The entry of a bar's two parts in the window.
        @inline(__always)
        fileprivate init(_ mark: Mark, _ rest: Rest) {
            start = mark.start
            open = rest.open
            high = rest.high
            low = rest.low
            close = mark.close
            volume = rest.volume
            duration = rest.duration
            vwapRaw = rest.vwapRaw
            tradeCountRaw = rest.tradeCountRaw
            tickerID = rest.tickerID
            has = rest.has
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

    /// A bar's start and close: the part of it scans read back.
    struct Mark: Sendable, Equatable {
        var start: Timestamp
        var close: Price

        @inline(__always)
        init(start: Timestamp, close: Price) {
            self.start = start
            self.close = close
        }

        @inline(__always)
        init(_ bar: UnsafePointer<Bar>) { self.init(start: bar.pointee.start, close: bar.pointee.close) }

        init(_ entry: Entry) { self.init(start: entry.start, close: entry.close) }
    }

    /// The rest of a bar: 61 bytes, one cache line in the window's storage.
    fileprivate struct Rest {
        var open: Price
        var high: Price
        var low: Price
        var volume: Double
        var duration: Int64
        var vwapRaw: Int64
        var tradeCountRaw: Int64
        var tickerID: TickerID
        var has: UInt8  // 1: vwap, 2: trade count

        @inline(__always)
        init(_ bar: UnsafePointer<Bar>) {
            open = bar.pointee.open
            high = bar.pointee.high
            low = bar.pointee.low
            volume = bar.pointee.volume
            duration = bar.pointee.duration
            let vwap = bar.pointee.vwap, tradeCount = bar.pointee.tradeCount
            vwapRaw = vwap?.raw ?? 0
            tradeCountRaw = tradeCount ?? 0
            tickerID = bar.pointee.tickerID
            has = (vwap == nil ? 0 : 1) | (tradeCount == nil ? 0 : 2)
        }
    }

    /// The two rings: `capacity` rests from a cache line's start (each its own line), then `capacity` marks.
    /// Shared by copies of the window, copied before an append when it is (as an array's storage would be).
    private final class Storage: @unchecked Sendable {
        let rests: UnsafeMutablePointer<Rest>
        let marks: UnsafeMutablePointer<Mark>

        init(capacity: Int) {
            let (bytes, overflow) = capacity.multipliedReportingOverflow(by: MemoryLayout<Rest>.stride + MemoryLayout<Mark>.stride)
            precondition(!overflow, "a window too large")
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            rests = raw.bindMemory(to: Rest.self, capacity: capacity)
            marks = (raw + capacity * MemoryLayout<Rest>.stride).bindMemory(to: Mark.self, capacity: capacity)
        }

        deinit { UnsafeMutableRawPointer(rests).deallocate() }

        /// A storage of `capacity` holding the first `count` slots of this one.
        func copy(capacity: Int, count: Int) -> Storage {
            let copy = Storage(capacity: capacity)
            copy.rests.initialize(from: rests, count: count)
            copy.marks.initialize(from: marks, count: count)
            return copy
        }
    }

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage = Storage(capacity: capacity)
        rests = storage.rests
        marks = storage.marks
    }

    public var last: Bar? { count == 0 ? nil : self[count - 1] }

    public mutating func append(_ bar: Bar) {
        withUnsafePointer(to: bar) { append($0) }
    }

    /// `append(_:)` of the bar at `bar`, read in place (the lane's step passes its bars so: a `Bar` passed to
    /// this mutating method was copied first, its ticker's text retained and released).
    @inline(__always)
    mutating func append(_ bar: UnsafePointer<Bar>) {
        if count == 0 {
            ticker = bar.pointee.ticker
        } else {
            // Equal texts share their storage (one table names the ticker), so this is a compare of two words.
            precondition(bar.pointee.ticker == ticker, "a BarWindow holds one ticker's bars: \(ticker), then \(bar.pointee.ticker)")
        }
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy(capacity: capacity, count: count)
            rests = storage.rests
            marks = storage.marks
        }
        let slot: Int
        if count < capacity {
            slot = count
            count += 1
        } else {
            slot = head
            head += 1
            if head == capacity { head = 0 }
        }
        (rests + slot).initialize(to: Rest(bar))
        (marks + slot).initialize(to: Mark(bar))
    }

    /// The storage slot of the i-th bar, 0 = oldest.
    @inline(__always)
    private func slot(_ i: Int) -> Int {
        precondition(i >= 0 && i < count, "index out of range")
        let slot = head + i
        return slot >= count ? slot - count : slot
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
        let slot = slot(i)
        return Entry(marks[slot], rests[slot])
    }

    /// The i-th bar's start and close, read in place (from the ring of marks only).
    @inline(__always)
    func mark(at i: Int) -> Mark { marks[slot(i)] }

    /// The i-th bar's start, read in place.
    public func start(at i: Int) -> Timestamp { mark(at: i).start }

    /// The i-th bar's close, read in place.
    public func close(at i: Int) -> Price { mark(at: i).close }
}
