import TapebenchCore

/// US Eastern time (America/New_York), computed by rule rather than from tzdata so that
/// results cannot depend on the machine:
/// - 2007 onward: daylight time from the second Sunday of March, 02:00 EST, to the first Sunday of
///   November, 02:00 EDT (Energy Policy Act of 2005).
/// - 1987–2006: from the first Sunday of April to the last Sunday of October.
/// EST is UTC−5, EDT is UTC−4.
public enum EasternTime {
    public static let standardOffsetSeconds: Int64 = -5 * 3600
    public static let daylightOffsetSeconds: Int64 = -4 * 3600

    /// The first and last local dates of daylight time in `year` (the change happens at 02:00 local).
    public static func daylightDates(year: Int) -> (start: CivilDate, end: CivilDate) {
        if year >= 2007 {
            return (nthWeekday(0, n: 2, month: 3, year: year), nthWeekday(0, n: 1, month: 11, year: year))
        }
        return (nthWeekday(0, n: 1, month: 4, year: year), lastWeekday(0, month: 10, year: year))
    }

    /// The years whose changes are precomputed; outside them the rule is evaluated each time.
    static let tableYears = 1970...2100

    /// Daylight time's start and end as UTC seconds, per year of `tableYears` (replay asks for every bar).
    static let transitions: [(start: Int64, end: Int64)] = tableYears.map(transitionInstants)

    /// 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
    static func transitionInstants(year: Int) -> (start: Int64, end: Int64) {
        let (start, end) = daylightDates(year: year)
        return (start.daysSinceEpoch * 86_400 + 7 * 3600, end.daysSinceEpoch * 86_400 + 6 * 3600)
    }

    /// The UTC offset in force at an instant.
    public static func utcOffsetSeconds(at time: Timestamp) -> Int64 {
        let seconds = time.epochSeconds
        // Any instant inside [start, end) of its year is in daylight time; the year is within one of the estimate.
        var year = 1970 + Int(floorDivide(seconds, 31_556_952).quotient)
        let range: (start: Int64, end: Int64)
        if tableYears.contains(year) {
            if seconds < yearStart(year), year > tableYears.lowerBound { year -= 1 } else if year < tableYears.upperBound, seconds >= yearStart(year + 1) { year += 1 }
            range = transitions[year - tableYears.lowerBound]
        } else {
            range = transitionInstants(year: CivilDate(daysSinceEpoch: floorDivide(seconds, 86_400).quotient).year)
        }
        return (seconds >= range.start && seconds < range.end) ? daylightOffsetSeconds : standardOffsetSeconds
    }

    /// January 1 of `year`, 00:00 UTC, in seconds.
    static func yearStart(_ year: Int) -> Int64 { CivilDate(year: year, month: 1, day: 1).daysSinceEpoch * 86_400 }

    /// Whether a local date is in daylight time from 03:00 on (the whole trading day).
    public static func isDaylight(_ date: CivilDate) -> Bool {
        let (start, end) = daylightDates(year: date.year)
        return date >= start && date < end
    }

    /// The instant of a local wall-clock time on `date`. Valid for times from 03:00 on, where the
    /// offset of the day is unambiguous; an exchange's hours always are.
    public static func instant(_ date: CivilDate, hour: Int, minute: Int, second: Int = 0) -> Timestamp {
        let offset = isDaylight(date) ? daylightOffsetSeconds : standardOffsetSeconds
        let local = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Timestamp(seconds: local - offset)
    }

    /// The local date and seconds since local midnight of an instant.
    public static func local(_ time: Timestamp) -> (date: CivilDate, secondOfDay: Int64) {
        let local = time.epochSeconds + utcOffsetSeconds(at: time)
        let (days, second) = floorDivide(local, 86_400)
        return (CivilDate(daysSinceEpoch: days), second)
    }

    /// The `n`th given weekday (0 = Sunday) of a month.
    public static func nthWeekday(_ weekday: Int, n: Int, month: Int, year: Int) -> CivilDate {
        let first = CivilDate(year: year, month: month, day: 1)
        let delta = (weekday - first.weekday + 7) % 7
        return first.adding(days: Int64(delta + 7 * (n - 1)))
    }

    /// The last given weekday (0 = Sunday) of a month.
    public static func lastWeekday(_ weekday: Int, month: Int, year: Int) -> CivilDate {
        let last = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))
        return last.adding(days: -Int64((last.weekday - weekday + 7) % 7))
    }
}

extension EasternTime {
    /// A span of instants [from, until) sharing one local date and one UTC offset: the local day, or the
    /// part of it on either side of a daylight-time change. Computed once, it answers `local` for every
    /// instant inside with a compare and a division.
    public struct LocalDaySpan: Sendable {
        public let date: CivilDate
        /// Local midnight of `date` under the span's offset, in nanoseconds since the epoch.
        let midnight: Int64
        let from: Int64
        let until: Int64

        /// No instant (the first lookup computes a span).
        static let empty = LocalDaySpan(date: CivilDate(year: 1970, month: 1, day: 1), midnight: 0, from: 0, until: 0)

        init(date: CivilDate, midnight: Int64, from: Int64, until: Int64) {
            self.date = date
            self.midnight = midnight
            self.from = from
            self.until = until
        }

        public init(containing time: Timestamp) {
            let offset = utcOffsetSeconds(at: time)
            let days = floorDivide(time.epochSeconds + offset, 86_400).quotient
            let perSecond = Timestamp.nanosecondsPerSecond
            // The whole local day under this offset, in UTC; a change of offset inside it (02:00 on a
            // changeover Sunday) cuts it at that instant.
            var start = (days * 86_400 - offset) * perSecond
            var end = ((days + 1) * 86_400 - offset) * perSecond
            let year = CivilDate(daysSinceEpoch: days).year
            for change in [transitionInstants(year: year).start, transitionInstants(year: year).end] {
                let instant = change * perSecond
                if instant > start, instant <= time.nanoseconds { start = instant }
                if instant > time.nanoseconds, instant < end { end = instant }
            }
            self.init(date: CivilDate(daysSinceEpoch: days), midnight: (days * 86_400 - offset) * perSecond, from: start, until: end)
        }

        @inline(__always) public func contains(_ time: Timestamp) -> Bool {
            time.nanoseconds >= from && time.nanoseconds < until
        }

        /// Whole seconds from local midnight (for an instant inside the span).
        @inline(__always) public func secondOfDay(_ time: Timestamp) -> Int64 {
            (time.nanoseconds - midnight) / Timestamp.nanosecondsPerSecond
        }
    }
}
