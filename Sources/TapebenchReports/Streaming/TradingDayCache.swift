import TapebenchCore
import TapebenchData

/// The trading day of an instant (`ExchangeCalendar.day(of:)`), remembered while instants stay in it:
/// equity.csv dates every row, and working the day out from Eastern time and its DST rules for each row
/// cost 3 % of the peers tape's CPU (98,000 rows).
///
/// Which span is certainly the same day: `day(of:)` gives the seconds since the day began on the local
/// clock, which is at most an hour off the time elapsed (a DST change that day), so the day began within an
/// hour of `time − secondOfDay`; and a day lasts 23 to 25 hours. So from one hour after that instant to 22
/// hours after it is the same day whatever the rules; the cache answers there and asks the calendar elsewhere.
struct TradingDayCache {
    let calendar: ExchangeCalendar
    /// The span the remembered date certainly covers, and the date.
    private var from = Timestamp(nanoseconds: .max)
    private var until = Timestamp(nanoseconds: .min)
    private var date = CivilDate(daysSinceEpoch: 0)

    static let hour: Int64 = 3_600 * Timestamp.nanosecondsPerSecond

    init(calendar: ExchangeCalendar) { self.calendar = calendar }

    /// `calendar.day(of: time).date`.
    mutating func date(of time: Timestamp) -> CivilDate {
        if time >= from && time < until { return date }
        let day = calendar.day(of: time)
        let start = time.adding(nanoseconds: -day.secondOfDay * Timestamp.nanosecondsPerSecond)
        date = day.date
        from = start.adding(nanoseconds: TradingDayCache.hour)
        until = start.adding(nanoseconds: 22 * TradingDayCache.hour)
        return date
    }
}
