import Testing
import TapebenchCore
import TapebenchData

/// The per-day cache must answer exactly as the per-instant functions do, across daylight-time changes,
/// holidays, early closes and in any order of instants.
@Suite struct SessionCacheTests {
    func at(_ iso: String) -> Timestamp {
        // "YYYY-MM-DDTHH:MM:SSZ"
        let date = CivilDate(iso: iso.prefix(10))!
        let parts = iso.dropFirst(11).dropLast().split(separator: ":").map { Int64($0)! }
        return Timestamp(seconds: date.daysSinceEpoch * 86_400 + parts[0] * 3600 + parts[1] * 60 + parts[2])
    }

    func expectLocal(_ cache: inout SessionCache, _ iso: String, _ date: String, _ second: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        let got = cache.local(at(iso))
        #expect(got.date == CivilDate(iso: date)! && got.secondOfDay == second, "\(iso): \(got)", sourceLocation: sourceLocation)
    }

    func expectRegular(_ cache: inout SessionCache, _ iso: String, _ regular: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let got = cache.isRegularHours(at(iso))
        #expect(got == regular, "\(iso)", sourceLocation: sourceLocation)
    }

    @Test("local time on both sides of the 2024 changes, hand-computed")
    func changes() {
        var cache = SessionCache()
        // 2024-03-10: 06:59:59Z is 01:59:59 EST, 07:00:00Z is 03:00:00 EDT (the local day has 23 hours).
        expectLocal(&cache, "2024-03-10T06:59:59Z", "2024-03-10", 7199)
        expectLocal(&cache, "2024-03-10T07:00:00Z", "2024-03-10", 10_800)
        expectLocal(&cache, "2024-03-11T03:59:59Z", "2024-03-10", 86_399)
        expectLocal(&cache, "2024-03-11T04:00:00Z", "2024-03-11", 0)
        // 2024-11-03: 05:59:59Z is 01:59:59 EDT, 06:00:00Z is 01:00:00 EST (25 hours); back in time works too.
        expectLocal(&cache, "2024-11-03T06:00:00Z", "2024-11-03", 3600)
        expectLocal(&cache, "2024-11-03T05:59:59Z", "2024-11-03", 7199)
        expectLocal(&cache, "2024-11-03T04:00:00Z", "2024-11-03", 0)
        expectLocal(&cache, "2024-11-03T03:59:59Z", "2024-11-02", 86_399)
        expectLocal(&cache, "2024-11-04T04:59:59Z", "2024-11-03", 86_399)
    }

    @Test("sessions: a holiday, an early close, a DST Monday, a weekend")
    func sessions() {
        var cache = SessionCache()
        expectRegular(&cache, "2024-07-04T14:00:00Z", false)  // Independence Day
        expectRegular(&cache, "2024-11-29T17:59:00Z", true)   // the day after Thanksgiving: 12:59 EST
        expectRegular(&cache, "2024-11-29T18:00:00Z", false)  // 13:00 EST: closed early
        expectRegular(&cache, "2024-03-11T13:29:00Z", false)  // 09:29 EDT
        expectRegular(&cache, "2024-03-11T13:30:00Z", true)   // 09:30 EDT
        expectRegular(&cache, "2024-03-09T15:00:00Z", false)  // Saturday
        let day = cache.session(at: at("2024-12-24T15:00:00Z"))
        #expect(day.isTradingDay && day.isEarlyClose && day.close == at("2024-12-24T18:00:00Z") && day.open == at("2024-12-24T14:30:00Z"))
    }

    @Test("every minute of weeks around changes and holidays, forwards and shuffled, agrees with the per-instant answers (also local then isRegularInCurrentDay)")
    func agreesEverywhere() {
        let weeks = ["2024-03-07", "2024-10-31", "2007-03-08", "2006-03-30", "2006-10-26", "2023-12-28", "2016-11-22", "2025-01-06"]
        var instants: [Timestamp] = []
        for first in weeks {
            let start = Timestamp(seconds: CivilDate(iso: first)!.daysSinceEpoch * 86_400)
            for minute in 0..<(7 * 1440) { instants.append(start.adding(minutes: Int64(minute)).adding(nanoseconds: Int64(minute % 7) * 123_456_789)) }
        }
        var rng = Xoshiro256(seed: 7, key: "shuffle")
        var shuffled = instants
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        for order in [instants, shuffled] {
            var cache = SessionCache()
            // Asked only as the replay's intake asks: `local`, then `isRegularInCurrentDay` from its seconds.
            var paired = SessionCache()
            var mismatches = 0
            for time in order {
                let expected = EasternTime.local(time)
                let pairedLocal = paired.local(time)
                let pairedRegular = paired.isRegularInCurrentDay(secondOfDay: pairedLocal.secondOfDay)
                if pairedLocal != expected || pairedRegular != ExchangeCalendar.nyse.isRegularHours(time) { mismatches += 1 }
                let got = cache.local(time)
                let regular = cache.isRegularHours(time)
                // The session facts too, asked of the same cache between the other questions.
                let session = cache.session(at: time)
                if got != expected || regular != ExchangeCalendar.nyse.isRegularHours(time) { mismatches += 1 }
                if session != ExchangeCalendar.nyse.session(on: expected.date) { mismatches += 1 }
            }
            #expect(mismatches == 0)
        }
    }

    @Test("holidays at the edges of the table of years (1970–2100) and beyond it, by rule")
    func holidayTable() {
        let calendar = ExchangeCalendar.nyse
        #expect(calendar.isHoliday(CivilDate(iso: "1970-01-01")!))  // first year of the table
        #expect(calendar.isHoliday(CivilDate(iso: "2100-12-24")!))  // Christmas 2100 is a Saturday: observed Friday
        #expect(!calendar.isHoliday(CivilDate(iso: "2100-12-23")!))
        #expect(calendar.isHoliday(CivilDate(iso: "2101-12-26")!))  // Christmas 2101 is a Sunday: observed Monday
        #expect(calendar.isHoliday(CivilDate(iso: "1969-12-25")!))
        #expect(!calendar.isHoliday(CivilDate(iso: "2101-12-27")!))
    }
}
