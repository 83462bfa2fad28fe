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
        for (index, series) in samples.enumerated() where !series.isEmpty { result[tickers.names[index]] = series }
        return result
    }

    /// The buy-and-hold benchmark of the tickers replayed (see `BenchmarkSeries` for the rule).
    public func benchmark(initialBalance: Money) -> BenchmarkSeries {
        buyAndHold.series(names: tickers.names, initialBalance: initialBalance)
    }

    /// A regular-hours bar of the trading day `date`: the previous day ends first when `date` is a new one.
    /// Inlined into the replay's per-bar loop (`StepIntake`), with `BuyAndHoldTracker.see`.
    @inline(__always)
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

    /// A bar read; `bar.tickerID` is an id of `tickers`. Inlined, as `sample`, into the replay's loop
    /// (`StepIntake`), which calls them for every bar.
    @inline(__always)
    mutating func record(_ bar: Bar) {
        barsRead += 1
        let index = bar.tickerID.index
        if index >= counts.count { counts.append(contentsOf: repeatElement(0, count: index + 1 - counts.count)) }
        counts[index] += 1
        if firstBarStart == nil { firstBarStart = bar.start }
        lastBarStart = bar.start
    }

    /// A regular-hours bar replayed: the price chart's sample.
    @inline(__always)
    mutating func sample(_ bar: Bar) {
        let index = bar.tickerID.index
        if index >= samples.count { samples.append(contentsOf: repeatElement(PriceSeries(), count: index + 1 - samples.count)) }
        // Modified in place through the subscript: a local copy would copy the array on every bar.
        samples[index].add(bar)
    }
}
