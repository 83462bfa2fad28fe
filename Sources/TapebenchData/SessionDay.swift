import TapebenchCore

/// One trading day of the calendar (for `nyse` a local America/New_York date; see `MarketSession` for the
/// others), computed once per day: whether it trades, and its regular session [open, close) as instants and
/// as seconds after the day's start.
public struct SessionDay: Sendable, Hashable {
    public static let openSecond: Int64 = 9 * 3600 + 30 * 60
    public static let closeSecond: Int64 = 16 * 3600
    public static let earlyCloseSecond: Int64 = 13 * 3600

    public let date: CivilDate
    public let isTradingDay: Bool
    /// A 13:00 close (never true on a day that does not trade).
    public let isEarlyClose: Bool
    /// The session's open and close instants (meaningful only when `isTradingDay`).
    public let open: Timestamp
    public let close: Timestamp
    /// The open and close as seconds after the day's start (local midnight for `nyse`).
    public let openSecondOfDay: Int64
    public let closeSecondOfDay: Int64

    /// An NYSE day.
    init(date: CivilDate, isTradingDay: Bool, isEarlyClose: Bool) {
        self.date = date
        self.isTradingDay = isTradingDay
        self.isEarlyClose = isTradingDay && isEarlyClose
        open = EasternTime.instant(date, hour: 9, minute: 30)
        close = EasternTime.instant(date, hour: self.isEarlyClose ? 13 : 16, minute: 0)
        openSecondOfDay = SessionDay.openSecond
        closeSecondOfDay = self.isEarlyClose ? SessionDay.earlyCloseSecond : SessionDay.closeSecond
    }

    /// A day of a round-the-clock session.
    init(date: CivilDate, isTradingDay: Bool, open: Timestamp, close: Timestamp, openSecond: Int64, closeSecond: Int64) {
        self.date = date
        self.isTradingDay = isTradingDay
        isEarlyClose = false
        self.open = open
        self.close = close
        openSecondOfDay = openSecond
        closeSecondOfDay = closeSecond
    }

    /// Whether a time `secondOfDay` seconds after this day's start lies in the regular session.
    @inlinable public func isRegular(secondOfDay: Int64) -> Bool {
        isTradingDay && secondOfDay >= openSecondOfDay && secondOfDay < closeSecondOfDay
    }
}

/// The local date and session of a stream of instants, recomputed only when an instant leaves the span
/// of the last one's local day (bars come in time order, so that is once per day, not once per bar).
/// Results are those of `ExchangeCalendar.day(of:)` and `ExchangeCalendar.session(on:)`.
public struct SessionCache: Sendable {
    public let calendar: ExchangeCalendar
    private var span = EasternTime.LocalDaySpan.empty
    /// The session of `span`'s date once `hasDay` (kept across a daylight-time cut of the same date).
    private var day = SessionDay(date: CivilDate(year: 1970, month: 1, day: 1), isTradingDay: false, isEarlyClose: false)
    private var hasDay = false
    /// Whether `day` is the session of `span`'s date: then a bar inside the span asks nothing else.
    private var dayMatchesSpan = false

    public init(calendar: ExchangeCalendar = .nyse) { self.calendar = calendar }

    /// The trading day of `time` and seconds since the day's start (`nyse`: the local date and seconds since local midnight).
    @inline(__always)
    public mutating func local(_ time: Timestamp) -> (date: CivilDate, secondOfDay: Int64) {
        if !span.contains(time) {
            span = EasternTime.LocalDaySpan(containing: time, calendar: calendar)
            dayMatchesSpan = false
        }
        return (span.date, span.secondOfDay(time))
    }

    /// The session facts of the local date of `time`.
    public mutating func session(at time: Timestamp) -> SessionDay {
        _ = local(time)
        if !dayMatchesSpan { matchDay() }
        return day
    }

    /// `day` made the session of `span`'s date (computed only when the date changed).
    private mutating func matchDay() {
        if !hasDay || day.date != span.date {
            day = calendar.session(on: span.date)
            hasDay = true
        }
        dayMatchesSpan = true
    }

    /// `isRegularHours` of the instant `local` was last asked about, from the seconds of the day it gave:
    /// the span is not looked at again.
    @inline(__always)
    public mutating func isRegularInCurrentDay(secondOfDay second: Int64) -> Bool {
        if !dayMatchesSpan { matchDay() }
        return day.isRegular(secondOfDay: second)
    }

    /// Whether a bar starting at `start` lies inside its day's regular session (`ExchangeCalendar.isRegularHours`).
    @inline(__always)
    public mutating func isRegularHours(_ start: Timestamp) -> Bool {
        let second = local(start).secondOfDay
        if !dayMatchesSpan { matchDay() }
        return day.isRegular(secondOfDay: second)
    }
}
