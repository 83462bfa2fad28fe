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
    /// Each ticker's last regular-hours close of every 15 minutes, per ticker id.
    private var samples: [[(time: Timestamp, close: Price)]] = []

    public init() {}

    /// Bars read per ticker; turned into sorted output by the reports.
    public var barsPerTicker: [String: Int] {
        var result: [String: Int] = [:]
        for (index, count) in counts.enumerated() where count > 0 { result[tickers.names[index]] = count }
        return result
    }

    /// Each ticker's last regular-hours close of every 15 minutes, for price charts.
    public var priceSamples: [String: [(time: Timestamp, close: Price)]] {
        var result: [String: [(time: Timestamp, close: Price)]] = [:]
        for (index, list) in samples.enumerated() where !list.isEmpty { result[tickers.names[index]] = list }
        return result
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

    /// A regular-hours bar replayed: the price chart's sample of its 15 minutes.
    mutating func sample(_ bar: Bar) {
        let index = bar.tickerID.index
        if index >= samples.count { samples.append(contentsOf: repeatElement([], count: index + 1 - samples.count)) }
        let bucket = bar.start.nanoseconds / (15 * Timestamp.nanosecondsPerMinute)
        // In place through the subscript: a local copy would copy the array on every bar.
        if let last = samples[index].last, last.time.nanoseconds / (15 * Timestamp.nanosecondsPerMinute) == bucket {
            samples[index][samples[index].count - 1] = (bar.start, bar.close)
        } else {
            samples[index].append((bar.start, bar.close))
        }
    }
}
