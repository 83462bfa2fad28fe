import TapebenchCore

/// Tells a CSV file's dialect from its first line and a sample of the rows after it.
///
/// Rules, in order:
/// - separator: the most frequent of `,` `;` tab in the first line;
/// - header: the first line is a header unless every field in it is a number or a date-time;
/// - columns by name, case and spaces and underscores ignored: `timestamp`/`datetime`/`date`(+`time`)/`t`/
///   `timestamp_utc`/`open_time`, `open`/`o`, `high`/`h`, `low`/`l`, `close`/`c`/`last`/`price`, `volume`/`vol`/`v`,
///   `ticker`/`symbol`; an unnamed first column holding dates is the time (pandas index); other columns are ignored;
/// - a header one name short of its rows, with a `date` column followed by time-of-day values, gets `time` added;
/// - without a header: time, open, high, low, close[, volume, ...] by position;
/// - time: integers are epoch counts (unit by size), or milliseconds since midnight when the file name
///   carries the date (LEAN); text is a date-time, a date (daily), or a date and a time column;
/// - zone: an offset written in the text wins; a column named `…utc…` or epoch counts are UTC; otherwise
///   exchange time (America/New_York);
/// - `M/D/YYYY` or `D/M/YYYY`: decided by a day above 12 in the sample, or by an AM/PM clock (US order);
///   otherwise ambiguous, and an error asks for `date_order`.
public enum DialectDetection {
    public static func detect(source: String, memberName: String, lines: [String], hints: DialectHints) throws -> CSVDialect {
        guard let first = lines.first else { throw InputError(file: source, line: 1, message: "empty file: expected a CSV header or bar rows") }
        let separator = hints.separator ?? guessSeparator(first)
        let split: (String) -> [String] = { $0.split(separator: Character(UnicodeScalar(separator)), omittingEmptySubsequences: false).map { $0.trimmingWhitespace() } }
        let firstFields = split(first)
        let hasHeader = hints.hasHeader ?? !firstFields.allSatisfy { $0.isEmpty || isNumber($0) || isDateTime($0) }
        let sample = (hasHeader ? Array(lines.dropFirst()) : lines).map(split).filter { $0.count > 1 || $0.first?.isEmpty == false }
        guard let row = sample.first else {
            throw InputError(file: source, line: 2, message: "no rows after the header '\(first)'")
        }
        var names = hasHeader ? firstFields : []
        if hasHeader, row.count == names.count + 1, let date = names.firstIndex(where: { normalize($0) == "date" }),
           !names.contains(where: { normalize($0) == "time" }), date + 1 < row.count, isTimeOfDay(row[date + 1]) {
            names.insert("Time", at: date + 1)  // backtrader's 2006 files: 7 names, 8 fields
        }
        var roles = hasHeader ? try assignRoles(names, sample: row, source: source, header: first, hints: hints)
                              : try positionalRoles(row, source: source, hints: hints)
        for (role, column) in try hintedColumns(hints, names: names, source: source) { roles[role] = column }

        guard let close = roles["close"] else {
            throw InputError(file: source, line: 1, message: "cannot tell the dialect: no close or price column in '\(first)'; name it in the dialect's columns (for example close: Last)")
        }
        let time = try timeLayout(roles, sample: sample, memberName: memberName, source: source, header: first, hints: hints)
        let dateOrder = try hints.dateOrder ?? decideDateOrder(time, sample: sample, source: source)
        var zone = hints.zone ?? .exchange
        if hints.zone == nil, let column = timeColumnIndex(time), column < names.count, normalize(names[column]).contains("utc") { zone = .utc }
        let interval: Int64
        if let seconds = hints.intervalSeconds {
            interval = seconds * Timestamp.nanosecondsPerSecond
        } else if case .text(let c) = time, let parsed = row[safe: c].flatMap({ parseDateTime($0, order: dateOrder) }), !parsed.hasTime {
            interval = Timestamp.nanosecondsPerDay
        } else if case .text(let c) = time, let parsed = row[safe: c].flatMap({ parseDateTime($0, order: dateOrder) }),
                  parsed.nanosecondOfDay == 0, sample.prefix(20).allSatisfy({ $0[safe: c].flatMap { parseDateTime($0, order: dateOrder) }?.nanosecondOfDay == 0 }),
                  sample.count > 1 {
            interval = Timestamp.nanosecondsPerDay  // "2/22/2013 12:00:00 AM" on every row: daily bars at midnight
        } else {
            interval = Timestamp.nanosecondsPerMinute
        }
        let leanScale = LeanNames.parse(memberName) != nil ? 4 : 0
        return CSVDialect(
            separator: separator, hasHeader: hasHeader, header: hasHeader ? firstFields : [], time: time,
            ticker: roles["ticker"], open: roles["open"], high: roles["high"], low: roles["low"], close: close,
            volume: roles["volume"], priceScale: hints.priceScale ?? leanScale, zone: zone, dateOrder: dateOrder, interval: interval)
    }

    // MARK: - Columns

    static let synonyms: [String: String] = [
        "timestamp": "time", "timestamputc": "time", "datetime": "time", "t": "time", "opentime": "time",
        "windowstart": "time", "time": "time_of_day", "date": "date", "day": "date",
        "open": "open", "o": "open", "high": "high", "h": "high", "low": "low", "l": "low",
        "close": "close", "c": "close", "last": "close", "price": "close",
        "volume": "volume", "vol": "volume", "v": "volume",
        "ticker": "ticker", "symbol": "ticker", "sym": "ticker",
    ]

    static func normalize(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    static func assignRoles(_ names: [String], sample: [String], source: String, header: String, hints: DialectHints) throws -> [String: Int] {
        var roles: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let key = normalize(name)
            if key.isEmpty {
                // An unnamed column (a pandas index): the time when it holds dates, else ignored.
                if let value = sample[safe: index], isDateTime(value), roles["time"] == nil { roles["time"] = index }
                continue
            }
            guard let role = synonyms[key], roles[role] == nil else { continue }
            roles[role] = index
        }
        // `time` alone holding full date-times is the time column, not a time of day.
        if roles["time"] == nil, roles["date"] == nil, let t = roles["time_of_day"], let value = sample[safe: t], isDateTime(value) || isInteger(value) {
            roles["time"] = t
            roles["time_of_day"] = nil
        }
        return roles
    }

    static func positionalRoles(_ row: [String], source: String, hints: DialectHints) throws -> [String: Int] {
        guard row.count >= 5 else {
            throw InputError(file: source, line: 1, message: "no header and only \(row.count) fields; expected time,open,high,low,close[,volume] or a dialect naming the columns")
        }
        var roles = ["time": 0, "open": 1, "high": 2, "low": 3, "close": 4]
        if row.count >= 6 { roles["volume"] = 5 }
        return roles
    }

    static func hintedColumns(_ hints: DialectHints, names: [String], source: String) throws -> [(String, Int)] {
        try hints.columns.sorted { $0.key < $1.key }.map { role, column in
            if let number = Int(column), number >= 1 { return (role, number - 1) }
            guard let index = names.firstIndex(where: { $0 == column || normalize($0) == normalize(column) }) else {
                throw InputError(file: source, line: 1, field: role, message: "the dialect names column '\(column)', which the header '\(names.joined(separator: ","))' does not have")
            }
            return (role, index)
        }
    }

    static func timeLayout(_ roles: [String: Int], sample: [[String]], memberName: String, source: String, header: String, hints: DialectHints) throws -> TimeLayout {
        if let date = roles["date"], let time = roles["time_of_day"] { return .dateAndTime(date: date, time: time) }
        guard let column = roles["time"] ?? roles["date"] else {
            throw InputError(file: source, line: 1, message: "cannot tell the dialect: no time column in '\(header)'; expected timestamp, datetime, date (and time), or a dialect naming it")
        }
        let value = sample.first?[safe: column] ?? ""
        if let integer = Int64(value) {
            if let unit = hints.epochUnit { return .epoch(column: column, unit: unit) }
            if FileNameDate.find(memberName) != nil, integer < 86_400_000 { return .millisecondsOfDay(column: column) }
            return .epoch(column: column, unit: EpochUnit.guess(integer))
        }
        guard isDateTime(value) else {
            throw InputError(file: source, line: 2, message: "cannot read '\(value)' in the time column as a date, a date-time or an epoch count")
        }
        return .text(column: column)
    }

    static func timeColumnIndex(_ layout: TimeLayout) -> Int? {
        switch layout {
        case let .text(c): return c
        case let .dateAndTime(d, _): return d
        case .epoch, .millisecondsOfDay: return nil
        }
    }

    static func decideDateOrder(_ layout: TimeLayout, sample: [[String]], source: String) throws -> DateOrder {
        guard let column = timeColumnIndex(layout) else { return .mdy }
        var sawSlashYearLast = false
        for row in sample {
            guard let text = row[safe: column] else { continue }
            let parts = text.prefix { $0 != " " && $0 != "T" }.split(separator: "/")
            guard parts.count == 3, parts[2].count == 4, let a = Int(parts[0]), let b = Int(parts[1]) else { continue }
            sawSlashYearLast = true
            if a > 12 { return .dmy }
            if b > 12 { return .mdy }
            if text.uppercased().hasSuffix("AM") || text.uppercased().hasSuffix("PM") { return .mdy }
        }
        if sawSlashYearLast {
            throw InputError(file: source, line: 2, message: "dates like '\(sample[0][column])' could be month/day or day/month; state date_order: mdy or dmy in the dialect")
        }
        return .mdy
    }

    // MARK: - Value shapes

    static func guessSeparator(_ line: String) -> UInt8 {
        let counts: [(UInt8, Int)] = [(UInt8(ascii: ","), 0), (UInt8(ascii: ";"), 0), (UInt8(ascii: "\t"), 0)].map { byte, _ in
            (byte, line.utf8.filter { $0 == byte }.count)
        }
        return counts.max { $0.1 < $1.1 }.map { $0.1 > 0 ? $0.0 : UInt8(ascii: ",") } ?? UInt8(ascii: ",")
    }

    static func isNumber(_ text: String) -> Bool { Fixed(parsing: text) != nil || Double(text) != nil }
    static func isInteger(_ text: String) -> Bool { Int64(text) != nil }

    static func parseDateTime(_ text: String, order: DateOrder) -> LocalDateTime? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { DateTimeText.dateTime(UnsafeBufferPointer($0), order: order) }
    }

    static func isDateTime(_ text: String) -> Bool {
        !isInteger(text) && (parseDateTime(text, order: .mdy) != nil || parseDateTime(text, order: .dmy) != nil)
    }

    static func isTimeOfDay(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            DateTimeText.time(UnsafeBufferPointer(b), from: 0, compact: true).map { $0.1 == b.count } ?? false
        }
    }
}

/// QuantConnect LEAN file names: `20140605_aapl_minute_trade.csv` carries the date and the ticker.
public enum LeanNames {
    public static func parse(_ memberName: String) -> (date: CivilDate, ticker: String)? {
        let name = memberName.split(separator: "/").last.map(String.init) ?? memberName
        let parts = name.split(separator: "_")
        guard parts.count == 4, parts[0].count == 8, let value = Int(parts[0]), parts[3] == "trade.csv",
              ["minute", "second", "hour", "tick"].contains(String(parts[2]))
        else { return nil }
        let date = CivilDate(year: value / 10_000, month: value / 100 % 100, day: value % 100)
        guard CivilDate(iso: date.description) != nil else { return nil }
        return (date, parts[1].uppercased())
    }
}

/// A date written in a file name (`20140605_trade.csv`, `SPY_2013-10-07.csv`): the first run of eight
/// digits that is a real date, or the first `YYYY-MM-DD`.
public enum FileNameDate {
    public static func find(_ name: String) -> CivilDate? {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        let characters = Array(base)
        var i = 0
        while i < characters.count {
            guard characters[i].isNumber else { i += 1; continue }
            var j = i
            while j < characters.count, characters[j].isNumber || characters[j] == "-" { j += 1 }
            let run = String(characters[i..<j])
            if run.count >= 10, let date = CivilDate(iso: run.prefix(10)) { return date }
            let digits = run.prefix { $0.isNumber }
            if digits.count == 8, let value = Int(digits) {
                let date = CivilDate(year: value / 10_000, month: value / 100 % 100, day: value % 100)
                if CivilDate(iso: date.description) != nil { return date }
            }
            i = j
        }
        return nil
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
