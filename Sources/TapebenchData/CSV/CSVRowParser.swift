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
    /// The text of a quoted row's fields (quotes removed), which `fields` then points into.
    private var unquoted: [UInt8] = []
    private var lastTicker: String = ""
    /// The highest column the dialect reads, computed once (rows are checked against it).
    private let highestColumn: Int
    private let priceDivisor: Int64
    /// Whether the dialect declares formats (checked per row as plain flags: binding the optional formats
    /// would retain their storage on every row).
    private let declaredDate: Bool
    private let declaredTime: Bool
    private let decimalComma: Bool

    public init(dialect: CSVDialect, source: String, fileTicker: String?, fileDate: CivilDate?) {
        self.dialect = dialect
        self.source = source
        self.fileTicker = fileTicker
        self.fileDate = fileDate
        highestColumn = dialect.highestColumn
        var divisor: Int64 = 1
        for _ in 0..<dialect.priceScale { divisor *= 10 }
        priceDivisor = divisor
        declaredDate = dialect.dateFormat != nil
        declaredTime = dialect.timeFormat != nil
        decimalComma = dialect.decimalComma
        fields.reserveCapacity(16)
    }

    /// The bar of one data line, nil for a blank line. `mayHoldQuote: false` (from `LineSplitter`) spares
    /// the look for a double quote.
    public mutating func bar(_ line: UnsafeBufferPointer<UInt8>, number: Int, mayHoldQuote: Bool = true) throws -> Bar? {
        if line.isEmpty || line.allSatisfy({ $0 == 32 || $0 == 9 }) { return nil }
        guard mayHoldQuote, CSVFields.hasQuote(line) else {
            splitFields(line, separator: dialect.separator, into: &fields)
            return try parse(line, number)
        }
        // Swapped out so that `parse` may mutate self while the buffer is borrowed.
        var text = unquoted
        unquoted = []
        defer { unquoted = text }
        CSVFields.splitQuoted(line, separator: dialect.separator, into: &fields, scratch: &text)
        return try text.withUnsafeBufferPointer { try parse($0, number) }
    }

    /// The bar of a line whose fields have been split into `fields` (ranges into `line`).
    private mutating func parse(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws -> Bar {
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
                let value = decimalComma ? NumberText.double(bytes, decimalComma: true)
                                         : FieldParsing.volume(bytes) ?? NumberText.double(bytes, decimalComma: false)
                guard let value else {
                    throw InputError(file: source, line: number, field: name(v), message: "expected a number, got \(InputError.quote(bytes))\(decimalAdvice(bytes))")
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

    @inline(__always)
    func price(_ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ number: Int) throws -> Price {
        let bytes = field(line, column)
        // The plain form is the fast path; thousands separators and decimal commas are read out of line.
        guard !decimalComma, var value = Fixed.parse(bytes) else { return try writtenPrice(bytes, column, number) }
        if priceDivisor > 1 { value = value.scaled(by: 1, over: priceDivisor) }
        if let problem = Limits.priceProblem(value) { throw InputError(file: source, line: number, field: name(column), message: problem) }
        return value
    }

    /// A price in another form than the plain one: grouped thousands, a decimal comma; or an error.
    @inline(never)
    func writtenPrice(_ bytes: UnsafeBufferPointer<UInt8>, _ column: Int, _ number: Int) throws -> Price {
        guard var value = NumberText.fixed(bytes, decimalComma: decimalComma) else {
            if let problem = FieldParsing.priceOutOfRange(bytes) { throw InputError(file: source, line: number, field: name(column), message: problem) }
            throw InputError(file: source, line: number, field: name(column), message: "expected a decimal price, got \(InputError.quote(bytes))\(decimalAdvice(bytes))")
        }
        if priceDivisor > 1 { value = value.scaled(by: 1, over: priceDivisor) }
        if let problem = Limits.priceProblem(value) { throw InputError(file: source, line: number, field: name(column), message: problem) }
        return value
    }

    /// What to declare when a number would read under the other decimal mark.
    func decimalAdvice(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard NumberText.fixed(bytes, decimalComma: !dialect.decimalComma) != nil else { return "" }
        return dialect.decimalComma ? "; if '.' is the decimal mark, state decimal: '.' in the dialect"
                                    : "; if ',' is the decimal mark, state decimal: ',' in the dialect"
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
            return try zoned(LocalDateTime(date: date, nanosecondOfDay: ms * 1_000_000, utcOffsetSeconds: nil, hasTime: true), line, column, number)
        case let .text(column):
            if declaredDate { return try declaredDateTime(line, column, number) }
            guard let parsed = DateTimeText.dateTime(field(line, column), order: dialect.dateOrder) else {
                throw timeError(line, column, number, "a date or date-time like 2024-03-11 09:30:00 (or state its date_format)")
            }
            return try zoned(parsed, line, column, number)
        case let .dateAndTime(dateColumn, timeColumn):
            let date = try dateOfDay(field(line, dateColumn), line, dateColumn, number)
            let timeBytes = field(line, timeColumn)
            let nanos: Int64
            if declaredTime, let format = dialect.timeFormat {
                guard let parsed = format.read(timeBytes), !format.hasDate else { throw timeError(line, timeColumn, number, "a time in the time_format \(InputError.quote(format.pattern))") }
                nanos = parsed.nanosecondOfDay
            } else {
                guard let (value, length) = DateTimeText.time(timeBytes, from: 0, compact: true), length == timeBytes.count else {
                    throw timeError(line, timeColumn, number, "a time of day like 09:30:00, 0930 or 93000 (or state its time_format)")
                }
                nanos = value
            }
            return try zoned(LocalDateTime(date: date, nanosecondOfDay: nanos, utcOffsetSeconds: nil, hasTime: true), line, dateColumn, number)
        }
    }

    /// The column a row's time is named by in errors (the date's, for a date and a time apart).
    var timeColumn: Int {
        switch dialect.time {
        case let .epoch(column, _), let .text(column), let .millisecondsOfDay(column): return column
        case let .dateAndTime(date, _): return date
        }
    }

    @inline(never)
    private func declaredDateTime(_ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ number: Int) throws -> Timestamp {
        guard let format = dialect.dateFormat, let parsed = format.read(field(line, column)) else {
            throw timeError(line, column, number, "text in the date_format \(InputError.quote(dialect.dateFormat?.pattern ?? ""))")
        }
        return try zoned(parsed, line, column, number)
    }

    /// The instant of a local time in the dialect's zone; one the clocks skipped is an error naming the row.
    private func zoned(_ local: LocalDateTime, _ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ number: Int) throws -> Timestamp {
        do {
            return try local.checkedInstant(in: dialect.zone)
        } catch {
            throw InputError(file: source, line: number, field: name(column), message: "\(InputError.quote(field(line, column))) \(error.message)")
        }
    }

    private func dateOfDay(_ bytes: UnsafeBufferPointer<UInt8>, _ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ number: Int) throws -> CivilDate {
        if declaredDate, let format = dialect.dateFormat {
            guard let parsed = format.read(bytes), format.hasDate else { throw timeError(line, column, number, "a date in the date_format \(InputError.quote(format.pattern))") }
            return parsed.date
        }
        guard let (date, length) = DateTimeText.date(bytes, from: 0, order: dialect.dateOrder), length == bytes.count else {
            throw timeError(line, column, number, "a date like 2024-03-11, 2024.03.11 or 20240311 (or state its date_format)")
        }
        return date
    }

    @inline(never)
    func timeError(_ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ number: Int, _ expected: String) -> InputError {
        InputError(file: source, line: number, field: name(column), message: "expected \(expected), got \(InputError.quote(field(line, column)))")
    }
}
