import TapebenchCore

/// A POSIX TZ rule as TZif footers write it (RFC 8536 §3.3, POSIX.1 `TZ` with the extensions of §3.3.1):
/// `GMT0BST,M3.5.0/1,M10.5.0` — standard name and offset, then optionally daylight name and offset
/// (default one hour more) and the rule dates: `Mm.w.d` (day `d` of week `w`, 5 = last, of month `m`),
/// `Jn` (day 1–365, February 29 never counted), `n` (day 0–365 counting February 29), each with an
/// optional `/time` (default 02:00, may be negative or up to 167 h). POSIX offsets are west-positive;
/// stored here east-positive, as UTC offsets are written (`+01:00`).
struct PosixTZ: Sendable, Hashable {
    struct Problem: Error {
        let message: String
    }

    enum DateRule: Sendable, Hashable {
        case julianNoLeap(Int)
        case zeroBased(Int)
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    struct Change: Sendable, Hashable {
        let date: DateRule
        /// Seconds after local midnight, in the time in force before the change.
        let time: Int64
    }

    let standardOffset: Int64
    /// Nil when the zone keeps one offset all year.
    let daylight: (offset: Int64, start: Change, end: Change)?

    static func == (a: PosixTZ, b: PosixTZ) -> Bool {
        a.standardOffset == b.standardOffset && a.daylight?.offset == b.daylight?.offset
            && a.daylight?.start == b.daylight?.start && a.daylight?.end == b.daylight?.end
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(standardOffset)
        hasher.combine(daylight?.offset)
        hasher.combine(daylight?.start)
        hasher.combine(daylight?.end)
    }

    init(_ text: String) throws(Problem) {
        var s = Scanner(bytes: Array(text.utf8))
        try s.name()
        let standard = -(try s.offset())
        guard !s.atEnd else {
            standardOffset = standard
            daylight = nil
            return
        }
        try s.name()
        var dst = standard + 3600
        if let c = s.peek, c != UInt8(ascii: ",") { dst = -(try s.offset()) }
        guard s.take(",") else { throw Problem(message: "a daylight time without the dates it starts and ends") }
        let start = try s.change()
        guard s.take(",") else { throw Problem(message: "expected ',' before the end of daylight time") }
        let end = try s.change()
        guard s.atEnd else { throw Problem(message: "unexpected text after the rule") }
        standardOffset = standard
        daylight = (dst, start, end)
    }

    /// The UTC offset in force at `t` (seconds since the epoch).
    func utcOffset(at t: Int64) -> Int64 {
        guard let daylight else { return standardOffset }
        let year = CivilDate(daysSinceEpoch: floorDivide(t + standardOffset, 86_400).quotient).year
        // Each year's changes as instants; an instant near New Year may belong to the neighbouring year's.
        for y in [year - 1, year, year + 1] {
            let (start, end) = changes(year: y, daylight)
            // Southern hemisphere (start after end in the year): daylight runs on to the next year's end.
            let until = start < end ? end : changes(year: y + 1, daylight).end
            if t >= start && t < until { return daylight.offset }
        }
        return standardOffset
    }

    /// The year's start and end of daylight time as UTC instants (start written in standard time, end in daylight time).
    private func changes(year: Int, _ daylight: (offset: Int64, start: Change, end: Change)) -> (start: Int64, end: Int64) {
        let start = PosixTZ.day(daylight.start.date, year: year).daysSinceEpoch * 86_400 + daylight.start.time - standardOffset
        let end = PosixTZ.day(daylight.end.date, year: year).daysSinceEpoch * 86_400 + daylight.end.time - daylight.offset
        return (start, end)
    }

    static func day(_ rule: DateRule, year: Int) -> CivilDate {
        let january1 = CivilDate(year: year, month: 1, day: 1)
        switch rule {
        case let .julianNoLeap(n):
            // Day 60 is March 1 whether or not the year is a leap year.
            let leap = CivilDate.daysIn(month: 2, year: year) == 29
            return january1.adding(days: Int64(n - 1 + (leap && n >= 60 ? 1 : 0)))
        case let .zeroBased(n):
            return january1.adding(days: Int64(n))
        case let .monthWeekDay(month, week, weekday):
            if week == 5 { return EasternTime.lastWeekday(weekday, month: month, year: year) }
            return EasternTime.nthWeekday(weekday, n: week, month: month, year: year)
        }
    }

    struct Scanner {
        let bytes: [UInt8]
        var at = 0

        var atEnd: Bool { at == bytes.count }
        var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func take(_ c: Character) -> Bool {
            guard peek == c.asciiValue else { return false }
            at += 1
            return true
        }

        /// `EST` (three or more letters) or `<+1030>` (quoted, letters, digits and signs).
        mutating func name() throws(Problem) {
            if take("<") {
                while let c = peek, c != UInt8(ascii: ">") { at += 1 }
                guard take(">") else { throw Problem(message: "an unclosed '<' in a zone name") }
                return
            }
            let start = at
            while let c = peek, (c | 0x20) >= UInt8(ascii: "a"), (c | 0x20) <= UInt8(ascii: "z") { at += 1 }
            guard at - start >= 3 else { throw Problem(message: "expected a zone abbreviation of three or more letters") }
        }

        mutating func number(max: Int) throws(Problem) -> Int {
            var value = 0, digits = 0
            while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), digits < 4 {
                value = value * 10 + Int(c - UInt8(ascii: "0"))
                digits += 1
                at += 1
            }
            guard digits > 0, value <= max else { throw Problem(message: "expected a number up to \(max)") }
            return value
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, as written (west-positive for offsets).
        mutating func offset(maxHours: Int = 24) throws(Problem) -> Int64 {
            var sign: Int64 = 1
            if take("-") { sign = -1 } else { _ = take("+") }
            var seconds = Int64(try number(max: maxHours)) * 3600
            if take(":") { seconds += Int64(try number(max: 59)) * 60 }
            if take(":") { seconds += Int64(try number(max: 59)) }
            return sign * seconds
        }

        mutating func change() throws(Problem) -> Change {
            let rule: DateRule
            if take("M") {
                let month = try number(max: 12)
                guard take(".") else { throw Problem(message: "expected Mm.w.d") }
                let week = try number(max: 5)
                guard take(".") else { throw Problem(message: "expected Mm.w.d") }
                let weekday = try number(max: 6)
                guard month >= 1, week >= 1 else { throw Problem(message: "expected Mm.w.d with month 1–12 and week 1–5") }
                rule = .monthWeekDay(month: month, week: week, weekday: weekday)
            } else if take("J") {
                let n = try number(max: 365)
                guard n >= 1 else { throw Problem(message: "expected Jn with n from 1 to 365") }
                rule = .julianNoLeap(n)
            } else {
                rule = .zeroBased(try number(max: 365))
            }
            let time = take("/") ? try offset(maxHours: 167) : 7200
            return Change(date: rule, time: time)
        }
    }
}
