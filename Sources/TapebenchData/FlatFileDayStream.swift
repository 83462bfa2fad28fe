import TapebenchCore

/// Streams Polygon flat files one day at a time, in date order, keeping only the selected bars,
/// validated in file order and then put in replay order. A day is kept as `DayBar`s (plain values, the
/// ticker as its id) and made into `Bar`s only as they are handed out; a day of more than 16 Ki bars goes
/// to an unnamed temporary file and is merged back per ticker (`DayBuffer`), so memory does not grow
/// with the number of tickers.
public struct FlatFileDayStream: BarStream {
    private var files: [String]
    private var fileIndex = 0
    /// The day being handed out: in memory when small, else in an unnamed temporary file (`DayBuffer`).
    private var day: DayBuffer
    /// What stands in `day` while a day file is read into it (`readDay`), made once: a day buffer made for
    /// each file allocated its bars' storage for each of them.
    private let idleDay = DayBuffer(memoryCapacity: 0)
    private let selection: DataSelection
    private var validator: BarValidator<FlatFileItem>
    public private(set) var tickers: TickerTable
    public private(set) var lastStart: Timestamp?
    /// `tickers.sortedOrder()`, made again only when the table has grown.
    private var ranks: [UInt32] = []
    /// The reading buffers, shared by the day files one after another.
    private var reading = FlatFileReading()
    /// An error met after `read(into:)` had bars to hand out: thrown by the next call.
    private var deferredError: (any Error)?

    /// `files` must be in date order (their names are `YYYY-MM-DD.csv[.gz]`).
    public init(files: [String], selection: DataSelection, policy: ValidationPolicy) {
        self.init(files: files, selection: selection, policy: policy, day: DayBuffer())
    }

    /// With a day buffer of its own (tests: a small one, a temporary folder of their own).
    init(files: [String], selection: DataSelection, policy: ValidationPolicy, day: DayBuffer) {
        self.files = files
        self.selection = selection
        self.validator = BarValidator(policy: policy, calendar: selection.calendar)
        tickers = selection.tickerTable
        self.day = day
    }

    public var quality: DataQualityReport { validator.report }

    /// Whether the day being handed out went to the temporary file (tests).
    var daySpilled: Bool { day.spilled }

    public mutating func next() throws -> Bar? {
        while true {
            if let bar = try day.next() { return bar.bar(tickers) }
            guard fileIndex < files.count else { return nil }
            fileIndex += 1
            try readDay(files[fileIndex - 1])
        }
    }

    /// The day's next bars made in place in `buffer`; the next day file is read only when none is left (its
    /// errors come where `next()` would throw them: after every bar of the days before).
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Bar>) throws -> Int {
        if let error = deferredError {
            deferredError = nil
            throw error
        }
        guard let base = buffer.baseAddress else { return 0 }
        var tickers = self.tickers
        var count = 0
        while count < buffer.count {
            // A day in memory: its bars made in one loop. A spilled day: its merge's bars, also in one loop,
            // until the buffer is full or the day ends.
            if let taken = day.take(into: base + count, count: buffer.count - count, tickers: tickers) {
                if taken > 0 {
                    count += taken
                    continue
                }
            } else {
                let wanted = buffer.count - count
                var taken = 0
                do {
                    try day.takeMerged(into: base + count, count: wanted, tickers: tickers, taken: &taken)
                } catch where count + taken > 0 {
                    deferredError = error
                    return count + taken
                }
                count += taken
                if taken == wanted { continue }  // fewer: the day has ended
            }
            guard count == 0, fileIndex < files.count else { return count }
            fileIndex += 1
            try readDay(files[fileIndex - 1])
            tickers = self.tickers  // the day may have added tickers (an open table)
        }
        return count
    }

    /// Reads, validates and orders the next day file's selected bars.
    private mutating func readDay(_ path: String) throws {
        day.reset()
        var day = self.day
        self.day = idleDay
        defer { self.day = day }
        // The day buffer through a pointer (`DayRowSink.day`).
        try withUnsafeMutablePointer(to: &day) { try readDay(path, into: $0) }
    }

    private mutating func readDay(_ path: String, into day: UnsafeMutablePointer<DayBuffer>) throws {
        var reading = FlatFileReading()
        swap(&reading, &self.reading)
        defer { self.reading = reading }
        validator.file = path
        let (selection, table, ranks) = (self.selection, tickers, self.ranks)
        // The validator through a pointer, as the day: the sink mutates it for each row.
        (tickers, self.ranks) = try withUnsafeMutablePointer(to: &validator) { validator in
            var sink = DayRowSink(selection: selection, validator: validator, day: day, table: table, ranks: ranks)
            let rows = try PolygonFlatFileReader.forEachRow(path: path, tickers: selection.tickers, reading: &reading, into: &sink)
            try sink.finish(path, rows: rows)
            return (sink.table, sink.currentRanks())
        }
        let (empty, firstStart, lastOfDay) = (day.pointee.isEmpty, day.pointee.firstStart, day.pointee.lastStart)
        if !empty, let lastStart, firstStart < lastStart.nanoseconds {
            throw InputError(file: path, message: "bars start at \(Timestamp(nanoseconds: firstStart)), before the previous file ends (\(lastStart)); day files overlap")
        }
        if !empty { lastStart = Timestamp(nanoseconds: lastOfDay) }
    }
}

/// A day file's rows as the day stream reads them (`PolygonFlatFileReader.forEachRow`): those of the selected
/// dates checked by the validator in file order, and the bars it passes on appended to the day. A sink, not a
/// closure, so that the reader's loop calls it directly.
struct DayRowSink: FlatFileRowSink {
    let selection: DataSelection
    /// The reader keeps only the selected tickers; the dates are checked here, once per day of bars.
    let datesLimited: Bool
    var days: SessionCache
    let validator: UnsafeMutablePointer<BarValidator<FlatFileItem>>
    /// The day buffer through a pointer: a captured variable was checked for exclusive access at run time on
    /// each append (2 % of `data validate`'s CPU).
    let day: UnsafeMutablePointer<DayBuffer>
    /// The stream's ticker table, ids added as tickers are met (an open table).
    private(set) var table: TickerTable
    /// `table.sortedOrder()`, made again only when the table has grown: a spilled chunk is sorted by the ranks
    /// of the tickers seen so far (and kept from day to day).
    private var ranks: [UInt32]
    /// The ticker of the run of rows being read, and its ids: looked up at the run's first row of a selected
    /// date (a ticker none of whose rows is selected is not added to the tables).
    private var runTicker = ""
    private var runID = TickerID.unassigned
    private var runIndex = -1

    init(selection: DataSelection, validator: UnsafeMutablePointer<BarValidator<FlatFileItem>>, day: UnsafeMutablePointer<DayBuffer>,
         table: TickerTable, ranks: [UInt32]) {
        self.selection = selection
        datesLimited = selection.from != nil || selection.to != nil
        days = SessionCache(calendar: selection.calendar)
        (self.validator, self.day, self.table, self.ranks) = (validator, day, table, ranks)
    }

    mutating func currentRanks() -> [UInt32] {
        if ranks.count != table.count { ranks = table.sortedOrder() }
        return ranks
    }

    mutating func startRun(_ ticker: String) {
        runTicker = ticker
        runIndex = -1
    }

    /// The end of the day file (`rows`: its bar rows, of every ticker): its held-back bars passed on, and the
    /// day put in order.
    mutating func finish(_ path: String, rows: Int) throws {
        if rows == 0 {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let date = Dataset.flatFileCivilDate(name)
            let midnight = date.map { LocalDateTime(date: $0, nanosecondOfDay: 0, utcOffsetSeconds: nil, hasTime: false).instant(in: .exchange) }
            try validator.pointee.noBars(origin: Origin(file: path, line: 2), time: midnight ?? Timestamp(nanoseconds: 0),
                                         detail: "the flat file has a header and no bar rows")
        }
        let day = self.day
        try day.pointee.startHeldBack { currentRanks() }
        try validator.pointee.flush { try day.pointee.append($0.bar) { currentRanks() } }
        try day.pointee.finish(ranks: currentRanks())
    }

    @inline(__always)
    mutating func take(_ row: FlatFileRow, line: Int) throws {
        guard !datesLimited || selection.contains(date: days.local(Timestamp(nanoseconds: row.start)).date) else { return }
        if runIndex < 0 {
            runID = table.id(for: runTicker) ?? .unassigned
            runIndex = validator.pointee.tickerIndex(for: runTicker)
        }
        let bar = DayBar(start: row.start, open: row.open, high: row.high, low: row.low, close: row.close, volume: row.volume,
                         tradeCount: row.trades ?? 0, ticker: runID.raw, hasTradeCount: row.trades != nil)
        if let passed = try validator.pointee.observe(FlatFileItem(bar: bar, line: line), ticker: runIndex) {
            let day = self.day
            try day.pointee.append(passed.bar) { currentRanks() }
        }
    }
}

/// A flat-file bar as a day buffers it: plain values (64 bytes, no reference to retain or release), the
/// ticker as its id in the stream's table. A flat file has no VWAP and one-minute bars.
struct DayBar {
    var start: Int64
    var open: Int64, high: Int64, low: Int64, close: Int64
    var volume: Double
    var tradeCount: Int64
    var ticker: UInt32
    var hasTradeCount: Bool
}

extension DayBar {
    @inline(__always)
    init(_ bar: Bar) {
        start = bar.start.nanoseconds
        open = bar.open.raw
        high = bar.high.raw
        low = bar.low.raw
        close = bar.close.raw
        volume = bar.volume
        tradeCount = bar.tradeCount ?? 0
        hasTradeCount = bar.tradeCount != nil
        ticker = bar.tickerID.raw
    }

    /// The bar again; `tickers` is the table its id is of.
    @inline(__always)
    func bar(_ tickers: TickerTable) -> Bar {
        let id = TickerID(raw: ticker)
        return Bar(ticker: tickers.name(id), start: Timestamp(nanoseconds: start), open: Fixed(raw: open), high: Fixed(raw: high),
                   low: Fixed(raw: low), close: Fixed(raw: close), volume: volume, vwap: nil,
                   tradeCount: hasTradeCount ? tradeCount : nil, tickerID: id)
    }
}
