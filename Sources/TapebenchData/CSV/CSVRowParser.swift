import TapebenchCore

/// Turns the rows of one CSV file (or archive member) into bars under a dialect.
public struct CSVRowParser {
    public let dialect: CSVDialect
    /// Where errors point: `file` or `bundle.zip[member]`.
    public let source: String
    /// The ticker for files without a ticker column.
    public let fileTicker: String?
    /// The date for times written as milliseconds since midnight (from the file name).
    public let fileDate: CivilDate?
    private var fields: [Range<Int>] = []
    private var lastTicker: String = ""
    /// The highest column the dialect reads, computed once (rows are checked against it).
    private let highestColumn: Int
    private let priceDivisor: Int64

    public init(dialect: CSVDialect, source: String, fileTicker: String?, fileDate: CivilDate?) {
        self.dialect = dialect
        self.source = source
        self.fileTicker = fileTicker
        self.fileDate = fileDate
        highestColumn = dialect.highestColumn
        var divisor: Int64 = 1
        for _ in 0..<dialect.priceScale { divisor *= 10 }
        priceDivisor = divisor
        fields.reserveCapacity(16)
    }

    /// The bar of one data line, nil for a blank line.
    public mutating func bar(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws -> Bar? {
        if line.isEmpty || line.allSatisfy({ $0 == 32 || $0 == 9 }) { return nil }
        splitFields(line, separator: dialect.separator, into: &fields)
        guard fields.count > highestColumn else {
            throw InputError(file: source, line: number, message: "expected at least \(highestColumn + 1) fields, found \(fields.count)")
        }
        let start = try time(line, number)
        if let problem = Limits.timeProblem(start) { throw InputError(file: source, line: number, field: name(timeColumn), message: problem) }
        let close = try price(line, dialect.close, number)
        let open = try dialect.open.map { try price(line, $0, number) } ?? close
        let high = try dialect.high.map { try price(line, $0, number) } ?? max(open, close)
        let low = try dialect.low.map { try price(line, $0, number) } ?? min(open, close)
        var volume = 0.0
        if let v = dialect.volume {
            let bytes = field(line, v)
            if !bytes.isEmpty {
                guard let value = FieldParsing.volume(bytes) else {
                    throw InputError(file: source, line: number, field: name(v), message: "expected a number, got '\(String(decoding: bytes, as: UTF8.self))'")
                }
                if let problem = Limits.volumeProblem(value) { throw InputError(file: source, line: number, field: name(v), message: problem) }
                volume = value
            }
        }
        let ticker: String
        if let t = dialect.ticker {
            let bytes = field(line, t)
            guard !bytes.isEmpty else { throw InputError(file: source, line: number, field: name(t), message: "empty ticker") }
            if !lastTicker.utf8.elementsEqual(bytes) { lastTicker = String(decoding: bytes, as: UTF8.self) }
            ticker = lastTicker
        } else {
            ticker = fileTicker ?? ""
        }
        return Bar(ticker: ticker, start: start, open: open, high: high, low: low, close: close, volume: volume, duration: dialect.interval)
    }

    func field(_ line: UnsafeBufferPointer<UInt8>, _ column: Int) -> UnsafeBufferPointer<UInt8> {
        var range = fields[column]
        // Trim spaces around a field ("Volume " headers have their twins in data).
        while range.lowerBound < range.upperBound, line[range.lowerBound] == 32 { range = (range.lowerBound + 1)..<range.upperBound }
        while range.lowerBound < range.upperBound, line[range.upperBound - 1] == 32 { range = range.lowerBound..<(range.upperBound - 1) }
        return UnsafeBufferPointer(rebasing: line[range])
    }

    func name(_ column: Int) -> String {
        column < dialect.header.count && !dialect.header[column].isEmpty ? dialect.header[column] : "column \(column + 1)"
    }

    func price(_ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ number: Int) throws -> Price {
        let bytes = field(line, column)
        guard var value = Fixed.parse(bytes) else {
            if let problem = FieldParsing.priceOutOfRange(bytes) { throw InputError(file: source, line: number, field: name(column), message: problem) }
            throw InputError(file: source, line: number, field: name(column), message: "expected a decimal price, got '\(String(decoding: bytes, as: UTF8.self))'")
        }
        if priceDivisor > 1 { value = value.scaled(by: 1, over: priceDivisor) }
        if let problem = Limits.priceProblem(value) { throw InputError(file: source, line: number, field: name(column), message: problem) }
        return value
    }

    func time(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws -> Timestamp {
        switch dialect.time {
        case let .epoch(column, unit):
            guard let count = FieldParsing.int64(field(line, column)) else { throw timeError(line, column, number, "an integer epoch count in \(unit.rawValue)") }
            let (nanoseconds, overflow) = count.multipliedReportingOverflow(by: unit.nanoseconds)
            guard !overflow else { throw InputError(file: source, line: number, field: name(column), message: "\(count) \(unit.rawValue) is outside the times Tapebench reads, the years 1900 to 2149") }
            return Timestamp(nanoseconds: nanoseconds)
        case let .millisecondsOfDay(column):
            guard let ms = FieldParsing.int64(field(line, column)), ms >= 0, ms < 86_400_000, let date = fileDate else {
                throw timeError(line, column, number, "milliseconds since midnight (0 to 86399999)")
            }
            return LocalDateTime(date: date, nanosecondOfDay: ms * 1_000_000, utcOffsetSeconds: nil, hasTime: true).instant(in: dialect.zone)
        case let .text(column):
            guard let parsed = DateTimeText.dateTime(field(line, column), order: dialect.dateOrder) else {
                throw timeError(line, column, number, "a date or date-time like 2024-03-11 09:30:00")
            }
            return parsed.instant(in: dialect.zone)
        case let .dateAndTime(dateColumn, timeColumn):
            let dateBytes = field(line, dateColumn), timeBytes = field(line, timeColumn)
            guard let (date, length) = DateTimeText.date(dateBytes, from: 0, order: dialect.dateOrder), length == dateBytes.count else {
                throw timeError(line, dateColumn, number, "a date like 2024-03-11 or 20240311")
            }
            guard let (nanos, timeLength) = DateTimeText.time(timeBytes, from: 0, compact: true), timeLength == timeBytes.count else {
                throw timeError(line, timeColumn, number, "a time of day like 09:30:00 or 0930")
            }
            return LocalDateTime(date: date, nanosecondOfDay: nanos, utcOffsetSeconds: nil, hasTime: true).instant(in: dialect.zone)
        }
    }

    /// The column a row's time is named by in errors (the date's, for a date and a time apart).
    var timeColumn: Int {
        switch dialect.time {
        case let .epoch(column, _), let .text(column), let .millisecondsOfDay(column): return column
        case let .dateAndTime(date, _): return date
        }
    }

    func timeError(_ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ number: Int, _ expected: String) -> InputError {
        InputError(file: source, line: number, field: name(column), message: "expected \(expected), got '\(String(decoding: field(line, column), as: UTF8.self))'")
    }
}
