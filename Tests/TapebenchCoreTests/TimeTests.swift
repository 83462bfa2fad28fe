import Testing
import TapebenchCore

@Suite struct TimeTests {
    @Test("ISO 8601 in UTC")
    func iso() {
        #expect(Timestamp(milliseconds: 1_381_132_800_000).iso8601 == "2013-10-07T08:00:00Z")
        #expect(Timestamp(nanoseconds: 1_500_000_000).iso8601 == "1970-01-01T00:00:01.5Z")
        #expect(Timestamp(nanoseconds: -1).iso8601 == "1969-12-31T23:59:59.999999999Z")
    }

    @Test("civil dates round-trip through day numbers", arguments: ["1970-01-01", "2000-02-29", "2024-03-10", "2099-12-31", "1969-07-20"])
    func civil(text: String) {
        let date = CivilDate(iso: text)!
        #expect(CivilDate(daysSinceEpoch: date.daysSinceEpoch) == date)
        #expect(date.description == text)
    }

    @Test("weekdays")
    func weekdays() {
        #expect(CivilDate(iso: "1970-01-01")!.weekday == 4)  // Thursday
        #expect(CivilDate(iso: "2024-03-10")!.weekday == 0)  // Sunday
    }

    @Test("impossible dates are rejected", arguments: ["2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024-04-31"])
    func invalid(text: String) {
        #expect(CivilDate(iso: text) == nil)
    }
}
