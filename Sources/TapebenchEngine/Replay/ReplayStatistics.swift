import TapebenchCore

/// Counts of what the replay saw, for the report's data section. Kept per ticker id (the orchestrator's
/// `TickerTable`), so a bar costs array indexing, not a dictionary look-up by the ticker's text; the
/// by-name views are built when asked (once per report).
public struct ReplayStatistics: Sendable {
    public var barsRead = 0
    public var barsReplayed = 0
    public var barsOutsideRegularHours = 0
    public var tradingDays = 0
    public var firstBarStart: Timestamp?
    public var lastBarStart: Timestamp?
    var lastDate: CivilDate?
    /// The names of the ids below (the orchestrator's table, as of the last bar).
    var tickers = TickerTable()
    /// Bars read, per ticker id.
    private var counts: [Int] = []
    /// Each ticker's closes for price charts, in bounded memory (see `PriceSeries`), per ticker id.
    private var samples: [PriceSeries] = []
    /// The buy-and-hold benchmark, day by day (`benchmark(initialBalance:)`).
    private var buyAndHold = BuyAndHoldTracker()

    public init() {}

    /// Bars read per ticker; turned into sorted output by the reports.
    public var barsPerTicker: [String: Int] {
        var result: [String: Int] = [:]
        for (index, count) in counts.enumerated() where count > 0 { result[tickers.names[index]] = count }
        return result
    }

    /// Each ticker's closes for price charts.
    public var priceSamples: [String: PriceSeries] {
        var result: [String: PriceSeries] = [:]
        for (index, series) in samples.enumerated() where !series.points.isEmpty { result[tickers.names[index]] = series }
        return result
    }

    /// The buy-and-hold benchmark of the tickers replayed (see `BenchmarkSeries` for the rule).
    public func benchmark(initialBalance: Money) -> BenchmarkSeries {
        buyAndHold.series(names: tickers.names, initialBalance: initialBalance)
    }

    /// A regular-hours bar of the trading day `date`: the previous day ends first when `date` is a new one.
    mutating func replayed(_ bar: Bar, date: CivilDate) {
        if date != lastDate {
            if let lastDate { buyAndHold.endDay(lastDate) }
            lastDate = date
            tradingDays += 1
        }
        buyAndHold.see(bar)
    }

    /// The replay has ended: its last trading day with it.
    mutating func endReplay() {
        if let lastDate { buyAndHold.endDay(lastDate) }
    }

    /// A bar read; `bar.tickerID` is an id of `tickers`.
    mutating func record(_ bar: Bar) {
        barsRead += 1
        let index = bar.tickerID.index
        if index >= counts.count { counts.append(contentsOf: repeatElement(0, count: index + 1 - counts.count)) }
        counts[index] += 1
        if firstBarStart == nil { firstBarStart = bar.start }
        lastBarStart = bar.start
    }

    /// A regular-hours bar replayed: the price chart's sample.
    mutating func sample(_ bar: Bar) {
        let index = bar.tickerID.index
        if index >= samples.count { samples.append(contentsOf: repeatElement(PriceSeries(), count: index + 1 - samples.count)) }
        // Modified in place through the subscript: a local copy would copy the array on every bar.
        samples[index].add(bar)
    }
}

/// One ticker's regular-hours closes for a price chart: the last close of each period, 15 minutes at
/// first. At most `capacity` points: when full, every other point is dropped and the period doubles, so
/// the memory stays flat however long the replay (a year of minute bars keeps about one close an hour).
public struct PriceSeries: Sendable {
    public static let capacity = 256
    /// Each period's last bar start and close, in time order.
    public var points: [(time: Timestamp, close: Price)] {
        guard let newest else { return earlier }
        return earlier + [newest]
    }
    public private(set) var periodMinutes: Int64 = 15
    /// The points before the newest. The newest is kept apart, in the series itself: most bars only replace
    /// it, and writing into the array's heap block (one per ticker) cost a cache miss a bar.
    private var earlier: [(time: Timestamp, close: Price)] = []
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
            // Every other point dropped (the odd ones, the newest among them), the period doubled.
            var all = earlier
            all.append(kept)
            all = stride(from: 1, to: all.count, by: 2).map { all[$0] }
            periodMinutes *= 2
            newest = all.removeLast()
            earlier = all
            setPeriod(of: newest!.time)
            // The doubled period may hold the newest kept point and this bar both.
            if start >= periodFirst, start <= periodLast {
                newest = (bar.start, bar.close)
                return
            }
        }
        if let newest {
            // Grown 32 points at a time, not doubled: a series of 129 to 255 points (a few weeks of minutes)
            // held room for 255 (4 KB a ticker, the largest per-ticker cost of a wide replay).
            if earlier.count == earlier.capacity { earlier.reserveCapacity(min(PriceSeries.capacity - 1, earlier.count + PriceSeries.growth)) }
            earlier.append(newest)
        }
        newest = (bar.start, bar.close)
        setPeriod(of: bar.start)
    }

    /// Points added to the room of a full series (see `add`).
    static let growth = 32
    /// The points the series has room for before it allocates again.
    var room: Int { earlier.capacity + 1 }
    /// The period holding `time`: the times whose `⌊t / period⌋` is its own (clamped to `Int64`'s range,
    /// which every timestamp is in).
    private mutating func setPeriod(of time: Timestamp) {
        let period = periodMinutes * Timestamp.nanosecondsPerMinute
        let first = Int128(floorDivide(time.nanoseconds, period).quotient) * Int128(period)
        periodFirst = Int64(max(first, Int128(Int64.min)))
        periodLast = Int64(min(first + Int128(period) - 1, Int128(Int64.max)))
    }
}
