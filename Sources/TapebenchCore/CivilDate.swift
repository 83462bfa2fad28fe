/// A proleptic Gregorian calendar date without a time zone, with exact day arithmetic
/// (Howard Hinnant's `days_from_civil` algorithm).
public struct CivilDate: Sendable, Hashable, Comparable, Codable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil if malformed or not a real date.
    /// Read by bytes, with no array of parts or strings (it dates every file of a dataset, 1,260 on the peers
    /// tape): a field is `Int`'s form, an optional `+` then digits (`2024-+3-05` reads as March, as `Int("+3")`
    /// did), 4, 2 and 2 characters long.
    public init?(iso text: some StringProtocol) {
        var fields = (0, 0, 0), index = 0, length = 0, digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                guard index < 2, length == (index == 0 ? 4 : 2), digits > 0 else { return nil }
                index += 1
                length = 0
                digits = 0
                continue
            }
            length += 1
            if byte == UInt8(ascii: "+"), length == 1 { continue }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), length <= 4 else { return nil }
            digits += 1
            let value = Int(byte - UInt8(ascii: "0"))
            switch index {
            case 0: fields.0 = fields.0 * 10 + value
            case 1: fields.1 = fields.1 * 10 + value
            default: fields.2 = fields.2 * 10 + value
            }
        }
        guard index == 2, length == 2, digits > 0 else { return nil }
        let (y, m, d) = fields
        guard (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init(daysSinceEpoch: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), month: Int(m), day: Int(d))
    }

    public var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int { Int(floorDivide(daysSinceEpoch + 4, 7).remainder) }

    public func adding(days: Int64) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

extension CivilDate: CustomStringConvertible {
    public var description: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + twoDigits(Int64(month)) + "-" + twoDigits(Int64(day))
    }
}
