import TapebenchCore

/// One ticker's regular-hours closes for a price chart: the last close of each period, 15 minutes at
/// first. At most `capacity` points: when full, every other point is dropped and the period doubles, so
/// the memory stays flat however long the replay (a year of minute bars keeps about one close an hour).
///
/// A wide replay keeps one series per ticker, so a point is stored in 8 bytes rather than a 16-byte
/// (time, close) pair: the close in 1/10,000 dollars and the time as whole minutes since 1970 (a `Timestamp`'s
/// ±292 years fit an `Int32`). A series given a close off that step or beyond $214,748 switches to raw closes,
/// one given a time off the minute to nanoseconds, each for good (`Columns`).
public struct PriceSeries: Sendable {
    public static let capacity = 256
    /// Each period's last bar start and close, in time order.
    public var points: [(time: Timestamp, close: Price)] {
        // Made with the labels of the result: an array of unlabeled pairs was converted element by element
        // through the runtime's dynamic cast (report.html asks every ticker's series).
        var all = (0..<earlier.count).map { (time: earlier.time(at: $0), close: earlier.close(at: $0)) }
        if let newest { all.append(newest) }
        return all
    }
    /// Whether the series has no point: without building `points` (a series holds up to 256).
    public var isEmpty: Bool { newest == nil }
    /// `points.first` and `points.last`, without building `points`.
    public var first: (time: Timestamp, close: Price)? { earlier.count > 0 ? (earlier.time(at: 0), earlier.close(at: 0)) : newest }
    public var last: (time: Timestamp, close: Price)? { newest }
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

    /// Inlined into the replay's loop (`ReplayStatistics.sample`): most bars only replace the newest point.
    @inline(__always)
    mutating func add(_ bar: Bar) { add(start: bar.start, close: bar.close) }

    /// `add(_:)` of a bar starting at `time` with close `close` (the replay's loop reads them in place).
    @inline(__always)
    mutating func add(start time: Timestamp, close: Price) {
        let start = time.nanoseconds
        // Bounds are set only with a newest point.
        if start >= periodFirst, start <= periodLast {
            newest = (time, close)
            return
        }
        addStartingPeriod(start: time, close: close)
    }

    /// A bar outside the newest point's period: the newest is kept and this bar starts a period.
    private mutating func addStartingPeriod(start time: Timestamp, close: Price) {
        let start = time.nanoseconds
        if let kept = newest, earlier.count + 1 == PriceSeries.capacity {
            // Every other point dropped (of all `capacity`, an even number, those at even indices), the
            // period doubled. The newest, at the last (odd) index, stays.
            earlier.keepOdd()
            periodMinutes *= 2
            setPeriod(of: kept.time)
            // The doubled period may hold the newest kept point and this bar both.
            if start >= periodFirst, start <= periodLast {
                newest = (time, close)
                return
            }
        }
        if let newest {
            // Grown 32 points at a time, not doubled: a series of 129 to 255 points (a few weeks of minutes)
            // held room for 255 (the largest per-ticker cost of a wide replay).
            if earlier.count == earlier.room { earlier.reserve(min(PriceSeries.capacity - 1, earlier.count + PriceSeries.growth)) }
            earlier.append(newest)
        }
        newest = (time, close)
        setPeriod(of: time)
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

    /// Points in one array of 32-bit words (one allocation, as a single array of pairs was). Per point the
    /// close, then the time, each in one word while it fits, else in two:
    /// - the close as a whole number of `closeUnit` (1/10,000 of a dollar, the finest step of most quotes) while
    ///   every close is one that fits an `Int32` (up to $214,748), else (from the first that is not) its raw
    ///   value;
    /// - the time as whole minutes since 1970 while every time is on a whole minute (any `Timestamp` on the
    ///   minute fits an `Int32`), else (from the first that is not) in nanoseconds.
    /// 8 bytes a point for minute bars quoted to the 1/100 cent (a wide replay keeps one series per ticker).
    struct Columns: Sendable {
        private var words: [UInt32] = []
        private var wideClose = false
        private var wideTime = false
        private var closeWords: Int { wideClose ? 2 : 1 }
        private var stride: Int { closeWords + (wideTime ? 2 : 1) }
        /// The close's unit in one word: 1/10,000 of a dollar, in `Fixed`'s raw units.
        static let closeUnit = Fixed.scale / 10_000

        var count: Int { words.count / stride }
        var room: Int { words.capacity / stride }
        var heapBytes: Int { words.capacity * 4 }

        func time(at index: Int) -> Timestamp {
            let at = index * stride + closeWords
            if wideTime { return Timestamp(nanoseconds: Self.joined(words[at], words[at + 1])) }
            return Timestamp(nanoseconds: Int64(Int32(bitPattern: words[at])) * Timestamp.nanosecondsPerMinute)
        }

        func close(at index: Int) -> Price {
            let at = index * stride
            if wideClose { return Price(raw: Self.joined(words[at], words[at + 1])) }
            return Price(raw: Int64(Int32(bitPattern: words[at])) * Self.closeUnit)
        }

        mutating func reserve(_ points: Int) { words.reserveCapacity(points * stride) }

        mutating func append(_ point: (time: Timestamp, close: Price)) {
            let (minute, remainder) = floorDivide(point.time.nanoseconds, Timestamp.nanosecondsPerMinute)
            let narrowTime = remainder == 0 ? Int32(exactly: minute) : nil
            let (units, rest) = point.close.raw.quotientAndRemainder(dividingBy: Self.closeUnit)
            let narrowClose = rest == 0 ? Int32(exactly: units) : nil
            let widenTime = !wideTime && narrowTime == nil, widenClose = !wideClose && narrowClose == nil
            if widenTime || widenClose { widen(close: wideClose || widenClose, time: wideTime || widenTime) }
            if wideClose { Self.split(point.close.raw, into: &words) } else { words.append(UInt32(bitPattern: narrowClose!)) }
            if wideTime { Self.split(point.time.nanoseconds, into: &words) } else { words.append(UInt32(bitPattern: narrowTime!)) }
        }

        /// Keeps the points at odd indices (the second, fourth, …) in a new array of just their size: the
        /// series then grows again `growth` points at a time instead of keeping the room of the full one.
        mutating func keepOdd() {
            var kept: [UInt32] = []
            kept.reserveCapacity(count / 2 * stride)
            for index in Swift.stride(from: 1, to: count, by: 2) { kept.append(contentsOf: words[index * stride ..< (index + 1) * stride]) }
            words = kept
        }

        /// Every point so far rewritten with closes (`close`) and times (`time`) in two words, keeping the room.
        private mutating func widen(close: Bool, time: Bool) {
            var widened = Columns(wideClose: close, wideTime: time)
            widened.reserve(max(room, count + 1))
            for index in 0..<count { widened.append((self.time(at: index), self.close(at: index))) }
            self = widened
        }

        private init(wideClose: Bool, wideTime: Bool) {
            self.wideClose = wideClose
            self.wideTime = wideTime
        }

        init() {}

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
