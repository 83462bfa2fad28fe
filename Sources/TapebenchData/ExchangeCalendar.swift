import TapebenchCore

/// The NYSE trading calendar: regular session 09:30–16:00 America/New_York, full holidays and
/// 13:00 early closes, computed by rule (valid 1998–2099; one-off closures listed by date).
///
/// Holidays (NYSE Rule 7.2): New Year's Day (Sunday → Monday; Saturday → not observed), Martin Luther
/// King Jr. Day (3rd Monday of January), Washington's Birthday (3rd Monday of February), Good Friday,
/// Memorial Day (last Monday of May), Juneteenth (from 2022), Independence Day, Labor Day (1st Monday of
/// September), Thanksgiving (4th Thursday of November), Christmas; a Saturday holiday is observed on the
/// Friday before and a Sunday one on the Monday after.
/// Early closes at 13:00: the day after Thanksgiving; December 24 when it falls Monday–Thursday; July 3
/// when it falls Monday, Tuesday or Thursday, and when it falls Wednesday from 2013 on — before 2013 a
/// Thursday Independence Day put the half day on Friday July 5 instead; plus two one-offs.
/// The rules are exchange_calendars' (XNYS, `us_holidays.py` and `exchange_calendar_xnys.py`), against
/// which every session 1998–2040 is tested (`CalendarDifferentialTests`).
///
/// The same type answers for the round-the-clock sessions (`MarketSession`): `24x5` and `24x7` have no
/// holidays and no early closes, and their days are those `MarketSession` defines.
public struct ExchangeCalendar: Sendable, Hashable {
    public static let nyse = ExchangeCalendar()

    /// Which market's hours and days (NYSE unless a scenario says otherwise).
    public let session: MarketSession

    /// Closures outside the rules (national days of mourning, storms).
    static let specialClosures: Set<CivilDate> = [
        "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2004-06-11", "2007-01-02",
        "2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09",
    ].reduce(into: []) { $0.insert(CivilDate(iso: $1)!) }

    /// Early closes outside the rules: New Year's Eve 1999 (before 2000), and Friday 2003-12-26 after a
    /// Thursday Christmas (the same Friday was a full day in 2008, 2014 and 2025). NYSE's announcements, as
    /// exchange_calendars lists them (`special_closes_adhoc` in `exchange_calendar_xnys.py`).
    static let specialEarlyCloses: Set<CivilDate> = [
        "1999-12-31", "2003-12-26",
    ].reduce(into: []) { $0.insert(CivilDate(iso: $1)!) }

    public init(session: MarketSession = .nyse) { self.session = session }

    public func isTradingDay(_ date: CivilDate) -> Bool {
        let weekday = date.weekday
        switch session {
        case .nyse: return weekday != 0 && weekday != 6 && !isHoliday(date)
        case .fx: return weekday != 0 && weekday != 6
        case .always: return true
        }
    }

    /// An NYSE holiday (whatever the session: the round-the-clock ones have none, see `isTradingDay`).
    public func isHoliday(_ date: CivilDate) -> Bool {
        // Replay asks for every bar: the years most data lies in are looked up in a table built once.
        if let holidays = ExchangeCalendar.holidayTable.holidays(in: date.year) { return holidays.contains(date) }
        return ExchangeCalendar.holidaysByRule(date.year).contains(date)
    }

    /// The full holidays of `year` (special closures included), by rule.
    static func holidaysByRule(_ y: Int) -> [CivilDate] {
        let calendar = ExchangeCalendar()
        let rules: [CivilDate?] = [
            calendar.newYearObserved(y),
            EasternTime.nthWeekday(1, n: 3, month: 1, year: y),
            EasternTime.nthWeekday(1, n: 3, month: 2, year: y),
            calendar.easterSunday(y).adding(days: -2),
            EasternTime.lastWeekday(1, month: 5, year: y),
            y >= 2022 ? calendar.observed(CivilDate(year: y, month: 6, day: 19)) : nil,
            calendar.observed(CivilDate(year: y, month: 7, day: 4)),
            EasternTime.nthWeekday(1, n: 1, month: 9, year: y),
            EasternTime.nthWeekday(4, n: 4, month: 11, year: y),
            calendar.observed(CivilDate(year: y, month: 12, day: 25)),
        ]
        return rules.compactMap { $0 } + specialClosures.filter { $0.year == y }.sorted()
    }

    /// Holidays of 1970–2100, per year, computed once.
    static let holidayTable = HolidayTable(years: 1970...2100)

    struct HolidayTable: Sendable {
        let years: ClosedRange<Int>
        let byYear: [[CivilDate]]

        init(years: ClosedRange<Int>) {
            self.years = years
            byYear = years.map(ExchangeCalendar.holidaysByRule)
        }

        func holidays(in year: Int) -> [CivilDate]? {
            years.contains(year) ? byYear[year - years.lowerBound] : nil
        }
    }

    public func isEarlyClose(_ date: CivilDate) -> Bool {
        session == .nyse && isTradingDay(date) && closesEarly(date)
    }

    /// The early-close rules, for a date known to trade.
    func closesEarly(_ date: CivilDate) -> Bool {
        let weekday = date.weekday
        switch (date.month, date.day) {
        case (7, 3):
            // A Wednesday July 3 (Independence Day on a Thursday) is a half day only from 2013 on.
            return weekday == 1 || weekday == 2 || weekday == 4 || (weekday == 3 && date.year >= 2013)
        case (7, 5):
            // Before 2013 the half day of a Thursday Independence Day was the Friday after.
            return weekday == 5 && date.year < 2013
        case (12, 24):
            return (1...4).contains(weekday)
        case (11, 23...29):
            // The fourth Thursday of November falls on the 22nd to the 28th.
            return date == EasternTime.nthWeekday(4, n: 4, month: 11, year: date.year).adding(days: 1)
        case (12, _):
            return ExchangeCalendar.specialEarlyCloses.contains(date)
        default:
            return false
        }
    }

    /// The regular session of a trading day as instants: [open, close). Nil on non-trading days.
    public func regularSession(on date: CivilDate) -> (open: Timestamp, close: Timestamp)? {
        let day = session(on: date)
        guard day.isTradingDay else { return nil }
        return (day.open, day.close)
    }

    /// The facts of one local date, computed once: whether it trades, its open and close.
    public func session(on date: CivilDate) -> SessionDay {
        guard session == .nyse else { return roundTheClockSession(on: date) }
        guard isTradingDay(date) else { return SessionDay(date: date, isTradingDay: false, isEarlyClose: false) }
        return SessionDay(date: date, isTradingDay: true, isEarlyClose: closesEarly(date))
    }

    /// Whether a bar starting at `start` lies inside its day's regular session.
    /// (A stream of bars asks `SessionCache`, which computes each day's facts once.)
    public func isRegularHours(_ start: Timestamp) -> Bool {
        guard session == .nyse else { return isTradingDay(day(of: start).date) }
        let (date, second) = EasternTime.local(start)
        guard isTradingDay(date) else { return false }
        let close = closesEarly(date) ? SessionDay.earlyCloseSecond : SessionDay.closeSecond
        return second >= SessionDay.openSecond && second < close
    }

    /// Trading days from `start` on, `count` of them.
    public func tradingDays(from start: CivilDate, count: Int) -> [CivilDate] {
        var days: [CivilDate] = []
        var date = start
        while days.count < count {
            if isTradingDay(date) { days.append(date) }
            date = date.adding(days: 1)
        }
        return days
    }

    func observed(_ date: CivilDate) -> CivilDate {
        switch date.weekday {
        case 6: return date.adding(days: -1)
        case 0: return date.adding(days: 1)
        default: return date
        }
    }

    func newYearObserved(_ year: Int) -> CivilDate? {
        let date = CivilDate(year: year, month: 1, day: 1)
        switch date.weekday {
        case 6: return nil  // not moved to the Friday before: that is the last trading day of the year
        case 0: return date.adding(days: 1)
        default: return date
        }
    }

    /// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    func easterSunday(_ year: Int) -> CivilDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate(year: year, month: month, day: day)
    }
}
