import Testing
import TapebenchCore
@testable import TapebenchData

/// `data validate` and `data inspect` under a scenario's session (`--session`): regular hours, missing minutes
/// and out-of-hours bars are the session's, not NYSE's. On nautilus' BTC perpetual minute bars in ../shared/data
/// (UTC, Friday 2021-12-31 23:01 to Saturday 2022-01-01 23:59, 1,499 bars, none missing after the first).
@Suite struct DataValidationSessionTests {
    static let file = "csv-dialects/nautilus_btc-perp_1m_micros_sample.csv"

    static func hints() throws -> DialectHints {
        var hints = DialectHints()
        hints.zone = try TimeZoneRule(name: "utc")
        hints.ticker = "BTC"
        return hints
    }

    static func findings(_ session: MarketSession) throws -> [String] {
        let report = try DataValidation.validate(paths: [SharedData.path(file)], hints: hints(), policy: ValidationPolicy(),
                                                 calendar: ExchangeCalendar(session: session))
        #expect(report.barsSeen == 1_499)
        return report.findings.map { "\($0.kind.rawValue): \($0.detail)" }
    }

    @Test("24x7: no out-of-hours bars on the weekend; only Friday's minutes before the file begins are missing",
          .enabled(if: SharedData.available, SharedData.skipReason))
    func roundTheClock() throws {
        // Friday's UTC day has 59 bars (23:01–23:59) of 1 440 minutes; Saturday has all 1 440.
        #expect(try Self.findings(.always) == ["missing_minutes: 1381 of 1440 regular-session minutes have no bar on 2021-12-31"])
    }

    @Test("nyse: every bar is out of hours, per New York date; 24x5: after Friday's 17:00 close, per FX day",
          .enabled(if: SharedData.available, SharedData.skipReason))
    func closedSessions() throws {
        // New York midnight is 05:00 UTC: 23:01–04:59 (59 + 300 bars) on Friday, 05:00–23:59 (1 140) on Saturday.
        #expect(try Self.findings(.nyse) == ["out_of_hours: 359 bars outside the regular session on 2021-12-31",
                                             "out_of_hours: 1140 bars outside the regular session on 2022-01-01"])
        // FX days roll at 17:00 New York (22:00 UTC): 23:01 Friday to 21:59 Saturday (59 + 1 320) is Saturday's
        // day, 22:00–23:59 (120) Sunday's; neither trades.
        #expect(try Self.findings(.fx) == ["out_of_hours: 1379 bars outside the regular session on 2022-01-01",
                                           "out_of_hours: 120 bars outside the regular session on 2022-01-02"])
    }

    @Test("inspect counts the bars outside the session's hours", .enabled(if: SharedData.available, SharedData.skipReason))
    func inspect() throws {
        for (session, outside) in [(MarketSession.nyse, 1_499), (.fx, 1_499), (.always, 0)] {
            let (sources, _, failures) = try DataInspector.inspect(paths: [SharedData.path(Self.file)], hints: Self.hints(),
                                                                   calendar: ExchangeCalendar(session: session))
            #expect(failures.isEmpty)
            #expect(sources.first?.tickers["BTC"].map { [$0.bars, $0.outsideSession] } == [1_499, outside], "\(session)")
        }
    }

    @Test("a session is named as in a scenario, any case; other names are not sessions", arguments: [
        ("nyse", MarketSession.nyse), ("24x5", .fx), ("24X7", .always), ("NYSE", .nyse),
    ])
    func names(name: String, session: MarketSession) {
        #expect(MarketSession(name: name) == session)
        #expect(MarketSession(name: "24x6") == nil && MarketSession(name: "") == nil)
    }
}
