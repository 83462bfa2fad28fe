import TapebenchCore

/// One ticker's regular-hours closes for a price chart: the last close of each period, 15 minutes at
/// first. At most `capacity` points: when full, every other point is dropped and the period doubles, so
/// the memory stays flat however long the replay (a year of minute bars keeps about one close an hour).
///
/// A wide replay keeps one series per ticker, so a point is stored in 12 bytes rather than a 16-byte
/// (time, close) pair: the close's raw value, and the time as whole minutes since 1970 in an `Int32` (a
/// `Timestamp`'s ±292 years fit). A series given a time off the minute switches to nanoseconds for good.
public struct PriceSeries: Sendable {
    public static let capacity = 256
    /// Each period's last bar start and close, in time order.
    public var points: [(time: Timestamp, close: Price)] {
        var all = (0..<earlier.count).map { (earlier.time(at: $0), Price(raw: earlier.closes[$0])) }
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

    /// Points as columns: the closes' raw values, and the times in minutes while every time is on a whole
    /// minute within `Int32`'s range, else (from the first that is not) in nanoseconds.
    struct Columns: Sendable {
        private(set) var closes: [Int64] = []
        private var minutes: [Int32] = []
        /// Empty until a time is off the minute; then every time, and `minutes` is empty.
        private var nanoseconds: [Int64] = []
        private var wide = false

        var count: Int { closes.count }
        var room: Int { closes.capacity }
        var heapBytes: Int { closes.capacity * 8 + minutes.capacity * 4 + nanoseconds.capacity * 8 }

        func time(at index: Int) -> Timestamp {
            wide ? Timestamp(nanoseconds: nanoseconds[index]) : Timestamp(nanoseconds: Int64(minutes[index]) * Timestamp.nanosecondsPerMinute)
        }

        mutating func reserve(_ points: Int) {
            closes.reserveCapacity(points)
            if wide { nanoseconds.reserveCapacity(points) } else { minutes.reserveCapacity(points) }
        }

        mutating func append(_ point: (time: Timestamp, close: Price)) {
            closes.append(point.close.raw)
            let (minute, remainder) = floorDivide(point.time.nanoseconds, Timestamp.nanosecondsPerMinute)
            if !wide, remainder == 0, let narrow = Int32(exactly: minute) {
                minutes.append(narrow)
                return
            }
            if !wide {
                nanoseconds.reserveCapacity(closes.capacity)
                nanoseconds.append(contentsOf: minutes.map { Int64($0) * Timestamp.nanosecondsPerMinute })
                minutes = []
                wide = true
            }
            nanoseconds.append(point.time.nanoseconds)
        }

        /// Keeps the points at odd indices (the second, fourth, …) in new columns of just their size: the
        /// series then grows again `growth` points at a time instead of keeping the room of the full one.
        mutating func keepOdd() {
            closes = Self.odd(closes)
            if wide { nanoseconds = Self.odd(nanoseconds) } else { minutes = Self.odd(minutes) }
        }

        private static func odd<T>(_ values: [T]) -> [T] {
            var kept: [T] = []
            kept.reserveCapacity(values.count / 2)
            for index in stride(from: 1, to: values.count, by: 2) { kept.append(values[index]) }
            return kept
        }
    }
}
