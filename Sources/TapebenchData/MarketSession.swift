import TapebenchCore

/// When a market trades, and what its "day" is (the day of daily snapshots, the daily loss limit, the
/// session-end cancel and the report's trading days). A scenario states it as `data.session`.
///
/// | session | trades | a day | trading days |
/// |---|---|---|---|
/// | `nyse` | 09:30–16:00 America/New_York (13:00 early closes) | the New York date | NYSE sessions |
/// | `24x5` | Sunday 17:00 to Friday 17:00 America/New_York | 17:00 to 17:00 New York, named by the date it ends | Monday–Friday |
/// | `24x7` | every minute | the UTC date | every date |
///
/// `24x5` is the FX convention: the interbank market opens in Sydney on Sunday, 17:00 New York time, and
/// closes in New York on Friday at 17:00; the trade date rolls at 17:00 New York ("5 pm NY close", the
/// value-date cut of FX spot), so Sunday 17:00 to Monday 17:00 is Monday's day. No holidays: FX trades
/// through them (thinly), and which days a venue closes is the venue's.
public enum MarketSession: String, Sendable, Hashable, CaseIterable {
    case nyse
    case fx = "24x5"
    case always = "24x7"

    /// A session as a scenario's `data.session` or the command line's `--session` names it (any case).
    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    /// The names, for the one error line of a wrong one (scenario and command line say the same).
    public static let expected = "nyse, 24x5 (FX: Sunday 17:00 to Friday 17:00 New York) or 24x7 (every minute, UTC days)"

    /// How far the day's start lies after local midnight of its date, in seconds: the `24x5` day named D
    /// starts at 17:00 New York on the day before D.
    var dayStartSecond: Int64 {
        switch self {
        case .nyse, .always: 0
        case .fx: -7 * 3600
        }
    }
}

extension ExchangeCalendar {
    /// The trading day of an instant, and seconds since that day began (for `nyse`, since local midnight).
    public func day(of time: Timestamp) -> (date: CivilDate, secondOfDay: Int64) {
        switch session {
        case .nyse:
            return EasternTime.local(time)
        case .always:
            let (days, second) = floorDivide(time.epochSeconds, 86_400)
            return (CivilDate(daysSinceEpoch: days), second)
        case .fx:
            let (date, second) = EasternTime.local(time)
            // 17:00 New York and later belongs to the next day.
            let shifted = second - session.dayStartSecond
            return shifted >= 86_400 ? (date.adding(days: 1), shifted - 86_400) : (date, shifted)
        }
    }

    /// The day's facts under a 24-hour session: it trades Monday–Friday (`24x5`) or always (`24x7`), from
    /// its start to the next day's.
    func roundTheClockSession(on date: CivilDate) -> SessionDay {
        let open: Timestamp, close: Timestamp
        switch session {
        case .fx:
            open = EasternTime.instant(date.adding(days: -1), hour: 17, minute: 0)
            close = EasternTime.instant(date, hour: 17, minute: 0)
        default:
            open = Timestamp(seconds: date.daysSinceEpoch * 86_400)
            close = Timestamp(seconds: (date.daysSinceEpoch + 1) * 86_400)
        }
        let trades = session == .always || (1...5).contains(date.weekday)
        return SessionDay(date: date, isTradingDay: trades, open: open, close: close, openSecond: 0, closeSecond: 86_400)
    }
}

extension EasternTime.LocalDaySpan {
    /// The span of instants around `time` that share one trading day and one UTC offset under `calendar`.
    init(containing time: Timestamp, calendar: ExchangeCalendar) {
        switch calendar.session {
        case .nyse:
            self.init(containing: time)
        case .always:
            let perDay = Timestamp.nanosecondsPerDay
            let start = floorDivide(time.nanoseconds, perDay).quotient * perDay
            self.init(date: CivilDate(daysSinceEpoch: start / perDay), midnight: start, from: start, until: start + perDay)
        case .fx:
            // The New York day's span, cut at 17:00: before it, the day named by the date; from it, the next.
            let local = EasternTime.LocalDaySpan(containing: time)
            let cut = local.midnight + 17 * 3600 * Timestamp.nanosecondsPerSecond
            if time.nanoseconds < cut {
                self.init(date: local.date, midnight: local.midnight - 7 * 3600 * Timestamp.nanosecondsPerSecond, from: local.from, until: min(local.until, cut))
            } else {
                self.init(date: local.date.adding(days: 1), midnight: cut, from: max(local.from, cut), until: local.until)
            }
        }
    }
}
