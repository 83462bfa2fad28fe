import Testing
import TapebenchCore
import TapebenchData
@testable import TapebenchReports

/// The charts' x axis in trading minutes: no nights, no weekends (issue 14: fills-on-prices charts drew
/// nights and weekends as long straight lines).
@Suite struct TradingTimeAxisTests {
    /// `YYYY-MM-DDTHH:MM:SSZ` as a time.
    static func utc(_ text: String) -> Timestamp {
        let date = CivilDate(iso: text.prefix(10))!
        let clock = text.dropFirst(11).prefix(8).split(separator: ":").map { Int64($0)! }
        return Timestamp(seconds: date.daysSinceEpoch * 86_400 + clock[0] * 3_600 + clock[1] * 60 + clock[2])
    }

    // Friday 2024-03-08 (EST, UTC−5) 09:30, 09:35, 15:59; Monday 2024-03-11 (EDT from 10 March, UTC−4)
    // 09:30, 09:31, and 20:30 EDT, which is already 12 March in UTC but 11 March on the exchange.
    static let times = ["2024-03-08T14:30:00Z", "2024-03-08T14:35:00Z", "2024-03-08T20:59:00Z",
                        "2024-03-11T13:30:00Z", "2024-03-11T13:31:00Z", "2024-03-12T00:30:00Z"].map(utc)

    @Test("one session per exchange date, from its first to its last time; the next starts one minute after")
    func sessions() {
        let axis = TradingTimeAxis(times: Self.times, calendar: .nyse)
        #expect(axis.sessions.map(\.date) == [CivilDate(year: 2024, month: 3, day: 8), CivilDate(year: 2024, month: 3, day: 11)])
        // Friday: 09:30 to 15:59 is 389 minutes, x 0…389; Monday starts at 390 and runs 09:30 to 20:30 EDT, 660 minutes.
        #expect(axis.sessions.map(\.start) == [0, 390])
        #expect(axis.sessions.map(\.minutes) == [389, 660])
        #expect(axis.end == 1_050)
    }

    @Test("x is minutes since the session's start plus the sessions before", arguments: [
        ("2024-03-08T14:30:00Z", 0.0), ("2024-03-08T14:35:00Z", 5), ("2024-03-08T14:35:30Z", 5.5), ("2024-03-08T20:59:00Z", 389),
        ("2024-03-11T13:30:00Z", 390), ("2024-03-11T13:31:00Z", 391),
        // The weekend between: at Friday's last minute. Before the first session: 0.
        ("2024-03-09T15:00:00Z", 389), ("2024-03-08T12:00:00Z", 0),
    ])
    func x(time: String, expected: Double) {
        #expect(TradingTimeAxis(times: Self.times, calendar: .nyse).x(Self.utc(time)) == expected)
    }

    @Test("the order and repeats of the times do not matter")
    func orderFree() {
        #expect(TradingTimeAxis(times: Self.times.reversed() + Self.times, calendar: .nyse) == TradingTimeAxis(times: Self.times, calendar: .nyse))
        #expect(TradingTimeAxis(times: [], calendar: .nyse).sessions.isEmpty && TradingTimeAxis(times: [], calendar: .nyse).end == 0)
    }

    @Test("session labels are thinned so they stand at least the gap apart")
    func labelled() {
        let axis = TradingTimeAxis(times: Self.times, calendar: .nyse)
        // Monday starts 390 minutes in: 39 units at 0.1 a minute (too close to Friday's label), 78 at 0.2.
        #expect(axis.labelled(scale: 0.1, minimumGap: 44).map(\.start) == [0])
        #expect(axis.labelled(scale: 0.2, minimumGap: 44).map(\.start) == [0, 390])
        #expect(TradingTimeAxis.label(CivilDate(year: 2024, month: 3, day: 4)) == "Mar 4")
        #expect(TradingTimeAxis.label(CivilDate(year: 2024, month: 12, day: 31)) == "Dec 31")
    }

    // MARK: - Days of other sessions

    /// The axis's sessions as `date first→last start+minutes`, for comparing with hand-computed lists.
    static func described(_ axis: TradingTimeAxis) -> [String] {
        axis.sessions.map { "\($0.date) \($0.first.iso8601.dropFirst(5).dropLast(4))→\($0.last.iso8601.dropFirst(5).dropLast(4)) \($0.start)+\($0.minutes)" }
    }

    @Test("24x7: a crypto weekend is cut at UTC midnight, not at New York's (05:00 UTC in winter)")
    func roundTheClock() {
        // BTC minutes from Friday 2021-12-31 23:01 UTC to Saturday 23:59: New York's midnight falls at 05:00 UTC.
        let times = ["2021-12-31T23:01:00Z", "2021-12-31T23:59:00Z", "2022-01-01T00:00:00Z", "2022-01-01T04:59:00Z",
                     "2022-01-01T05:00:00Z", "2022-01-01T23:59:00Z"].map(Self.utc)
        let axis = TradingTimeAxis(times: times, calendar: ExchangeCalendar(session: .always))
        // Friday: 23:01→23:59, 58 minutes from 0; Saturday from 59, 00:00→23:59, 1 439 minutes.
        #expect(Self.described(axis) == ["2021-12-31 12-31T23:01→12-31T23:59 0+58", "2022-01-01 01-01T00:00→01-01T23:59 59+1439"])
        #expect(axis.end == 1_498)
        #expect(axis.x(Self.utc("2022-01-01T05:00:00Z")) == 359)
        // A label per UTC day: Friday's at 0, Saturday's at 59 (at 1 unit a minute both stand 44 apart).
        #expect(axis.labelled(scale: 1, minimumGap: 44).map { TradingTimeAxis.label($0.date) } == ["Dec 31", "Jan 1"])
        // By New York date (the old axis) the same minutes split at 05:00 UTC: 23:01→04:59, then 05:00→23:59.
        #expect(Self.described(TradingTimeAxis(times: times, calendar: .nyse))
            == ["2021-12-31 12-31T23:01→01-01T04:59 0+358", "2022-01-01 01-01T05:00→01-01T23:59 359+1139"])
    }

    @Test("24x7 with times written in Asia/Tokyo: a Tokyo morning (00:00–06:00 UTC) is one day, not split and merged at New York midnight")
    func tokyoMornings() {
        // 09:00–15:00 JST (UTC+9, no daylight time) on Monday 4 and Tuesday 5 March 2024 is 00:00–06:00 UTC; New
        // York (EST until 10 March) turns midnight at 05:00 UTC, inside each morning.
        let times = ["2024-03-04T00:00:00Z", "2024-03-04T04:59:00Z", "2024-03-04T05:00:00Z", "2024-03-04T06:00:00Z",
                     "2024-03-05T00:00:00Z", "2024-03-05T04:59:00Z", "2024-03-05T05:00:00Z", "2024-03-05T06:00:00Z"].map(Self.utc)
        let axis = TradingTimeAxis(times: times, calendar: ExchangeCalendar(session: .always))
        // Each morning 360 minutes; Tuesday starts one minute after Monday's 06:00, at 361.
        #expect(Self.described(axis) == ["2024-03-04 03-04T00:00→03-04T06:00 0+360", "2024-03-05 03-05T00:00→03-05T06:00 361+360"])
        #expect(axis.end == 721)
        #expect(axis.x(Self.utc("2024-03-05T01:00:00Z")) == 421)
        #expect(axis.labelled(scale: 1, minimumGap: 44).map { TradingTimeAxis.label($0.date) } == ["Mar 4", "Mar 5"])
        // By New York date: Sunday 3 March's evening, then Monday's 06:00 joined to Tuesday's morning.
        #expect(TradingTimeAxis(times: times, calendar: .nyse).sessions.map(\.date.description) == ["2024-03-03", "2024-03-04", "2024-03-05"])
    }

    @Test("24x5: Sunday 17:00 New York opens Monday's day, which runs to Monday 16:59")
    func foreignExchange() {
        // Sunday 2024-03-03 22:00 and 23:00 UTC (17:00, 18:00 EST), Monday 05:00 (New York midnight) and 21:59
        // (16:59 EST), then 22:00 Monday (17:00: Tuesday's day) and 00:00 Tuesday.
        let times = ["2024-03-03T22:00:00Z", "2024-03-03T23:00:00Z", "2024-03-04T05:00:00Z", "2024-03-04T21:59:00Z",
                     "2024-03-04T22:00:00Z", "2024-03-05T00:00:00Z"].map(Self.utc)
        let axis = TradingTimeAxis(times: times, calendar: ExchangeCalendar(session: .fx))
        #expect(Self.described(axis) == ["2024-03-04 03-03T22:00→03-04T21:59 0+1439", "2024-03-05 03-04T22:00→03-05T00:00 1440+120"])
        #expect(axis.labelled(scale: 1, minimumGap: 44).map { TradingTimeAxis.label($0.date) } == ["Mar 4", "Mar 5"])
    }
}
