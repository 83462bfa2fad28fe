import Testing
import TapebenchCore
@testable import TapebenchData

/// The three sessions' hours and days (`MarketSession`), by hand-known instants across the March 2024
/// daylight change (New York moved on 2024-03-10; UTC does not move).
@Suite struct MarketSessionTests {
    let fx = ExchangeCalendar(session: .fx)
    let always = ExchangeCalendar(session: .always)

    /// `2024-03-08T21:59:00Z` as an instant.
    func at(_ iso: String) -> Timestamp {
        let parts = iso.dropFirst(11).prefix(8).split(separator: ":").map { Int64($0)! }
        return Timestamp(seconds: CivilDate(iso: String(iso.prefix(10)))!.daysSinceEpoch * 86_400 + parts[0] * 3600 + parts[1] * 60 + parts[2])
    }

    @Test("24x5: Friday 17:00 New York closes the week; Sunday 17:00 opens Monday's day", arguments: [
        // (instant, trading day, seconds since the day's start, trades)
        ("2024-03-08T21:59:00Z", "2024-03-08", Int64(86_340), true),   // Friday 16:59 EST: Friday's last minute
        ("2024-03-08T22:00:00Z", "2024-03-09", 0, false),              // Friday 17:00 EST: Saturday, closed
        // Sunday 16:59 EDT: Sunday, closed; wall-clock seconds since Saturday 17:00 EST (the clocks moved in between)
        ("2024-03-10T20:59:00Z", "2024-03-10", 86_340, false),
        ("2024-03-10T21:00:00Z", "2024-03-11", 0, true),               // Sunday 17:00 EDT: Monday's first minute
        ("2024-03-11T13:30:00Z", "2024-03-11", 59_400, true),          // Monday 09:30 EDT
        ("2024-03-11T21:00:00Z", "2024-03-12", 0, true),               // Monday 17:00 EDT: Tuesday
    ])
    func fxDays(instant: String, date: String, second: Int64, trades: Bool) {
        let day = fx.day(of: at(instant))
        #expect(day.date == CivilDate(iso: date)!)
        #expect(day.secondOfDay == second)
        #expect(fx.isRegularHours(at(instant)) == trades)
    }

    @Test("24x5: Monday 2024-03-11 runs from Sunday 17:00 EDT to Monday 17:00 EDT; weekends and NYSE holidays")
    func fxSession() {
        let monday = fx.session(on: CivilDate(iso: "2024-03-11")!)
        #expect(monday.isTradingDay)
        #expect(monday.open.iso8601 == "2024-03-10T21:00:00Z")
        #expect(monday.close.iso8601 == "2024-03-11T21:00:00Z")
        // The week before the change: 17:00 EST is 22:00 UTC.
        #expect(fx.session(on: CivilDate(iso: "2024-03-08")!).close.iso8601 == "2024-03-08T22:00:00Z")
        #expect(!fx.isTradingDay(CivilDate(iso: "2024-03-09")!))
        #expect(!fx.isTradingDay(CivilDate(iso: "2024-03-10")!))
        // Good Friday closes NYSE, not FX.
        #expect(fx.isTradingDay(CivilDate(iso: "2024-03-29")!))
        #expect(!ExchangeCalendar.nyse.isTradingDay(CivilDate(iso: "2024-03-29")!))
    }

    @Test("24x7: every minute trades; the day is the UTC date, Saturday included")
    func alwaysOpen() {
        #expect(always.day(of: at("2022-01-01T00:00:00Z")) == (CivilDate(iso: "2022-01-01")!, 0))
        #expect(always.day(of: at("2021-12-31T23:59:00Z")) == (CivilDate(iso: "2021-12-31")!, 86_340))
        #expect(always.isRegularHours(at("2022-01-01T12:00:00Z")))
        let saturday = always.session(on: CivilDate(iso: "2022-01-01")!)
        #expect(saturday.isTradingDay && saturday.open.iso8601 == "2022-01-01T00:00:00Z" && saturday.close.iso8601 == "2022-01-02T00:00:00Z")
    }

    @Test("the per-day cache gives what the calendar gives, every minute across both 2024 New York changes", arguments: MarketSession.allCases)
    func cacheAgrees(session: MarketSession) {
        let calendar = ExchangeCalendar(session: session)
        var cache = SessionCache(calendar: calendar)
        var mismatches = 0
        for (first, last) in [("2024-03-07T00:00:00Z", "2024-03-13T00:00:00Z"), ("2024-10-31T00:00:00Z", "2024-11-06T00:00:00Z")] {
            var t = at(first)
            while t < at(last) {
                let local = cache.local(t), expected = calendar.day(of: t)
                if local.date != expected.date || local.secondOfDay != expected.secondOfDay || cache.isRegularHours(t) != calendar.isRegularHours(t) {
                    mismatches += 1
                }
                t = t.adding(minutes: 1)
            }
        }
        #expect(mismatches == 0)
    }

    @Test("nyse keeps its days: the New York date, 09:30–16:00")
    func nyseUnchanged() {
        #expect(ExchangeCalendar.nyse.day(of: at("2024-03-11T13:30:00Z")) == (CivilDate(iso: "2024-03-11")!, 34_200))
        #expect(ExchangeCalendar.nyse.isRegularHours(at("2024-03-11T13:30:00Z")))
        #expect(!ExchangeCalendar.nyse.isRegularHours(at("2024-03-11T20:00:00Z")))
    }
}
