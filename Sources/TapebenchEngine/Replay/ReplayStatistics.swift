import TapebenchCore

/// Counts of what the replay saw, for the report's data section.
public struct ReplayStatistics: Sendable {
    public var barsRead = 0
    public var barsReplayed = 0
    public var barsOutsideRegularHours = 0
    public var tradingDays = 0
    public var firstBarStart: Timestamp?
    public var lastBarStart: Timestamp?
    /// Bars read per ticker; turned into sorted output by the reports.
    public var barsPerTicker: [String: Int] = [:]
    var lastDate: CivilDate?
    /// Each ticker's last regular-hours close of every 15 minutes, for price charts.
    public internal(set) var priceSamples: [String: [(time: Timestamp, close: Price)]] = [:]

    mutating func record(_ bar: Bar) {
        barsRead += 1
        barsPerTicker[bar.ticker, default: 0] += 1
        if firstBarStart == nil { firstBarStart = bar.start }
        lastBarStart = bar.start
    }

    mutating func sample(_ bar: Bar) {
        let bucket = bar.start.nanoseconds / (15 * Timestamp.nanosecondsPerMinute)
        // Modified in place through the subscript: a local copy would copy the array on every bar.
        if let last = priceSamples[bar.ticker]?.last, last.time.nanoseconds / (15 * Timestamp.nanosecondsPerMinute) == bucket {
            priceSamples[bar.ticker]![priceSamples[bar.ticker]!.count - 1] = (bar.start, bar.close)
        } else {
            priceSamples[bar.ticker, default: []].append((bar.start, bar.close))
        }
    }
}
