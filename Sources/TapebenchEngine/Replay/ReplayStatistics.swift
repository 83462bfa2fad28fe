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
    /// What each ticker's bars changed, per ticker id: one record a ticker, reached once a bar (three arrays, for
    /// the counts, the price charts and the buy-and-hold holdings, were three uniqueness and bounds checks a bar).
    private var perTicker: [TickerTally] = []
    /// The buy-and-hold benchmark's day ends (`benchmark(initialBalance:)`); its holdings are in `perTicker`.
    private var buyAndHold = BuyAndHoldTracker()

    /// One ticker's share of the statistics.
    struct TickerTally: Sendable {
        /// Bars read.
        var barsRead = 0
        /// The closes for price charts, in bounded memory (see `PriceSeries`).
        var samples = PriceSeries()
        var holding = BuyAndHoldTracker.Holding()
    }

    public init() {}

    /// Bars read per ticker; turned into sorted output by the reports.
    public var barsPerTicker: [String: Int] {
        var result: [String: Int] = [:]
        for (index, tally) in perTicker.enumerated() where tally.barsRead > 0 { result[tickers.names[index]] = tally.barsRead }
        return result
    }

    /// Each ticker's closes for price charts.
    public var priceSamples: [String: PriceSeries] {
        var result: [String: PriceSeries] = [:]
        for (index, tally) in perTicker.enumerated() where !tally.samples.isEmpty { result[tickers.names[index]] = tally.samples }
        return result
    }

    /// The buy-and-hold benchmark of the tickers replayed (see `BenchmarkSeries` for the rule).
    public func benchmark(initialBalance: Money) -> BenchmarkSeries {
        buyAndHold.series(names: tickers.names, holdings: perTicker.map(\.holding), initialBalance: initialBalance)
    }

    /// A bar read (`bar.tickerID` an id of `tickers`), `date` its trading day when it is in regular hours, nil
    /// outside them: counted, and a regular-hours bar sampled for its price chart and seen by the buy-and-hold
    /// benchmark (the previous trading day ends first when `date` is a new one). Read in place, its ticker's
    /// record reached once. Inlined into the replay's per-bar loop (`StepIntake`).
    @inline(__always)
    mutating func read(_ bar: UnsafePointer<Bar>, regularDate date: CivilDate?) {
        let start = bar.pointee.start
        barsRead += 1
        if firstBarStart == nil { firstBarStart = start }
        lastBarStart = start
        if let date {
            barsReplayed += 1
            // Before the bar is seen: the day that ended is marked at the closes before it.
            if date != lastDate {
                if let lastDate { buyAndHold.endDay(lastDate, tallies: perTicker) }
                lastDate = date
                tradingDays += 1
            }
        } else {
            barsOutsideRegularHours += 1
        }
        let index = bar.pointee.tickerID.index
        if index >= perTicker.count { perTicker.append(contentsOf: repeatElement(TickerTally(), count: index + 1 - perTicker.count)) }
        perTicker.withUnsafeMutableBufferPointer { perTicker in
            perTicker[index].barsRead += 1
            guard date != nil else { return }
            perTicker[index].samples.add(start: start, close: bar.pointee.close)
            perTicker[index].holding.see(open: bar.pointee.open.raw, close: bar.pointee.close.raw)
        }
    }

    /// The replay has ended: its last trading day with it.
    mutating func endReplay() {
        if let lastDate { buyAndHold.endDay(lastDate, tallies: perTicker) }
    }
}
