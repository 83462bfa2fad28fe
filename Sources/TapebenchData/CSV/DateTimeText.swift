import TapebenchCore

/// How a slash-separated date with the year last is ordered: `03/04/2015` is March 4 (`mdy`) or 3 April (`dmy`).
public enum DateOrder: String, Sendable, Hashable, CaseIterable {
    case mdy, dmy
}

/// A date and time read from text, before a time zone is applied.
public struct LocalDateTime: Sendable, Hashable {
    public var date: CivilDate
    /// Nanoseconds since local midnight.
    public var nanosecondOfDay: Int64
    /// The offset written in the text (`Z`, `+00:00`, `-0400`), in seconds, when there is one.
    public var utcOffsetSeconds: Int64?
    /// Whether the text had a time of day (a date alone is a daily bar).
    public var hasTime: Bool

    /// The instant, using the written offset or else `zone`. In a named zone a local time the clocks passed
    /// twice is the earlier instant, and one they skipped takes the offset before the change (Python's
    /// `fold=0`); a reader of data asks `checkedInstant(in:)`, which refuses a skipped time.
    public func instant(in zone: TimeZoneRule) -> Timestamp {
        do {
            return try checkedInstant(in: zone)
        } catch {
            let localNanos = date.daysSinceEpoch * Timestamp.nanosecondsPerDay + nanosecondOfDay
            return Timestamp(nanoseconds: localNanos - error.offsetBefore * Timestamp.nanosecondsPerSecond)
        }
    }

    /// The instant, using the written offset or else `zone`; in a named zone a local time the clocks skipped
    /// is an error, and one they passed twice is the earlier instant (see `TimeZoneRule.named`).
    public func checkedInstant(in zone: TimeZoneRule) throws(SkippedLocalTime) -> Timestamp {
        let localNanos = date.daysSinceEpoch * Timestamp.nanosecondsPerDay + nanosecondOfDay
        if let offset = utcOffsetSeconds {
            return Timestamp(nanoseconds: localNanos - offset * Timestamp.nanosecondsPerSecond)
        }
        switch zone {
        case .utc:
            return Timestamp(nanoseconds: localNanos)
        case .exchange:
            let offset = EasternTime.isDaylight(date) ? EasternTime.daylightOffsetSeconds : EasternTime.standardOffsetSeconds
            return Timestamp(nanoseconds: localNanos - offset * Timestamp.nanosecondsPerSecond)
        case let .named(rules):
            let (seconds, fraction) = floorDivide(localNanos, Timestamp.nanosecondsPerSecond)
            switch rules.resolve(local: seconds) {
            case let .unique(instant), let .repeated(instant, _):
                return Timestamp(nanoseconds: instant * Timestamp.nanosecondsPerSecond + fraction)
            case let .skipped(before, after):
                throw SkippedLocalTime(zone: rules.name, offsetBefore: before, offsetAfter: after)
            }
        }
    }
}

/// A local time that never happened in its zone: the clocks went forward over it.
public struct SkippedLocalTime: Error, Sendable, Equatable {
    public let zone: String
    public let offsetBefore: Int64
    public let offsetAfter: Int64

    /// `"does not exist in Europe/London (clocks went forward from UTC+00:00 to UTC+01:00)"`, after the time.
    public var message: String {
        "does not exist in \(zone) (the clocks went forward from UTC\(SkippedLocalTime.offsetText(offsetBefore)) to UTC\(SkippedLocalTime.offsetText(offsetAfter))); write such times in UTC or with their offset"
    }

    static func offsetText(_ seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : "+", magnitude = seconds.magnitude
        let hours = magnitude / 3600, minutes = magnitude / 60 % 60
        return sign + (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
    }
}

/// The zone of times written without an offset.
public enum TimeZoneRule: Sendable, Hashable {
    /// America/New_York, the exchange's own clock, by rule (`EasternTime`; no tzdata needed). A local time
    /// takes the offset its date has from 03:00 on, so a bar's minute is right on either side of a change.
    case exchange
    case utc
    /// An IANA zone from the machine's tz database. A local time the clocks skipped (spring forward) is an
    /// error, as in pandas' `tz_localize` (`nonexistent='raise'`); one they passed twice (fall back) is the
    /// earlier instant, the offset before the change — Python's `fold=0`, pandas' `ambiguous=True` (pandas'
    /// default raises instead: an hour of bars every autumn would stop a replay).
    case named(ZoneRules)

    /// `exchange` or `utc` (any case), else an IANA zone name looked up in `TimeZoneDatabase`.
    public init(name: String, directory: String = TimeZoneDatabase.directory) throws(TimeZoneProblem) {
        switch name.lowercased() {
        case "exchange": self = .exchange
        case "utc": self = .utc
        default: self = .named(try TimeZoneDatabase.zone(name, directory: directory))
        }
    }

    /// How `data inspect` says it.
    public var summary: String {
        switch self {
        case .exchange: "exchange time (America/New_York)"
        case .utc: "UTC"
        case let .named(rules): "local time in \(rules.name) (tz database)"
        }
    }
}

/// Byte-level parsers for the date and time texts of CSV dialects.
public enum DateTimeText {
    /// A date: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (MetaTrader), `YYYYMMDD`, or `M/D/YYYY` / `D/M/YYYY`
    /// and `D.M.YYYY` / `M.D.YYYY` (by `order`). Returns the date and the number of bytes read.
    static func date(_ b: UnsafeBufferPointer<UInt8>, from start: Int, order: DateOrder) -> (CivilDate, Int)? {
        var i = start
        guard let first = digits(b, &i, max: 8) else { return nil }
        if first.count == 8 {  // YYYYMMDD
            return valid(first.value / 10_000, first.value / 100 % 100, first.value % 100).map { ($0, i - start) }
        }
        guard i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "/") || b[i] == UInt8(ascii: ".") else { return nil }
        let separator = b[i]
        i += 1
        guard let second = digits(b, &i, max: 2), i < b.count, b[i] == separator else { return nil }
        i += 1
        guard let third = digits(b, &i, max: 4) else { return nil }
        if first.count == 4 {
            return valid(first.value, second.value, third.value).map { ($0, i - start) }
        }
        guard separator != UInt8(ascii: "-"), third.count == 4, first.count <= 2 else { return nil }
        let (month, day) = order == .mdy ? (first.value, second.value) : (second.value, first.value)
        return valid(third.value, month, day).map { ($0, i - start) }
    }

    /// A time of day: `HH:MM[:SS[.fraction]]` with an optional ` AM`/` PM`, or when `compact` digits alone:
    /// `HHMM`, `HHMMSS`, and without the hour's leading zero `HMM`, `HMMSS` (`93000` is 09:30:00, as
    /// MetaTrader and spreadsheets that drop leading zeros write it). Returns nanoseconds of the day and the bytes read.
    static func time(_ b: UnsafeBufferPointer<UInt8>, from start: Int, compact: Bool = false) -> (Int64, Int)? {
        var i = start
        guard let hourDigits = digits(b, &i, max: compact ? 6 : 2) else { return nil }
        var hour: Int, minute: Int, second = 0
        var nanos: Int64 = 0
        if hourDigits.count >= 3 {  // compact [H]HMM or [H]HMMSS
            guard compact else { return nil }
            let v = hourDigits.value
            (hour, minute, second) = hourDigits.count <= 4 ? (v / 100, v % 100, 0) : (v / 10_000, v / 100 % 100, v % 100)
        } else {
            hour = hourDigits.value
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let m = digits(b, &i, max: 2), m.count == 2 else { return nil }
            minute = m.value
            if i < b.count, b[i] == UInt8(ascii: ":") {
                i += 1
                guard let s = digits(b, &i, max: 2), s.count == 2 else { return nil }
                second = s.value
                if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                    i += 1
                    var scale: Int64 = 100_000_000
                    var count = 0
                    while i < b.count, b[i] >= 48, b[i] <= 57 {
                        if scale > 0 { nanos += Int64(b[i] - 48) * scale; scale /= 10 }
                        count += 1
                        i += 1
                    }
                    guard count > 0 else { return nil }
                }
            }
            // 12-hour clock.
            var j = i
            while j < b.count, b[j] == UInt8(ascii: " ") { j += 1 }
            if j + 1 < b.count, b[j + 1] | 0x20 == UInt8(ascii: "m"), b[j] | 0x20 == UInt8(ascii: "a") || b[j] | 0x20 == UInt8(ascii: "p") {
                guard (1...12).contains(hour) else { return nil }
                let pm = b[j] | 0x20 == UInt8(ascii: "p")
                hour = hour % 12 + (pm ? 12 : 0)
                i = j + 2
            }
        }
        guard hour < 24, minute < 60, second < 61 else { return nil }
        let total = (Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * Timestamp.nanosecondsPerSecond + nanos
        return (total, i - start)
    }

    /// A UTC offset: `Z`, `UTC`, `±HH:MM`, `±HHMM`, `±HH`. Returns seconds east of UTC and the bytes read.
    static func offset(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int64, Int)? {
        var i = start
        while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") { return (0, i + 1 - start) }
        if i + 2 < b.count, b[i] == UInt8(ascii: "U"), b[i + 1] == UInt8(ascii: "T"), b[i + 2] == UInt8(ascii: "C") { return (0, i + 3 - start) }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        guard let h = digits(b, &i, max: 4) else { return nil }
        var hours = h.value, minutes = 0
        if h.count == 4 { (hours, minutes) = (h.value / 100, h.value % 100) } else {
            guard h.count == 2 else { return nil }
            if i < b.count, b[i] == UInt8(ascii: ":") {
                i += 1
                guard let m = digits(b, &i, max: 2), m.count == 2 else { return nil }
                minutes = m.value
            }
        }
        guard hours < 24, minutes < 60 else { return nil }
        return (sign * Int64(hours * 3600 + minutes * 60), i - start)
    }

    /// A whole date-time field: a date, optionally `T` or space and a time, optionally an offset.
    public static func dateTime(_ b: UnsafeBufferPointer<UInt8>, order: DateOrder) -> LocalDateTime? {
        guard let (date, dateLength) = date(b, from: 0, order: order) else { return nil }
        var i = dateLength
        var result = LocalDateTime(date: date, nanosecondOfDay: 0, utcOffsetSeconds: nil, hasTime: false)
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") {
            i += 1
            // After a compact date, a compact time too (`20240305 093000`, ISO basic `20240305T093000Z`).
            guard let (nanos, length) = time(b, from: i, compact: dateLength == 8) else { return nil }
            result.nanosecondOfDay = nanos
            result.hasTime = true
            i += length
        }
        if i < b.count {
            guard let (offset, length) = offset(b, from: i) else { return nil }
            result.utcOffsetSeconds = offset
            i += length
        }
        return i == b.count ? result : nil
    }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, max: Int) -> (value: Int, count: Int)? {
        var value = 0, count = 0
        while i < b.count, count < max, b[i] >= 48, b[i] <= 57 {
            value = value * 10 + Int(b[i] - 48)
            count += 1
            i += 1
        }
        return count == 0 ? nil : (value, count)
    }

    private static func valid(_ year: Int, _ month: Int, _ day: Int) -> CivilDate? {
        guard year >= 1900, year <= 2200, (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }
}
