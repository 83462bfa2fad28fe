import TapebenchCore

/// Tells a CSV file's dialect from its first line and a sample of the rows after it.
///
/// Rules, in order:
/// - separator: the most frequent of `,` `;` tab outside quotes in the first line;
/// - header: the first line is a header unless every field in it (or every one after a leading ticker) is a
///   number, a date or a time;
/// - columns by name, case, `<>`, spaces and underscores ignored: `timestamp`/`datetime`/`date`(+`time`)/`t`/
///   `timestamp_utc`/`open_time`/`dt`, `open`/`o`, `high`/`h`, `low`/`l`, `close`/`c`/`last`/`price`,
///   `volume`/`vol`/`v`, `ticker`/`symbol`; MetaTrader's `<DTYYYYMMDD>` is the date; an unnamed first column
///   holding dates is the time (pandas index); other columns are ignored;
/// - a header one name short of its rows, with a `date` column followed by time-of-day values, gets `time` added;
/// - a `time` column holding times of day needs a date column: a column holding dates is taken, else an error;
/// - without a header: [ticker,] time or date and time, open, high, low, close[, volume, ...] by position, the
///   reading whose prices make sense (high ≥ open, close ≥ low) on every sampled row;
/// - time: integers are epoch counts (unit by size; a count before 1973 is refused as a probable date or time),
///   `YYYYMMDD` integers are dates, or milliseconds since midnight when the file name carries the date (LEAN);
///   text is a date-time, a date (daily), or a date and a time column; a declared `date_format`/`time_format` wins;
/// - zone: an offset written in the text wins; a column named `…utc…` or epoch counts are UTC; otherwise
///   exchange time (America/New_York);
/// - `M/D/YYYY` or `D/M/YYYY`: decided by a day above 12 in the sample, or by an AM/PM clock (US order);
///   otherwise ambiguous, and an error asks for `date_order`; dotted `D.M.YYYY` is day first unless the sample says otherwise;
/// - decimal mark: `.` unless the sampled prices read only with `,` as the decimal mark; when they read
///   both ways (`1,234`) an error asks for `decimal`.
public enum DialectDetection {
    public static func detect(source: String, memberName: String, lines: [String], hints: DialectHints) throws -> CSVDialect {
        guard let first = lines.first else { throw InputError(file: source, line: 1, message: "empty file: expected a CSV header or bar rows") }
        let separator = hints.separator ?? guessSeparator(first)
        let split: (String) -> [String] = { CSVFields.split($0, separator: separator).map { $0.trimmingWhitespace() } }
        let firstFields = split(first)
        let hasHeader = hints.hasHeader ?? !looksLikeData(firstFields, hints: hints)
        let sample = (hasHeader ? Array(lines.dropFirst()) : lines).map(split).filter { $0.count > 1 || $0.first?.isEmpty == false }
        guard let row = sample.first else {
            throw InputError(file: source, line: 2, message: "no rows after the header \(InputError.quote(first))")
        }
        var names = hasHeader ? firstFields : []
        if hasHeader, row.count == names.count + 1, let date = names.firstIndex(where: { normalize($0) == "date" }),
           !names.contains(where: { normalize($0) == "time" }), date + 1 < row.count, isTimeOfDay(row[date + 1]) {
            names.insert("Time", at: date + 1)  // backtrader's 2006 files: 7 names, 8 fields
        }
        var roles = hasHeader ? try assignRoles(names, sample: sample, hints: hints)
                              : try positionalRoles(sample, source: source, hints: hints)
        for (role, column) in try hintedColumns(hints, names: names, source: source) { roles[role] = column }

        guard let close = roles["close"] else {
            throw InputError(file: source, line: 1, message: "cannot tell the dialect: no close or price column in \(InputError.quote(first)); name it: \(hints.suggest("columns", "{close: Last}"))")
        }
        let time = try timeLayout(roles, names: names, sample: sample, memberName: memberName, source: source, header: first, hints: hints)
        let dateOrder = try hints.dateOrder ?? decideDateOrder(time, sample: sample, source: source, hints: hints)
        var zone = hints.zone ?? .exchange
        if hints.zone == nil, let column = timeColumnIndex(time), column < names.count, normalize(names[column]).contains("utc") { zone = .utc }
        let priceColumns = [roles["open"], roles["high"], roles["low"], close, roles["volume"]].compactMap { $0 }
        let decimalComma = try hints.decimalComma ?? decideDecimalMark(priceColumns, sample: sample, source: source)
        let leanScale = LeanNames.parse(memberName) != nil ? 4 : 0
        var dialect = CSVDialect(
            separator: separator, hasHeader: hasHeader, header: hasHeader ? firstFields : [], time: time,
            ticker: roles["ticker"], open: roles["open"], high: roles["high"], low: roles["low"], close: close,
            volume: roles["volume"], priceScale: hints.priceScale ?? leanScale, zone: zone, dateOrder: dateOrder,
            interval: Timestamp.nanosecondsPerMinute, decimalComma: decimalComma, dateFormat: hints.dateFormat, timeFormat: hints.timeFormat)
        dialect.interval = interval(dialect, sample: sample, hints: hints)
        dialect.timesCarryOffsets = carriesOffsets(dialect, sample: sample)
        return dialect
    }

    /// Whether every sampled time is written with its own offset (`Z`, `+00:00`), which the zone does not touch.
    static func carriesOffsets(_ dialect: CSVDialect, sample: [[String]]) -> Bool {
        guard case .text(let c) = dialect.time, !sample.isEmpty else { return false }
        return sample.allSatisfy { row in
            guard let text = row[safe: c] else { return false }
            let parsed = dialect.dateFormat.map { readFormat(text, $0) } ?? parseDateTime(text, order: dialect.dateOrder)
            return parsed?.utcOffsetSeconds != nil
        }
    }

    /// One minute, unless the hints say otherwise or the time column holds dates only (daily bars, also
    /// written as "2/22/2013 12:00:00 AM" on every row). Other steps are measured on the parsed sample.
    static func interval(_ dialect: CSVDialect, sample: [[String]], hints: DialectHints) -> Int64 {
        if let seconds = hints.intervalSeconds { return seconds * Timestamp.nanosecondsPerSecond }
        guard case .text(let c) = dialect.time else { return Timestamp.nanosecondsPerMinute }
        let read: (String) -> LocalDateTime? = { text in
            if let format = dialect.dateFormat { return readFormat(text, format) }
            return parseDateTime(text, order: dialect.dateOrder)
        }
        guard let parsed = sample.first?[safe: c].flatMap(read) else { return Timestamp.nanosecondsPerMinute }
        if !parsed.hasTime { return Timestamp.nanosecondsPerDay }
        if parsed.nanosecondOfDay == 0, sample.count > 1, sample.prefix(20).allSatisfy({ $0[safe: c].flatMap(read)?.nanosecondOfDay == 0 }) {
            return Timestamp.nanosecondsPerDay
        }
        return Timestamp.nanosecondsPerMinute
    }

    // MARK: - Columns

    static let synonyms: [String: String] = [
        "timestamp": "time", "timestamputc": "time", "datetime": "time", "t": "time", "opentime": "time", "dt": "time",
        "windowstart": "time", "time": "time_of_day", "date": "date", "day": "date", "dtyyyymmdd": "date", "yyyymmdd": "date",
        "open": "open", "o": "open", "high": "high", "h": "high", "low": "low", "l": "low",
        "close": "close", "c": "close", "last": "close", "price": "close",
        "volume": "volume", "vol": "volume", "v": "volume",
        "ticker": "ticker", "symbol": "ticker", "sym": "ticker",
    ]

    static func normalize(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    static func assignRoles(_ names: [String], sample: [[String]], hints: DialectHints) throws -> [String: Int] {
        let row = sample[0]
        var roles: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let key = normalize(name)
            if key.isEmpty {
                // An unnamed column (a pandas index): the time when it holds dates, else ignored.
                if let value = row[safe: index], isDateTime(value), roles["time"] == nil { roles["time"] = index }
                continue
            }
            guard let role = synonyms[key], roles[role] == nil else { continue }
            roles[role] = index
        }
        if roles["time"] == nil, roles["date"] == nil, let t = roles["time_of_day"], let value = row[safe: t] {
            if isDateTime(value) || isPlausibleEpoch(value) {
                // `time` alone holding full date-times or epoch counts is the time column, not a time of day.
                roles["time"] = t
                roles["time_of_day"] = nil
            } else if let date = names.indices.first(where: { i in !roles.values.contains(i) && sample.prefix(5).allSatisfy { $0[safe: i].map { isDateOnly($0, hints: hints) } ?? false } }) {
                // A date column under a name Tapebench does not know (`Datum`, `Fecha`): its values say what it is.
                roles["date"] = date
            }
        }
        return roles
    }

    /// Roles by position when there is no header: `[ticker,] time | date,time, open, high, low, close[, volume]`.
    /// Of the readings the first row allows, the first whose prices make sense on every sampled row wins.
    static func positionalRoles(_ sample: [[String]], source: String, hints: DialectHints) throws -> [String: Int] {
        let row = sample[0]
        var candidates: [[String: Int]] = []
        for tickerFirst in [false, true] {
            var base: [String: Int] = [:]
            var i = 0
            if tickerFirst {
                guard let word = row.first, !word.isEmpty, !isNumeric(word), !isDateTime(word) else { continue }
                base["ticker"] = 0
                i = 1
            }
            if i + 1 < row.count, isDateOnly(row[i], hints: hints), isTimeOfDay(row[i + 1], hints: hints) {
                var roles = base
                (roles["date"], roles["time_of_day"]) = (i, i + 1)
                candidates.append(prices(roles, from: i + 2, count: row.count))
            }
            if i < row.count, isDateTime(row[i], hints: hints) || isInteger(row[i]) {
                var roles = base
                roles["time"] = i
                candidates.append(prices(roles, from: i + 1, count: row.count))
            }
        }
        candidates = candidates.filter { $0["close"] != nil }
        guard let first = candidates.first else {
            throw InputError(file: source, line: 1, message: "no header and \(row.count) fields that do not read as [ticker,]time,open,high,low,close[,volume]; add a header or name the columns in the dialect")
        }
        return candidates.first { roles in sample.allSatisfy { pricesMakeSense($0, roles) } } ?? first
    }

    static func prices(_ roles: [String: Int], from start: Int, count: Int) -> [String: Int] {
        var roles = roles
        guard start + 3 < count else { return roles }
        (roles["open"], roles["high"], roles["low"], roles["close"]) = (start, start + 1, start + 2, start + 3)
        if start + 4 < count { roles["volume"] = start + 4 }
        return roles
    }

    static func pricesMakeSense(_ row: [String], _ roles: [String: Int]) -> Bool {
        let values = ["open", "high", "low", "close"].map { role in roles[role].flatMap { row[safe: $0] }.flatMap(anyNumber) }
        guard let o = values[0], let h = values[1], let l = values[2], let c = values[3] else { return false }
        return h >= max(o, c) && l <= min(o, c)
    }

    static func hintedColumns(_ hints: DialectHints, names: [String], source: String) throws -> [(String, Int)] {
        try hints.columns.sorted { $0.key < $1.key }.map { role, column in
            if let number = Int(column), number >= 1 { return (role, number - 1) }
            guard let index = names.firstIndex(where: { $0 == column || normalize($0) == normalize(column) }) else {
                throw InputError(file: source, line: 1, field: role, message: "the dialect names column \(InputError.quote(column)), which the header \(InputError.quote(names.joined(separator: ","))) does not have")
            }
            return (role, index)
        }
    }

    static func timeLayout(_ roles: [String: Int], names: [String], sample: [[String]], memberName: String, source: String, header: String, hints: DialectHints) throws -> TimeLayout {
        if let date = roles["date"], let time = roles["time_of_day"] { return .dateAndTime(date: date, time: time) }
        guard let column = roles["time"] ?? roles["date"] else {
            if let t = roles["time_of_day"] {
                let name = names[safe: t].map(InputError.quote) ?? "\(t + 1)"
                throw InputError(file: source, line: 2, message: "column \(name) holds times of day (\(InputError.quote(sample[0][safe: t] ?? ""))) but no column holds the date; name it in the dialect's columns (date: ...)")
            }
            throw InputError(file: source, line: 1, message: "cannot tell the dialect: no time column in \(InputError.quote(header)); expected timestamp, datetime, date (and time), or a dialect naming it")
        }
        let value = sample.first?[safe: column] ?? ""
        if hints.dateFormat != nil { return .text(column: column) }
        if let integer = Int64(value) {
            if let unit = hints.epochUnit { return .epoch(column: column, unit: unit) }
            if FileNameDate.find(memberName) != nil, integer < 86_400_000 { return .millisecondsOfDay(column: column) }
            if isDateOnly(value) { return .text(column: column) }  // 20240305: a date, not seconds in 1970
            guard isPlausibleEpoch(value) else {
                throw InputError(file: source, line: 2, message: "\(InputError.quote(value)) in the time column is too small for an epoch count (it would be before 1973); state its form as \(hints.suggest("date_format", "'%Y%m%d'")) (or '%H%M%S'), or \(hints.suggest("epoch_unit", "ms")) for a count")
            }
            return .epoch(column: column, unit: EpochUnit.guess(integer))
        }
        guard isDateTime(value) else {
            throw InputError(file: source, line: 2, message: "cannot read \(InputError.quote(value)) in the time column as a date, a date-time or an epoch count; state its form as \(hints.suggest("date_format", "'%d-%m-%Y %H.%M'"))")
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
}
