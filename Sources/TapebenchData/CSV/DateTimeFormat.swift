import TapebenchCore

/// A date or time format a user declares for what detection cannot guess, in the `strftime` notation
/// (`%Y%m%d`, `%d.%m.%Y %H:%M`, `%H%M%S`). Directives: `%Y` year (4 digits), `%y` year (2 digits: 69–99 →
/// 19xx, else 20xx, as POSIX), `%m` month, `%d`/`%e` day, `%H` hour (0–23), `%I` hour (1–12) with `%p`
/// AM/PM, `%M` minute, `%S` second, `%f` fraction of a second (1–9 digits), `%b`/`%h`/`%B` English month
/// name, `%z` offset (`Z`, `+0100`, `+01:00`), `%F` = `%Y-%m-%d`, `%T` = `%H:%M:%S`, `%%` a percent sign.
/// Numbers take one or two digits (`%m`, `%H`, …) as `strptime` does, trying the longer reading first, so
/// `%H%M%S` reads `93000` as 09:30:00. A space matches any run of spaces; other characters match themselves.
public struct DateTimeFormat: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case number(Field, minDigits: Int, maxDigits: Int)
        case fraction
        case ampm
        case monthName
        case offset
        case space
        case literal(UInt8)
    }

    enum Field: Sendable, Hashable { case year4, year2, month, day, hour24, hour12, minute, second }

    let tokens: [Token]
    public let pattern: String

    public var description: String { pattern }
    /// Whether the format reads a date (year, month and day).
    public var hasDate: Bool { fields.contains(.month) && fields.contains(.day) && (fields.contains(.year4) || fields.contains(.year2)) }
    /// Whether it reads a time of day.
    public var hasTime: Bool { fields.contains(.hour24) || fields.contains(.hour12) }

    private var fields: Set<Field> {
        Set(tokens.compactMap { if case let .number(field, _, _) = $0 { return field } else if case .monthName = $0 { return .month } else { return nil } })
    }

    /// Compiles `pattern`; throws a message naming the first directive it does not know.
    public init(_ pattern: String) throws(FormatError) {
        self.pattern = pattern
        var tokens: [Token] = []
        var bytes = Array(pattern.utf8)[...]
        while let c = bytes.popFirst() {
            if c == 32 { tokens.append(.space); continue }
            guard c == 37 else { tokens.append(.literal(c)); continue }  // %
            guard let d = bytes.popFirst() else { throw FormatError(message: "\(InputError.quote(pattern)) ends with a lone %") }
            switch UnicodeScalar(d) {
            case "Y": tokens.append(.number(.year4, minDigits: 4, maxDigits: 4))
            case "y": tokens.append(.number(.year2, minDigits: 2, maxDigits: 2))
            case "m": tokens.append(.number(.month, minDigits: 1, maxDigits: 2))
            case "d", "e": tokens.append(.number(.day, minDigits: 1, maxDigits: 2))
            case "H": tokens.append(.number(.hour24, minDigits: 1, maxDigits: 2))
            case "I": tokens.append(.number(.hour12, minDigits: 1, maxDigits: 2))
            case "M": tokens.append(.number(.minute, minDigits: 1, maxDigits: 2))
            case "S": tokens.append(.number(.second, minDigits: 1, maxDigits: 2))
            case "f": tokens.append(.fraction)
            case "p": tokens.append(.ampm)
            case "b", "h", "B": tokens.append(.monthName)
            case "z": tokens.append(.offset)
            case "F": tokens += [.number(.year4, minDigits: 4, maxDigits: 4), .literal(45), .number(.month, minDigits: 1, maxDigits: 2), .literal(45), .number(.day, minDigits: 1, maxDigits: 2)]
            case "T": tokens += [.number(.hour24, minDigits: 1, maxDigits: 2), .literal(58), .number(.minute, minDigits: 1, maxDigits: 2), .literal(58), .number(.second, minDigits: 1, maxDigits: 2)]
            case "%": tokens.append(.literal(37))
            default: throw FormatError(message: "\(InputError.quote(pattern)) uses %\(String(UnicodeScalar(d))), which Tapebench does not read; known: %Y %y %m %d %e %H %I %M %S %f %p %b %B %z %F %T %%")
            }
        }
        self.tokens = tokens
        if fields.contains(.hour12) != tokens.contains(.ampm) {
            throw FormatError(message: "\(InputError.quote(pattern)): %I (12-hour clock) and %p (AM/PM) go together")
        }
    }

    public struct FormatError: Error, Sendable { public var message: String }

    /// What a format read from one field.
    struct Parts {
        var values: [Field: Int] = [:]
        var nanos: Int64 = 0
        var pm: Bool?
        var offset: Int64?
    }

    /// Reads a whole field: a date, a time, or both, as the format says. Nil when the text does not fit.
    public func read(_ b: UnsafeBufferPointer<UInt8>) -> LocalDateTime? {
        var parts = Parts()
        guard match(b, 0, tokens[...], &parts) else { return nil }
        var date = CivilDate(year: 1970, month: 1, day: 1)
        if hasDate {
            let year = parts.values[.year4] ?? parts.values[.year2].map { $0 >= 69 ? 1900 + $0 : 2000 + $0 }!
            guard let month = parts.values[.month], let day = parts.values[.day], (1...12).contains(month),
                  day >= 1, day <= CivilDate.daysIn(month: month, year: year), year >= 1900 else { return nil }
            date = CivilDate(year: year, month: month, day: day)
        }
        var hour = parts.values[.hour24] ?? 0
        if let h12 = parts.values[.hour12], let pm = parts.pm {
            guard (1...12).contains(h12) else { return nil }
            hour = h12 % 12 + (pm ? 12 : 0)
        }
        let minute = parts.values[.minute] ?? 0, second = parts.values[.second] ?? 0
        guard hour < 24, minute < 60, second < 61 else { return nil }
        let nanos = (Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * Timestamp.nanosecondsPerSecond + parts.nanos
        return LocalDateTime(date: date, nanosecondOfDay: nanos, utcOffsetSeconds: parts.offset, hasTime: hasTime)
    }

    /// Matches tokens from `i`, trying the longer reading of a number first and backtracking.
    private func match(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ rest: ArraySlice<Token>, _ parts: inout Parts) -> Bool {
        guard let token = rest.first else { return i == b.count }
        let next = rest.dropFirst()
        switch token {
        case let .number(field, minDigits, maxDigits):
            var available = 0
            while available < maxDigits, i + available < b.count, b[i + available] >= 48, b[i + available] <= 57 { available += 1 }
            guard available >= minDigits else { return false }
            for length in stride(from: available, through: minDigits, by: -1) {
                var value = 0
                for k in 0..<length { value = value * 10 + Int(b[i + k] - 48) }
                // Out of range: try the shorter reading (`93000` under %H%M%S is 9, not 93).
                guard Self.range(field).contains(value) else { continue }
                parts.values[field] = value
                if match(b, i + length, next, &parts) { return true }
            }
            return false
        case .fraction:
            var j = i, nanos: Int64 = 0, scale: Int64 = 100_000_000
            while j < b.count, j - i < 9, b[j] >= 48, b[j] <= 57 { nanos += Int64(b[j] - 48) * scale; scale /= 10; j += 1 }
            guard j > i else { return false }
            parts.nanos = nanos
            return match(b, j, next, &parts)
        case .ampm:
            guard i + 1 < b.count, b[i + 1] | 0x20 == 109, b[i] | 0x20 == 97 || b[i] | 0x20 == 112 else { return false }
            parts.pm = b[i] | 0x20 == 112
            return match(b, i + 2, next, &parts)
        case .monthName:
            for (index, name) in Self.months.enumerated() {
                for candidate in [name, String(name.prefix(3))] where i + candidate.utf8.count <= b.count {
                    if zip(candidate.utf8, b[i...]).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) {
                        parts.values[.month] = index + 1
                        if match(b, i + candidate.utf8.count, next, &parts) { return true }
                    }
                }
            }
            return false
        case .offset:
            guard let (seconds, length) = DateTimeText.offset(b, from: i) else { return false }
            parts.offset = seconds
            return match(b, i + length, next, &parts)
        case .space:
            var j = i
            while j < b.count, b[j] == 32 { j += 1 }
            return match(b, j, next, &parts)
        case let .literal(c):
            guard i < b.count, b[i] == c else { return false }
            return match(b, i + 1, next, &parts)
        }
    }

    static func range(_ field: Field) -> ClosedRange<Int> {
        switch field {
        case .year4: return 1900...2200
        case .year2: return 0...99
        case .minute: return 0...59
        case .month: return 1...12
        case .day: return 1...31
        case .hour24: return 0...23
        case .hour12: return 1...12
        case .second: return 0...60
        }
    }

    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
}
