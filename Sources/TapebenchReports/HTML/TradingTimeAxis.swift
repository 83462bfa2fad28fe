import TapebenchCore
import TapebenchData

/// The x axis of report.html's time charts in trading time: nights, weekends and holidays take no room.
/// Built from every time a chart will plot: each trading day of the scenario's calendar that has one is
/// a session (`ExchangeCalendar.day(of:)`: the New York date under `nyse`, the 17:00-to-17:00 New York day
/// under `24x5`, the UTC date under `24x7`), spanning its first to its last time; x is the index of the
/// trading minute, counted on from one session's last minute to the next session's first (so the minute
/// after a Friday's close is the Monday's first). Session starts carry the date for labels. The span
/// comes from the data, not the calendar's hours: a half day is as long as its bars, and the axis needs
/// no knowledge of holidays. Only the grouping into days is the calendar's, so that a round-the-clock
/// session is neither cut nor joined at New York midnight.
struct TradingTimeAxis: Sendable, Equatable {
    struct Session: Sendable, Equatable {
        var date: CivilDate
        /// The session's first and last times plotted.
        var first: Timestamp
        var last: Timestamp
        /// x of `first`: the trading minutes of the sessions before this one.
        var start: Int64
        /// Whole minutes from `first` to `last`.
        var minutes: Int64 { (last.nanoseconds - first.nanoseconds) / Timestamp.nanosecondsPerMinute }
    }

    /// In time order.
    private(set) var sessions: [Session] = []

    /// The axis over `times`, in any order, repeats allowed, in the days of `calendar`.
    init(times: some Sequence<Timestamp>, calendar: ExchangeCalendar) {
        let sorted = times.sorted()
        var days = SessionCache(calendar: calendar)
        var x: Int64 = 0
        for time in sorted {
            let date = days.local(time).date
            if let last = sessions.last, last.date == date {
                sessions[sessions.count - 1].last = time
            } else {
                if let last = sessions.last { x = last.start + last.minutes + 1 }
                sessions.append(Session(date: date, first: time, last: time, start: x))
            }
        }
    }

    /// The last x: the axis runs from 0 to here.
    var end: Int64 { sessions.last.map { $0.start + $0.minutes } ?? 0 }

    /// x of `time`, in (fractional) trading minutes. A time between sessions (not one the axis was built
    /// from) is placed at the end of the session before it, or at 0 before the first.
    func x(_ time: Timestamp) -> Double {
        // The last session starting at or before `time`.
        var lo = 0, hi = sessions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sessions[mid].first <= time { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return 0 }
        let session = sessions[lo - 1]
        let offset = Double(min(time, session.last).nanoseconds - session.first.nanoseconds) / Double(Timestamp.nanosecondsPerMinute)
        return Double(session.start) + offset
    }

    /// The sessions to label so that labels stand at least `minimumGap` apart at `scale` units per
    /// trading minute: the first, then each next session far enough from the last one labelled.
    func labelled(scale: Double, minimumGap: Double) -> [Session] {
        var result: [Session] = []
        for session in sessions where result.last.map({ Double(session.start - $0.start) * scale >= minimumGap }) ?? true {
            result.append(session)
        }
        return result
    }

    /// A session's label: "Mar 4" (the year is in the chart's caption).
    static func label(_ date: CivilDate) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(months[max(0, min(11, date.month - 1))]) \(date.day)"
    }
}
