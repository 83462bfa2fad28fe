#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore

/// Reads a Polygon flat file of minute aggregates (`us_stocks_sip/minute_aggs_v1/…/YYYY-MM-DD.csv.gz`,
/// or the same uncompressed): header `ticker,volume,open,close,high,low,window_start,transactions` in any
/// column order, `window_start` in nanoseconds UTC, `transactions` possibly empty.
public enum PolygonFlatFileReader {
    static let requiredColumns = ["ticker", "volume", "open", "close", "high", "low", "window_start"]

    /// Whether a header line is a Polygon flat-file header.
    /// Each field trimmed in place and matched against the required names (a bit each): asked once per file
    /// of a dataset, a set of trimmed strings cost six mallocs a file (1,260 files on the peers tape).
    public static func isFlatFileHeader(_ header: String) -> Bool {
        var found = 0
        for field in header.split(separator: ",") {
            var name = field[...]
            while let f = name.first, f.isWhitespace { name.removeFirst() }
            while let l = name.last, l.isWhitespace { name.removeLast() }
            if let column = requiredColumns.firstIndex(where: { name == $0 }) { found |= 1 << column }
        }
        return found == (1 << requiredColumns.count) - 1
    }

    /// All bars of the file for the selected tickers (nil: all), sorted by (start, ticker).
    /// One file is one day, so this buffers at most one day of the selected tickers.
    public static func readDay(path: String, tickers: Set<String>?) throws -> [Bar] {
        var bars: [Bar] = []
        try forEachBar(path: path, tickers: tickers) { bar, _ in bars.append(bar) }
        bars.sort(by: Bar.replayOrder)
        return bars
    }

    /// Calls `body` with each bar of the selected tickers and its line number, in file order. Returns the
    /// number of bar rows in the file, of every ticker (a file without any is a `no_bars` finding).
    @discardableResult
    public static func forEachBar(path: String, tickers: Set<String>?, _ body: (Bar, Int) throws -> Void) throws -> Int {
        try forEachRow(path: path, tickers: tickers) { ticker, row, line in
            try body(Bar(ticker: ticker, start: Timestamp(nanoseconds: row.start), open: Fixed(raw: row.open), high: Fixed(raw: row.high),
                         low: Fixed(raw: row.low), close: Fixed(raw: row.close), volume: row.volume, vwap: nil, tradeCount: row.trades), line)
        }
    }

    /// `forEachBar` as plain values: `body` gets the ticker (the same string for a run of its rows), the
    /// row and its line number.
    @discardableResult
    static func forEachRow(path: String, tickers: Set<String>?, _ body: (String, FlatFileRow, Int) throws -> Void) throws -> Int {
        var reading = FlatFileReading()
        return try forEachRow(path: path, tickers: tickers, reading: &reading, body)
    }

    /// `forEachRow` through the buffers of a stream of files (`reading`), one file at a time.
    @discardableResult
    static func forEachRow(path: String, tickers: Set<String>?, reading: inout FlatFileReading,
                           _ body: (String, FlatFileRow, Int) throws -> Void) throws -> Int {
        try withoutActuallyEscaping(body) { body in
            var sink = ClosureRowSink(body: body)
            return try forEachRow(path: path, tickers: tickers, reading: &reading, into: &sink)
        }
    }

    /// `forEachRow` handing the rows to `sink`: each run of a ticker's rows announced once (`startRun`), before
    /// the first of them it is given. Generic, so that the line loop is made for each sink and calls it
    /// directly: a closure here cost each row an indirect call through a context-copying forwarder, and a
    /// retain and a release of the ticker's text to hand it over. The file's state is one value
    /// (`FlatFileRowLoop`) that the line splitter's loop calls, for the same reason.
    @discardableResult @inline(__always)
    static func forEachRow<Sink: FlatFileRowSink>(path: String, tickers: Set<String>?, reading: inout FlatFileReading,
                                                  into sink: inout Sink) throws -> Int {
        let reader = try ArchiveByteReader(path: path, inflate: reading.inflateBuffers())
        return try withUnsafeMutablePointer(to: &sink) { sink in
            var loop = FlatFileRowLoop(path: path, tickers: tickers, sink: sink)
            // Taken out of `reading` (moved, not copied: no buffer is shared while it grows) and put back after.
            var splitter = LineSplitter(source: "")
            swap(&splitter, &reading.splitter)
            swap(&loop.fields, &reading.fields)
            swap(&loop.lastBytes, &reading.lastBytes)
            loop.lastBytes.removeAll(keepingCapacity: true)
            defer {
                swap(&splitter, &reading.splitter)
                swap(&loop.fields, &reading.fields)
                swap(&loop.lastBytes, &reading.lastBytes)
            }
            try reader.forEachLine(splitter: &splitter, into: &loop)
            guard loop.columnCount > 0 else { throw InputError(file: path, line: 1, message: "empty file: expected a Polygon flat-file header") }
            return loop.rows
        }
    }

    /// The first comma of a line.
    @inline(__always)
    static func firstComma(_ line: UnsafeBufferPointer<UInt8>) -> Int? { tickerKey(line)?.comma }

    /// The first comma of a line, and the ticker's bytes before it with the comma as one word when the line's
    /// first word holds them (a ticker of up to 7 bytes; else 0): a row's ticker is told from the last row's
    /// by one compare, not a call to `memcmp` (a key holds exactly the bytes up to the only comma in it, so
    /// equal keys are equal tickers).
    /// A ticker is short: its comma is usually among the first eight bytes, found in one word (a byte equal
    /// to `,` made zero; the lowest flagged byte is the first zero, as a borrow flags only bytes above a
    /// zero) instead of a call to `memchr` per row.
    @inline(__always)
    static func tickerKey(_ line: UnsafeBufferPointer<UInt8>) -> (comma: Int, key: UInt64)? {
        guard let base = line.baseAddress else { return nil }
        if line.count >= 8 {
            let first = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
            let word = first ^ 0x2C2C_2C2C_2C2C_2C2C
            let zero = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if zero != 0 {
                let comma = zero.trailingZeroBitCount >> 3
                // The bytes up to and with the comma: a mask of comma + 1 low bytes (all 8 when the comma is last).
                return (comma, first & (~0 &>> UInt64(56 &- 8 &* comma)))
            }
        }
        return memchr(base, Int32(UInt8(ascii: ",")), line.count).map { (base.distance(to: $0.assumingMemoryBound(to: UInt8.self)), 0) }
    }

    static func commas(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in line where byte == UInt8(ascii: ",") { count += 1 }
        return count
    }
}

/// What `PolygonFlatFileReader.forEachRow` hands a file's selected rows to: the ticker of a run of rows (a file
/// lists each ticker's day together) once, before the first of them, then each row with its line number.
protocol FlatFileRowSink {
    /// The ticker of the rows `take` is given from now on.
    mutating func startRun(_ ticker: String)
    mutating func take(_ row: FlatFileRow, line: Int) throws
}

/// A closure as a `FlatFileRowSink`: it gets the run's ticker with each row.
private struct ClosureRowSink: FlatFileRowSink {
    let body: (String, FlatFileRow, Int) throws -> Void
    var ticker = ""

    mutating func startRun(_ ticker: String) { self.ticker = ticker }
    func take(_ row: FlatFileRow, line: Int) throws { try body(ticker, row, line) }
}

/// `PolygonFlatFileReader.forEachRow`'s state for one file and its row loop, as the line splitter's consumer.
private struct FlatFileRowLoop<Sink: FlatFileRowSink>: LineConsumer {
    let path: String
    let tickers: Set<String>?
    /// `forEachRow`'s sink, borrowed for the file (a copy would share its buffers, and copy them on write).
    let sink: UnsafeMutablePointer<Sink>
    var fields: [Range<Int>] = []  // the general path's, made on its first row
    var lastBytes: [UInt8] = []
    var columns: [String: Int] = [:]
    var index = FlatFileColumns()
    var columnCount = 0  // fields in the header; 0 before it
    var ticker = ""  // one String per run of a ticker's lines: a file lists each ticker's day together
    var lastSelected = true  // whether that ticker is selected, looked up once per run of its lines
    var lastKey: UInt64 = 0  // `ticker` as `tickerKey` gives it (0: none, compared through `lastBytes`)
    var rows = 0
    var shape = PriceShape.none  // the last price's, for the next (`FlatFileRow.parse`)
    var runAnnounced = false  // whether `sink` has had `ticker` (`startRun`) since it was last set

    init(path: String, tickers: Set<String>?, sink: UnsafeMutablePointer<Sink>) {
        (self.path, self.tickers, self.sink) = (path, tickers, sink)
    }

    @inline(__always)
    private mutating func hand(_ row: FlatFileRow, _ number: Int) throws {
        if !runAnnounced {
            sink.pointee.startRun(ticker)
            runAnnounced = true
        }
        try sink.pointee.take(row, line: number)
    }

    mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int, mayHoldQuote _: Bool) throws {
        if number == 1 {
            // Polygon's own header, as bytes: no strings, dictionary or arrays per file (1,260 files on the peers tape).
            if let standard = FlatFileColumns.standard(header: line) {
                index = standard
                columnCount = standard.transactions == nil ? 7 : 8
                return
            }
            let header = String(decoding: line, as: UTF8.self)
            let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            for (index, name) in names.enumerated() { columns[name] = index }
            for name in PolygonFlatFileReader.requiredColumns where columns[name] == nil {
                throw InputError(file: path, line: 1, field: name,
                                message: "missing column in header \(InputError.quote(header)); expected \(PolygonFlatFileReader.requiredColumns.joined(separator: ","))[,transactions]")
            }
            index = FlatFileColumns(columns, count: names.count)
            columnCount = columns.count
            return
        }
        if line.isEmpty { return }
        rows += 1
        // The fast path: Polygon's column order, the ticker up to the first comma, the rest in one pass.
        if index.isStandard, let (comma, key) = PolygonFlatFileReader.tickerKey(line), comma > 0 {
            if key == 0 || key != lastKey, !sameBytes(lastBytes, line, 0..<comma) {
                lastBytes.removeAll(keepingCapacity: true)  // one buffer for the file, not an array per ticker
                lastBytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<comma]))
                ticker = line.text(0..<comma)
                runAnnounced = false
                lastSelected = tickers?.contains(ticker) ?? true
            }
            lastKey = key
            if !lastSelected {
                // Not parsed, but counted: a row with the wrong number of fields is an error for every ticker.
                if PolygonFlatFileReader.commas(line) == columnCount - 1 { return }
            } else if let row = FlatFileRow.parse(line, from: comma + 1, hasTransactions: index.transactions != nil, shape: &shape) {
                try hand(row, number)
                return
            }
        }
        // The general path: any column order, and every row the fast path left, with its error if it has one.
        splitFields(line, separator: UInt8(ascii: ","), into: &fields)
        guard fields.count == columnCount else {
            throw InputError(file: path, line: number, message: "expected \(columnCount) fields, found \(fields.count)")
        }
        let tickerRange = fields[index.ticker]
        if !sameBytes(lastBytes, line, tickerRange) || ticker.isEmpty {
            lastBytes.removeAll(keepingCapacity: true)
            lastBytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[tickerRange]))
            ticker = line.text(tickerRange)
            runAnnounced = false
            lastKey = 0
            guard !ticker.isEmpty else { throw InputError(file: path, line: number, field: "ticker", message: "empty ticker") }
            lastSelected = tickers?.contains(ticker) ?? true
        }
        if !lastSelected { return }
        func field(_ column: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: line[fields[column]]) }
        func malformed(_ column: Int, _ name: String, _ expected: String) -> InputError {
            InputError(file: path, line: number, field: name, message: "expected \(expected), got \(InputError.quote(field(column)))")
        }
        func price(_ column: Int, _ name: String) throws -> Price {
            guard let value = Fixed.parse(field(column)) else {
                if let problem = FieldParsing.priceOutOfRange(field(column)) { throw InputError(file: path, line: number, field: name, message: problem) }
                throw malformed(column, name, "a decimal price")
            }
            if let problem = Limits.priceProblem(value) { throw InputError(file: path, line: number, field: name, message: problem) }
            return value
        }
        guard let start = FieldParsing.int64(field(index.windowStart)) else {
            throw malformed(index.windowStart, "window_start", "integer nanoseconds since the epoch")
        }
        if let problem = Limits.timeProblem(Timestamp(nanoseconds: start)) { throw InputError(file: path, line: number, field: "window_start", message: problem) }
        guard let volume = FieldParsing.volume(field(index.volume)) else { throw malformed(index.volume, "volume", "a number") }
        if let problem = Limits.volumeProblem(volume) { throw InputError(file: path, line: number, field: "volume", message: problem) }
        var trades: Int64? = nil
        if let column = index.transactions, !fields[column].isEmpty {
            guard let n = FieldParsing.int64(field(column)) else { throw malformed(column, "transactions", "an integer") }
            trades = n
        }
        try hand(FlatFileRow(start: start, open: try price(index.open, "open").raw, high: try price(index.high, "high").raw,
                             low: try price(index.low, "low").raw, close: try price(index.close, "close").raw,
                             volume: volume, trades: trades), number)
    }
}

/// The buffers a stream of flat files is read through, one file after another, made once for all of them
/// (the inflate buffers, the line splitter's, the last ticker's bytes, the general path's field list:
/// made and freed per file, these were most of a day file's mallocs, 1,260 files on the peers tape).
/// Each file starts from them emptied: nothing of the file before is read again.
struct FlatFileReading {
    private var inflate: InflateBuffers?
    var splitter = LineSplitter(source: "")
    var fields: [Range<Int>] = []
    var lastBytes: [UInt8] = []

    /// Made on first use, so that an empty `FlatFileReading` (a placeholder while one is moved out) costs nothing.
    mutating func inflateBuffers() -> InflateBuffers {
        if let inflate { return inflate }
        let made = InflateBuffers()
        inflate = made
        return made
    }
}

/// Whether `line[range]` holds exactly `bytes` (the last ticker's text).
@inline(__always)
func sameBytes(_ bytes: [UInt8], _ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    guard bytes.count == range.count else { return false }
    if bytes.isEmpty { return true }
    return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, line.baseAddress! + range.lowerBound, range.count) == 0 }
}

/// Column positions resolved once from the header, so rows are parsed without dictionary look-ups.
struct FlatFileColumns {
    var ticker = 0, volume = 0, open = 0, close = 0, high = 0, low = 0, windowStart = 0
    var transactions: Int? = nil
    /// Polygon's own order, `ticker,volume,open,close,high,low,window_start[,transactions]` and nothing
    /// else: the rows the fast path (`FlatFileRow`) reads.
    var isStandard = false

    init() {}

    /// Polygon's header exactly (`ticker,volume,open,close,high,low,window_start[,transactions]`, nothing
    /// trimmed): the columns `init(_:count:)` makes of it; nil for any other header.
    static func standard(header: UnsafeBufferPointer<UInt8>) -> FlatFileColumns? {
        let hasTransactions: Bool
        if header.elementsEqual(standardHeader.utf8) {
            hasTransactions = true
        } else if header.elementsEqual(standardHeader.utf8.dropLast(",transactions".utf8.count)) {
            hasTransactions = false
        } else {
            return nil
        }
        var columns = FlatFileColumns()
        (columns.volume, columns.open, columns.close, columns.high, columns.low, columns.windowStart) = (1, 2, 3, 4, 5, 6)
        columns.transactions = hasTransactions ? 7 : nil
        columns.isStandard = true
        return columns
    }

    static let standardHeader = "ticker,volume,open,close,high,low,window_start,transactions"

    init(_ columns: [String: Int], count: Int) {
        ticker = columns["ticker"]!
        volume = columns["volume"]!
        open = columns["open"]!
        close = columns["close"]!
        high = columns["high"]!
        low = columns["low"]!
        windowStart = columns["window_start"]!
        transactions = columns["transactions"]
        isStandard = [ticker, volume, open, close, high, low, windowStart] == [0, 1, 2, 3, 4, 5, 6]
            && (transactions == nil ? count == 7 : transactions == 7 && count == 8) && columns.count == count
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
