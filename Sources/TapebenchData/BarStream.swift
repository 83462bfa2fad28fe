import TapebenchCore

/// A source of bars in replay order: (start, ticker) ascending.
public protocol BarStream {
    mutating func next() throws -> Bar?
    /// The next bars, as `next()` would hand them out one by one, moved into the uninitialized memory at the
    /// start of `buffer`: returns how many (at least one unless the stream has ended; 0 at the end). Bars read
    /// before an error come first: the error is thrown by the next call. A replay takes bars through this, so
    /// that a bar is made where it is used, without passing through `Optional<Bar>` returns and a protocol
    /// call per bar (the default hands out one bar, through `next()`).
    mutating func read(into buffer: UnsafeMutableBufferPointer<Bar>) throws -> Int
    /// What validation found so far in the bars this stream read.
    var quality: DataQualityReport { get }
    /// The tickers of the bars handed out so far: `bar.tickerID` is an id of this table.
    var tickers: TickerTable { get }
}

extension BarStream {
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Bar>) throws -> Int { try readOne(into: buffer) }

    /// `read(into:)` one bar at a time, through `next()`: the default, and what a stream that overrides it
    /// falls back to.
    mutating func readOne(into buffer: UnsafeMutableBufferPointer<Bar>) throws -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty, let bar = try next() else { return 0 }
        base.initialize(to: bar)
        return 1
    }
}

/// Which bars of a dataset a run uses. Dates are trading days of `calendar` (for NYSE, America/New_York
/// dates), inclusive.
public struct DataSelection: Sendable, Hashable {
    public var tickers: Set<String>?
    public var from: CivilDate?
    public var to: CivilDate?
    /// The market's session: its days cut `from`/`to`, and validation judges hours by it.
    public var calendar: ExchangeCalendar

    public init(tickers: Set<String>? = nil, from: CivilDate? = nil, to: CivilDate? = nil, calendar: ExchangeCalendar = .nyse) {
        self.tickers = tickers
        self.from = from
        self.to = to
        self.calendar = calendar
    }

    /// The table a stream numbers tickers with: the selected tickers in sorted order, or (all tickers)
    /// an open table.
    public var tickerTable: TickerTable { tickers.map { TickerTable(sorted: $0) } ?? TickerTable() }

    public func contains(date: CivilDate) -> Bool {
        if let from, date < from { return false }
        if let to, to < date { return false }
        return true
    }

    public func contains(_ bar: Bar) -> Bool {
        if let tickers, !tickers.contains(bar.ticker) { return false }
        return contains(date: calendar.day(of: bar.start).date)
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
    /// One table for every stream's bars: the streams' own when the selection names its tickers (the same
    /// closed table in each), else an open table the merged bars are numbered in anew.
    private var merged: TickerTable
    private let renumber: Bool
    /// One stream with its own open table: its table is the merged one.
    private let passThrough: Bool
    public var tickers: TickerTable { passThrough ? streams[0].tickers : merged }
    /// For renumbering: each stream's ids to the merged table's (filled as the streams' tables grow).
    private var idMaps: [[TickerID]]
    /// An error found after bars `read(into:)` handed out: thrown by the next call.
    private var deferredError: (any Error)?

    /// The findings of every stream, in a fixed order: by kind, time, ticker.
    public var quality: DataQualityReport {
        DataQualityReport.merged(streams.map(\.quality))
    }

    public init(_ streams: [any BarStream], tickers: TickerTable = TickerTable()) {
        self.streams = streams
        self.heads = Array(repeating: nil, count: streams.count)
        // One stream needs no renumbering: its table is the merged one.
        renumber = !tickers.isClosed && streams.count > 1
        passThrough = !tickers.isClosed && streams.count == 1
        merged = tickers
        idMaps = Array(repeating: [], count: streams.count)
    }

    public mutating func next() throws -> Bar? {
        // One stream (one dataset, the usual case): its bars as they come, with no head bar moved in and
        // out of `heads` (a bar copy retains its ticker's text, once more per bar).
        if streams.count == 1 {
            guard let bar = try streams[0].next() else { return nil }
            try checkOrder(bar)
            return bar
        }
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
        var bar = heads[chosen]!
        if renumber {
            let local = bar.tickerID.index
            if local >= idMaps[chosen].count {
                for name in streams[chosen].tickers.names[idMaps[chosen].count...] { idMaps[chosen].append(merged.id(for: name)!) }
            }
            bar.tickerID = idMaps[chosen][local]
        }
        heads[chosen] = try streams[chosen].next()
        try checkOrder(bar)
        return bar
    }

    /// One stream: its bars as it reads them, checked for order. Several: one bar, as `next()`.
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Bar>) throws -> Int {
        if let error = deferredError {
            deferredError = nil
            throw error
        }
        guard streams.count == 1, let base = buffer.baseAddress else { return try readOne(into: buffer) }
        let count = try streams[0].read(into: buffer)
        for index in 0..<count {
            do {
                try checkOrder(base[index])
            } catch {
                // The bars before it are handed out; the error comes with the next call, as `next()` has it.
                (base + index).deinitialize(count: count - index)
                deferredError = error
                return index
            }
        }
        return count
    }

    /// Each stream is in time order by construction; this guards the replay clock against a broken one.
    private mutating func checkOrder(_ bar: Bar) throws {
        if let lastStart, bar.start < lastStart {
            throw InputError(file: bar.ticker, message: "bars out of time order after merging (\(bar.start) after \(lastStart)); this is a Tapebench bug, please report it")
        }
        lastStart = bar.start
    }
}
