import Testing
import TapebenchCore
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
        let axis = TradingTimeAxis(times: Self.times)
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
        #expect(TradingTimeAxis(times: Self.times).x(Self.utc(time)) == expected)
    }

    @Test("the order and repeats of the times do not matter")
    func orderFree() {
        #expect(TradingTimeAxis(times: Self.times.reversed() + Self.times) == TradingTimeAxis(times: Self.times))
        #expect(TradingTimeAxis(times: []).sessions.isEmpty && TradingTimeAxis(times: []).end == 0)
    }

    @Test("session labels are thinned so they stand at least the gap apart")
    func labelled() {
        let axis = TradingTimeAxis(times: Self.times)
        // Monday starts 390 minutes in: 39 units at 0.1 a minute (too close to Friday's label), 78 at 0.2.
        #expect(axis.labelled(scale: 0.1, minimumGap: 44).map(\.start) == [0])
        #expect(axis.labelled(scale: 0.2, minimumGap: 44).map(\.start) == [0, 390])
        #expect(TradingTimeAxis.label(CivilDate(year: 2024, month: 3, day: 4)) == "Mar 4")
        #expect(TradingTimeAxis.label(CivilDate(year: 2024, month: 12, day: 31)) == "Dec 31")
    }
}
