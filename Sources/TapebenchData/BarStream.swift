import TapebenchCore

/// A source of bars in replay order: (start, ticker) ascending.
public protocol BarStream {
    mutating func next() throws -> Bar?
    /// What validation found so far in the bars this stream read.
    var quality: DataQualityReport { get }
}

/// Which bars of a dataset a run uses. Dates are America/New_York trading dates, inclusive.
public struct DataSelection: Sendable, Hashable {
    public var tickers: Set<String>?
    public var from: CivilDate?
    public var to: CivilDate?

    public init(tickers: Set<String>? = nil, from: CivilDate? = nil, to: CivilDate? = nil) {
        self.tickers = tickers
        self.from = from
        self.to = to
    }

    public func contains(date: CivilDate) -> Bool {
        if let from, date < from { return false }
        if let to, to < date { return false }
        return true
    }

    public func contains(_ bar: Bar) -> Bool {
        if let tickers, !tickers.contains(bar.ticker) { return false }
        return contains(date: EasternTime.local(bar.start).date)
    }

    /// `contains(_:)` for a stream of bars: the local date comes from `days`, computed once per day.
    @inline(__always)
    public func contains(_ bar: Bar, days: inout SessionCache) -> Bool {
        if let tickers, !tickers.contains(bar.ticker) { return false }
        if from == nil && to == nil { return true }
        return contains(date: days.local(bar.start).date)
    }
}

/// Merges streams that are each in replay order into one stream in replay order.
/// The streams are few (one per REST ticker plus one for flat files), so a scan of their heads is enough.
public struct MergedBarStream: BarStream {
    private var streams: [any BarStream]
    private var heads: [Bar?]
    private var primed = false
    private var lastStart: Timestamp?

    /// The findings of every stream, in a fixed order: by kind, time, ticker.
    public var quality: DataQualityReport {
        DataQualityReport.merged(streams.map(\.quality))
    }

    public init(_ streams: [any BarStream]) {
        self.streams = streams
        self.heads = Array(repeating: nil, count: streams.count)
    }

    public mutating func next() throws -> Bar? {
        if !primed {
            for i in streams.indices { heads[i] = try streams[i].next() }
            primed = true
        }
        var best: Int? = nil
        for i in heads.indices {
            guard let head = heads[i] else { continue }
            if let b = best, let current = heads[b], !Bar.replayOrder(head, current) { continue }
            best = i
        }
        guard let chosen = best else { return nil }
        let bar = heads[chosen]!
        heads[chosen] = try streams[chosen].next()
        // Each stream is in time order by construction; this guards the replay clock against a broken one.
        if let lastStart, bar.start < lastStart {
            throw InputError(file: bar.ticker, message: "bars out of time order after merging (\(bar.start) after \(lastStart)); this is a Tapebench bug, please report it")
        }
        lastStart = bar.start
        return bar
    }
}
