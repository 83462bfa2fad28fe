import TapebenchCore

/// What the sampled values look like: numbers, dates, times, and the conventions they are written in.
extension DialectDetection {
    static func guessSeparator(_ line: String) -> UInt8 {
        let counts = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")].map { ($0, CSVFields.count($0, in: line)) }
        return counts.max { $0.1 < $1.1 }.map { $0.1 > 0 ? $0.0 : UInt8(ascii: ",") } ?? UInt8(ascii: ",")
    }

    /// A first line of data rather than a header: every field a number, a date or a time, or every field
    /// after a leading ticker (`EURUSD,20240305,093000,…`).
    static func looksLikeData(_ fields: [String], hints: DialectHints) -> Bool {
        let isValue = { (f: String) in f.isEmpty || isNumeric(f) || isDateTime(f, hints: hints) || isTimeOfDay(f, hints: hints) }
        if fields.allSatisfy(isValue) { return true }
        guard fields.count >= 5, let word = fields.first, word.allSatisfy({ $0.isLetter || $0.isNumber || "._-/".contains($0) }),
              fields.dropFirst().allSatisfy(isValue), fields.dropFirst().contains(where: { isDateTime($0, hints: hints) || isDateOnly($0, hints: hints) })
        else { return false }
        return true
    }

    static func isNumber(_ text: String) -> Bool { Fixed(parsing: text) != nil || Double(text) != nil }
    static func isInteger(_ text: String) -> Bool { Int64(text) != nil }

    /// A number in any of the conventions Tapebench reads (`1234.5`, `1,234.5`, `1234,5`, `1.234,5`).
    static func isNumeric(_ text: String) -> Bool { anyNumber(text) != nil || Double(text) != nil }

    static func anyNumber(_ text: String) -> Fixed? {
        Fixed(parsing: text) ?? NumberText.fixed(text, decimalComma: false) ?? NumberText.fixed(text, decimalComma: true)
    }

    /// An integer large enough to be an epoch count after 1973 (in seconds; larger units are larger still).
    /// Smaller integers in a time column are dates or times written as digits (`20240305`, `093000`).
    static func isPlausibleEpoch(_ text: String) -> Bool {
        guard let value = Int64(text) else { return false }
        return value.magnitude >= 100_000_000
    }

    static func parseDateTime(_ text: String, order: DateOrder) -> LocalDateTime? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { DateTimeText.dateTime(UnsafeBufferPointer($0), order: order) }
    }

    static func readFormat(_ text: String, _ format: DateTimeFormat) -> LocalDateTime? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { format.read(UnsafeBufferPointer($0)) }
    }

    static func isDateTime(_ text: String, hints: DialectHints = DialectHints()) -> Bool {
        if let format = hints.dateFormat, readFormat(text, format) != nil { return true }
        return !isInteger(text) && (parseDateTime(text, order: .mdy) != nil || parseDateTime(text, order: .dmy) != nil)
    }

    /// A date without a time: `2024-03-05`, `2024.03.05`, `05.03.2024`, `20240305` (a valid date 1900–2200).
    static func isDateOnly(_ text: String, hints: DialectHints = DialectHints()) -> Bool {
        if let format = hints.dateFormat, let parsed = readFormat(text, format) { return !parsed.hasTime }
        let parsed = parseDateTime(text, order: .mdy) ?? parseDateTime(text, order: .dmy)
        return parsed.map { !$0.hasTime } ?? false
    }

    static func isTimeOfDay(_ text: String, hints: DialectHints = DialectHints()) -> Bool {
        if let format = hints.timeFormat, readFormat(text, format) != nil { return true }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            DateTimeText.time(UnsafeBufferPointer(b), from: 0, compact: true).map { $0.1 == b.count } ?? false
        }
    }

    /// Month/day order of `M/D/YYYY` and `D.M.YYYY` dates: a first number above 12 means day first, a second
    /// above 12 month first, an AM/PM clock month first (US). Undecided, slashes are an error (both orders are
    /// common) and dots are day first (the convention wherever dots are written).
    static func decideDateOrder(_ layout: TimeLayout, sample: [[String]], source: String, hints: DialectHints = DialectHints()) throws -> DateOrder {
        guard let column = timeColumnIndex(layout) else { return .mdy }
        var sawSlash = false, sawDot = false
        for row in sample {
            guard let text = row[safe: column] else { continue }
            let date = text.prefix { $0 != " " && $0 != "T" }
            let parts = date.split { $0 == "/" || $0 == "." }
            guard parts.count == 3, parts[2].count == 4, parts[0].count <= 2, let a = Int(parts[0]), let b = Int(parts[1]) else { continue }
            if date.contains("/") { sawSlash = true } else { sawDot = true }
            if a > 12 { return .dmy }
            if b > 12 { return .mdy }
            if text.uppercased().hasSuffix("AM") || text.uppercased().hasSuffix("PM") { return .mdy }
        }
        if sawSlash {
            throw InputError(file: source, line: 2, message: "dates like \(InputError.quote(sample[0][column])) could be month/day or day/month; state \(hints.suggest("date_order", "mdy")) (or dmy)")
        }
        return sawDot ? .dmy : .mdy
    }

    /// Whether `,` is the decimal mark, from the sampled prices and volumes that hold a comma: those that
    /// read only one way decide; when all read both ways (`1,234`: a thousand, or one and a bit) the
    /// dialect must say.
    static func decideDecimalMark(_ columns: [Int], sample: [[String]], source: String) throws -> Bool {
        let values = sample.flatMap { row in columns.compactMap { row[safe: $0] } }.filter { $0.contains(",") }
        guard !values.isEmpty else { return false }
        let pointReads = values.allSatisfy { NumberText.fixed($0, decimalComma: false) != nil }
        let commaReads = values.allSatisfy { NumberText.fixed($0, decimalComma: true) != nil }
        if commaReads && !pointReads { return true }
        if pointReads && !commaReads { return false }
        if pointReads && commaReads {
            throw InputError(file: source, line: 2, message: "numbers like \(InputError.quote(values[0])) could use ',' for thousands or as the decimal mark; state decimal: ',' or decimal: '.' in the dialect")
        }
        return false
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
