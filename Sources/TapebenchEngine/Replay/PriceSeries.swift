import TapebenchCore

/// One ticker's regular-hours closes for a price chart: the last close of each period, 15 minutes at
/// first. At most `capacity` points: when full, every other point is dropped and the period doubles, so
/// the memory stays flat however long the replay (a year of minute bars keeps about one close an hour).
///
/// A wide replay keeps one series per ticker, so a point is stored in 12 bytes rather than a 16-byte
/// (time, close) pair: the close's raw value, and the time as whole minutes since 1970 (a `Timestamp`'s
/// ±292 years fit an `Int32`). A series given a time off the minute switches to nanoseconds for good.
public struct PriceSeries: Sendable {
    public static let capacity = 256
    /// Each period's last bar start and close, in time order.
    public var points: [(time: Timestamp, close: Price)] {
        var all = (0..<earlier.count).map { (earlier.time(at: $0), earlier.close(at: $0)) }
        if let newest { all.append(newest) }
        return all
    }
    public private(set) var periodMinutes: Int64 = 15
    /// The points before the newest. The newest is kept apart, in the series itself: most bars only replace
    /// it, and writing into the columns' heap blocks (per ticker) cost a cache miss a bar.
    private var earlier = Columns()
    private var newest: (time: Timestamp, close: Price)?
    /// The first and last nanosecond of the newest point's period (`⌊time / period⌋ × period` onwards):
    /// a bar starting between them replaces the point. Worked out when a point starts a period or the
    /// period doubles, not for every bar (two divisions a bar before).
    private var periodFirst = Int64.max, periodLast = Int64.min

    public init() {}

    mutating func add(_ bar: Bar) {
        let start = bar.start.nanoseconds
        // Bounds are set only with a newest point.
        if start >= periodFirst, start <= periodLast {
            newest = (bar.start, bar.close)
            return
        }
        if let kept = newest, earlier.count + 1 == PriceSeries.capacity {
            // Every other point dropped (of all `capacity`, an even number, those at even indices), the
            // period doubled. The newest, at the last (odd) index, stays.
            earlier.keepOdd()
            periodMinutes *= 2
            setPeriod(of: kept.time)
            // The doubled period may hold the newest kept point and this bar both.
            if start >= periodFirst, start <= periodLast {
                newest = (bar.start, bar.close)
                return
            }
        }
        if let newest {
            // Grown 32 points at a time, not doubled: a series of 129 to 255 points (a few weeks of minutes)
            // held room for 255 (the largest per-ticker cost of a wide replay).
            if earlier.count == earlier.room { earlier.reserve(min(PriceSeries.capacity - 1, earlier.count + PriceSeries.growth)) }
            earlier.append(newest)
        }
        newest = (bar.start, bar.close)
        setPeriod(of: bar.start)
    }

    /// Points added to the room of a full series (see `add`).
    static let growth = 32
    /// The points the series has room for before it allocates again.
    var room: Int { earlier.room + 1 }
    /// Bytes the series holds on the heap for its points.
    var heapBytes: Int { earlier.heapBytes }
    /// The period holding `time`: the times whose `⌊t / period⌋` is its own (clamped to `Int64`'s range,
    /// which every timestamp is in).
    private mutating func setPeriod(of time: Timestamp) {
        let period = periodMinutes * Timestamp.nanosecondsPerMinute
        let first = Int128(floorDivide(time.nanoseconds, period).quotient) * Int128(period)
        periodFirst = Int64(max(first, Int128(Int64.min)))
        periodLast = Int64(min(first + Int128(period) - 1, Int128(Int64.max)))
    }

    /// Points in one array of 32-bit words (one allocation, as a single array of pairs was): per point the
    /// close's raw value in two words, then the time as whole minutes since 1970 in one word while every
    /// time is on a whole minute (any `Timestamp` on the minute fits an `Int32`), else (from the first that is
    /// not) in nanoseconds, two words.
    struct Columns: Sendable {
        private var words: [UInt32] = []
        private var wide = false
        private var stride: Int { wide ? 4 : 3 }

        var count: Int { words.count / stride }
        var room: Int { words.capacity / stride }
        var heapBytes: Int { words.capacity * 4 }

        func time(at index: Int) -> Timestamp {
            let at = index * stride + 2
            if wide { return Timestamp(nanoseconds: Self.joined(words[at], words[at + 1])) }
            return Timestamp(nanoseconds: Int64(Int32(bitPattern: words[at])) * Timestamp.nanosecondsPerMinute)
        }

        func close(at index: Int) -> Price {
            let at = index * stride
            return Price(raw: Self.joined(words[at], words[at + 1]))
        }

        mutating func reserve(_ points: Int) { words.reserveCapacity(points * stride) }

        mutating func append(_ point: (time: Timestamp, close: Price)) {
            let (minute, remainder) = floorDivide(point.time.nanoseconds, Timestamp.nanosecondsPerMinute)
            let narrow = Int32(exactly: minute)
            if !wide, remainder != 0 || narrow == nil { widen() }
            Self.split(point.close.raw, into: &words)
            if wide { Self.split(point.time.nanoseconds, into: &words) } else { words.append(UInt32(bitPattern: narrow!)) }
        }

        /// Keeps the points at odd indices (the second, fourth, …) in a new array of just their size: the
        /// series then grows again `growth` points at a time instead of keeping the room of the full one.
        mutating func keepOdd() {
            var kept: [UInt32] = []
            kept.reserveCapacity(count / 2 * stride)
            for index in Swift.stride(from: 1, to: count, by: 2) { kept.append(contentsOf: words[index * stride ..< (index + 1) * stride]) }
            words = kept
        }

        /// From minutes to nanoseconds for every point so far.
        private mutating func widen() {
            var all: [UInt32] = []
            all.reserveCapacity(max(words.capacity / 3, count + 1) * 4)
            for index in 0..<count {
                Self.split(close(at: index).raw, into: &all)
                Self.split(time(at: index).nanoseconds, into: &all)
            }
            words = all
            wide = true
        }

        private static func split(_ value: Int64, into words: inout [UInt32]) {
            let bits = UInt64(bitPattern: value)
            words.append(UInt32(truncatingIfNeeded: bits))
            words.append(UInt32(truncatingIfNeeded: bits >> 32))
        }

        private static func joined(_ low: UInt32, _ high: UInt32) -> Int64 {
            Int64(bitPattern: UInt64(high) << 32 | UInt64(low))
        }
    }
}
