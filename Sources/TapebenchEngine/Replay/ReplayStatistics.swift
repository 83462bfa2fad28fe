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
    /// Each ticker's closes for price charts, in bounded memory (see `PriceSeries`).
    public internal(set) var priceSamples: [String: PriceSeries] = [:]

    mutating func record(_ bar: Bar) {
        barsRead += 1
        barsPerTicker[bar.ticker, default: 0] += 1
        if firstBarStart == nil { firstBarStart = bar.start }
        lastBarStart = bar.start
    }

    mutating func sample(_ bar: Bar) {
        // Modified in place through the subscript: a local copy would copy the array on every bar.
        priceSamples[bar.ticker, default: PriceSeries()].add(bar)
    }
}

/// One ticker's regular-hours closes for a price chart: the last close of each period, 15 minutes at
/// first. At most `capacity` points: when full, every other point is dropped and the period doubles, so
/// the memory stays flat however long the replay (a year of minute bars keeps about one close an hour).
public struct PriceSeries: Sendable {
    public static let capacity = 256
    /// Each period's last bar start and close, in time order.
    public private(set) var points: [(time: Timestamp, close: Price)] = []
    public private(set) var periodMinutes: Int64 = 15

    public init() {}

    mutating func add(_ bar: Bar) {
        if let last = points.last, !samePeriod(last.time, bar.start), points.count == PriceSeries.capacity {
            points = stride(from: 1, to: points.count, by: 2).map { points[$0] }
            periodMinutes *= 2
        }
        if let last = points.last, samePeriod(last.time, bar.start) {
            points[points.count - 1] = (bar.start, bar.close)
        } else {
            points.append((bar.start, bar.close))
        }
    }

    private func samePeriod(_ a: Timestamp, _ b: Timestamp) -> Bool {
        let period = periodMinutes * Timestamp.nanosecondsPerMinute
        return floorDivide(a.nanoseconds, period).quotient == floorDivide(b.nanoseconds, period).quotient
    }
}
