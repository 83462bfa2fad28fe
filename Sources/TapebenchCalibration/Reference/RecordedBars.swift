import TapebenchCore
import TapebenchData

/// A bar as calibration needs it (no ticker: bars are kept per ticker).
public struct RecordedBar: Sendable, Hashable {
    public var start: Timestamp
    public var open, high, low, close: Price
    public var volume: Double
    public var vwap: Price?
    public var end: Timestamp

    public init(start: Timestamp, open: Price, high: Price, low: Price, close: Price, volume: Double, vwap: Price? = nil,
                duration: Int64 = Timestamp.nanosecondsPerMinute) {
        self.start = start
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.vwap = vwap
        self.end = start.adding(nanoseconds: duration)
    }
}

/// The recorded bars the fills are matched against: per ticker, in time order, only on the
/// America/New_York dates that hold a fill (memory grows with the fills, not the dataset), plus each
/// ticker's first and last bar, so that a fill outside the data can be told from one in a gap.
public struct RecordedBars: Sendable {
    public var bars: [String: [RecordedBar]] = [:]
    public var first: [String: Timestamp] = [:]
    public var last: [String: Timestamp] = [:]

    public init() {}

    /// Reads `dataset` once, through the public stream (validated under `policy`), keeping the bars of
    /// `tickers` on `dates`. Every ticker of the data is noted (for the message about an unknown one).
    public static func read(_ dataset: Dataset, tickers: Set<String>, dates: Set<CivilDate>, policy: ValidationPolicy = ValidationPolicy()) throws -> RecordedBars {
        var stream = try dataset.bars(DataSelection(), policy: policy)
        var result = RecordedBars()
        var days = SessionCache()
        while let bar = try stream.next() {
            let ticker = stream.tickers.name(bar.tickerID)
            if result.first[ticker] == nil { result.first[ticker] = bar.start }
            result.last[ticker] = bar.start
            guard tickers.contains(ticker), dates.contains(days.local(bar.start).date) else { continue }
            result.bars[ticker, default: []].append(RecordedBar(start: bar.start, open: bar.open, high: bar.high, low: bar.low, close: bar.close,
                                                               volume: bar.volume, vwap: bar.vwap, duration: bar.duration))
        }
        return result
    }

    /// Made from bars in hand (tests, synthetic data): per ticker, sorted by start.
    public init(_ byTicker: [String: [RecordedBar]]) {
        for (ticker, list) in byTicker {
            let sorted = list.sorted { $0.start < $1.start }
            bars[ticker] = sorted
            first[ticker] = sorted.first?.start
            last[ticker] = sorted.last?.start
        }
    }

    /// The tickers of the data, sorted.
    public var tickers: [String] { first.keys.sorted() }

    /// The index of the first bar of `ticker` starting at or after `time`.
    func firstIndex(_ ticker: String, atOrAfter time: Timestamp) -> Int? {
        guard let list = bars[ticker] else { return nil }
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].start < time { low = mid + 1 } else { high = mid }
        }
        return low < list.count ? low : nil
    }
}
