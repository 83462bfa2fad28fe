import TapebenchCore

/// Counts of what the replay saw, for the report's data section.
public struct ReplayStatistics: Sendable, Hashable {
    public var barsRead = 0
    public var barsReplayed = 0
    public var barsOutsideRegularHours = 0
    public var tradingDays = 0
    public var firstBarStart: Timestamp?
    public var lastBarStart: Timestamp?
    /// Bars read per ticker; turned into sorted output by the reports.
    public var barsPerTicker: [String: Int] = [:]
    var lastDate: CivilDate?

    mutating func record(_ bar: Bar) {
        barsRead += 1
        barsPerTicker[bar.ticker, default: 0] += 1
        if firstBarStart == nil { firstBarStart = bar.start }
        lastBarStart = bar.start
    }
}
