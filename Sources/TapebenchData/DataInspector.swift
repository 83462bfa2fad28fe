import Foundation
import TapebenchCore

/// The formats a file can hold.
public enum DataFormat: String, Sendable, Hashable {
    case polygonFlatFile = "polygon-flat-file"
    case polygonRest = "polygon-rest"
    case csv
}

/// Per-ticker facts of one source.
public struct TickerSpan: Sendable, Hashable {
    public var bars = 0
    /// Bars starting outside the regular hours of the calendar inspected under (`out_of_hours`; replay skips them).
    public var outsideSession = 0
    public var first: Timestamp?
    public var last: Timestamp?

    mutating func add(_ bar: Bar, regular: Bool) {
        bars += 1
        if !regular { outsideSession += 1 }
        if first.map({ bar.start < $0 }) ?? true { first = bar.start }
        if last.map({ bar.start > $0 }) ?? true { last = bar.start }
    }

    /// The span of both: bars counted, the earliest first and the latest last.
    mutating func merge(_ other: TickerSpan) {
        bars += other.bars
        outsideSession += other.outsideSession
        if let start = other.first, first.map({ start < $0 }) ?? true { first = start }
        if let end = other.last, last.map({ end > $0 }) ?? true { last = end }
    }
}

/// What `data inspect` says of one file or archive member.
public struct InspectedSource: Sendable {
    public var source: String
    public var format: DataFormat
    /// The dialect, for CSV.
    public var dialect: String?
    public var tickers: [String: TickerSpan] = [:]
    public var bars: Int { tickers.values.reduce(0) { $0 + $1.bars } }
}

/// Classifies files and reads them through, for `data inspect` and the tests.
public enum DataInspector {
    /// Which reader a file needs, by name and (for `YYYY-MM-DD.csv[.gz]`) by header.
    public static func format(of path: String) throws -> DataFormat? {
        var probe = HeaderProbe()
        return try format(of: path, probe: &probe)
    }

    /// `format(of:)` with the buffers of a listing, shared by its files.
    static func format(of path: String, probe: inout HeaderProbe) throws -> DataFormat? {
        let name = PathText.lastComponent(path)
        let lower = name.lowercased()
        if lower.hasSuffix(".json") { return .polygonRest }
        if ArchiveMembers.isBundle(path) { return .csv }
        guard lower.hasSuffix(".csv.gz") || CSVReader.isCSVName(lower) else { return nil }
        if Dataset.flatFileDate(name) != nil, try probe.hasFlatFileHeader(path) { return .polygonFlatFile }
        return .csv
    }

    /// The buffers a listing reads its files' first lines through, made once for all of them (a small
    /// inflate block: only the header is wanted, not a quarter megabyte of the day inflated for it; 512
    /// bytes, not 4 KiB: 1,260 day files on the peers tape inflated 5 MB for their headers). The input is
    /// small too: ISA-L inflates all the input it is given, and 4 KiB of it was half a small day file
    /// inflated for its header (1 KiB still makes the first 512 bytes, even stored).
    struct HeaderProbe {
        let inflate = InflateBuffers(outputSize: 1 << 9, inputSize: 1 << 10)
        var splitter = LineSplitter(source: "")

        /// Whether the file's first line is a flat-file header: Polygon's own, told as bytes, or any other
        /// `isFlatFileHeader` accepts (no line: not one).
        mutating func hasFlatFileHeader(_ path: String) throws -> Bool {
            let reader = try ArchiveByteReader(path: path, blockSize: 1 << 12, inflate: inflate)
            return try reader.firstLine(splitter: &splitter) { line in
                FlatFileColumns.standard(header: line) != nil
                    || PolygonFlatFileReader.isFlatFileHeader(String(decoding: line, as: UTF8.self))
            } ?? PolygonFlatFileReader.isFlatFileHeader("")
        }
    }

    /// A flat file's tickers and spans, in one pass in file order: a file lists each ticker's bars together,
    /// so a span is kept per run of a ticker's rows and added to the table once per run (no sort, no
    /// look-up per bar). Each bar's hours are judged by `sessions` (`--session`).
    static func inspectFlatFile(_ file: String, sessions: inout SessionCache) throws -> InspectedSource {
        var source = InspectedSource(source: file, format: .polygonFlatFile)
        var ticker = ""
        var span = TickerSpan()
        func close() {
            guard span.bars > 0 else { return }
            source.tickers[ticker, default: TickerSpan()].merge(span)
        }
        try PolygonFlatFileReader.forEachBar(path: file, tickers: nil) { bar, _ in
            if bar.ticker != ticker {
                close()
                ticker = bar.ticker
                span = TickerSpan()
            }
            span.add(bar, regular: sessions.isRegularHours(bar.start))
        }
        close()
        return source
    }

    /// Every file under `paths`, read through, each bar's hours judged by `calendar` (`--session`).
    /// A file that cannot be read is reported in `failures` and the rest are still read.
    public static func inspect(paths: [String], hints: DialectHints, calendar: ExchangeCalendar = .nyse) throws
        -> (sources: [InspectedSource], skipped: [String], failures: [InputError]) {
        var sessions = SessionCache(calendar: calendar)
        var sources: [InspectedSource] = []
        var skipped: [String] = []
        var failures: [InputError] = []
        for path in paths {
            for file in try Dataset.listFiles(path) {
              do {
                switch try format(of: file) {
                case .polygonFlatFile:
                    sources.append(try inspectFlatFile(file, sessions: &sessions))
                case .polygonRest:
                    let page = try PolygonRestReader.readPage(path: file)
                    var source = InspectedSource(source: file, format: .polygonRest)
                    source.tickers[page.ticker] = TickerSpan()
                    for bar in page.bars { source.tickers[page.ticker]!.add(bar, regular: sessions.isRegularHours(bar.start)) }
                    sources.append(source)
                case .csv:
                    var current: InspectedSource?
                    try CSVReader.read(path: file, hints: hints, onMember: { member in
                        if let current { sources.append(current) }
                        current = InspectedSource(source: member.source, format: .csv, dialect: member.dialect.summary)
                    }, onSkipped: { skipped.append("\(file)[\($0)]") }, onNoBars: { source, _ in
                        if let current { sources.append(current) }
                        current = InspectedSource(source: source, format: .csv, dialect: "a header and no rows")
                    }, onBar: { bar, _ in
                        current!.tickers[bar.ticker, default: TickerSpan()].add(bar, regular: sessions.isRegularHours(bar.start))
                    })
                    if let current { sources.append(current) }
                case nil:
                    skipped.append(file)
                }
              } catch let error as InputError {
                failures.append(error)
              }
            }
        }
        return (sources, skipped, failures)
    }
}
