import Foundation
import Testing
import TapebenchCore
import TapebenchData
import TapebenchEngine

/// Sessions beyond New York, replayed end to end on the real FX and crypto samples in ../shared/data
/// (backtesting.py's hourly EURUSD, UTC, Wednesday 2017-04-19 to Thursday 2017-05-18; nautilus' BTC perpetual
/// minute bars, UTC, Friday 2021-12-31 23:01 to Saturday 2022-01-01 23:59), and naive times in a named zone.
@Suite struct MarketSessionScenarioTests {
    static let shared = URL(fileURLWithPath: Repository.root).deletingLastPathComponent().appendingPathComponent("shared/data").path
    static let sharedAvailable = FileManager.default.fileExists(atPath: shared + "/SOURCES.md")

    /// A scenario over one CSV file, replayed; `session` nil leaves the key out (NYSE).
    func replay(_ file: String, ticker: String, session: String?, timezone: String = "utc", in folder: String? = nil) throws -> RunResult {
        let folder = try folder ?? temporaryFolder()
        let yaml = """
            name: session
            data:
              paths: [\(file)]
              tickers: [\(ticker)]
            \(session.map { "  session: '\($0)'\n" } ?? "")  dialect: {timezone: \(timezone), ticker: \(ticker)}
            agents:
              - {id: vwap, kind: vwap_mean_reversion}
            fill_model: seed
            """
        try yaml.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        return try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml"), parallel: false)
    }

    @Test("24x5 keeps every one of the 500 hourly EURUSD bars; NYSE hours keep only those inside 09:30–16:00",
          .enabled(if: sharedAvailable, "needs ../shared/data"))
    func eurusd() throws {
        let file = Self.shared + "/csv-dialects/backtestingpy_EURUSD_h1_unnamed-index_sample.csv"
        let fx = try replay(file, ticker: "EURUSD", session: "24x5")
        #expect(fx.statistics.barsReplayed == 500)
        #expect(fx.statistics.barsOutsideRegularHours == 0)
        // Weekdays from Wednesday 04-19 to Thursday 05-18: 3 + 5 + 5 + 5 + 4; each Sunday's 21:00–23:00 UTC bars
        // (17:00–19:00 New York) open Monday's day.
        #expect(fx.statistics.tradingDays == 22)
        let snapshots = fx.lanes[0].snapshots
        #expect(snapshots.count == 22)
        #expect(snapshots.allSatisfy { (1...5).contains($0.date.weekday) })
        // Each day's snapshot is stamped at its close, 17:00 New York (21:00 UTC in daylight time).
        #expect(snapshots.first.map { "\($0.date) \($0.time.iso8601)" } == "2017-04-19 2017-04-19T21:00:00Z")
        #expect(snapshots.map(\.date.description).contains("2017-04-24"))

        // Under NYSE hours (13:30–20:00 UTC in daylight time) only the bars starting 14:00–19:00 UTC count: 6 on
        // each of 21 weekdays (the 22nd, 05-18, ends at 04:00 UTC). The other 374 are the ones the issue saw skipped.
        let nyse = try replay(file, ticker: "EURUSD", session: nil)
        #expect(nyse.statistics.barsReplayed + nyse.statistics.barsOutsideRegularHours == 500)
        #expect(nyse.statistics.barsReplayed == 21 * 6)
        #expect(nyse.statistics.barsOutsideRegularHours == 374)
    }

    @Test("24x7 replays a crypto weekend: every BTC minute of Friday night and Saturday, two UTC days",
          .enabled(if: sharedAvailable, "needs ../shared/data"))
    func bitcoinWeekend() throws {
        let file = Self.shared + "/csv-dialects/nautilus_btc-perp_1m_micros_sample.csv"
        let always = try replay(file, ticker: "BTC", session: "24x7")
        #expect(always.statistics.barsReplayed == 1_499)
        #expect(always.statistics.barsOutsideRegularHours == 0)
        #expect(always.statistics.tradingDays == 2)
        #expect(always.lanes[0].snapshots.map { "\($0.date) \($0.time.iso8601)" }
            == ["2021-12-31 2022-01-01T00:00:00Z", "2022-01-01 2022-01-02T00:00:00Z"])
        // Friday 18:01 New York to Saturday 18:59: after FX's Friday close, and no NYSE session.
        for session in ["24x5", "nyse"] {
            let closed = try replay(file, ticker: "BTC", session: session)
            #expect(closed.statistics.barsReplayed == 0, "\(session)")
            #expect(closed.statistics.barsOutsideRegularHours == 1_499, "\(session)")
        }
    }

    @Test("naive times in Europe/London: GMT before 2024-03-31, BST after; a time the clocks skipped names its line")
    func londonTimes() throws {
        let folder = try temporaryFolder()
        let rows = [
            "time,open,high,low,close,volume",
            "2024-03-28 14:30:00,10,10,10,10,100",   // GMT: 14:30 UTC, 10:30 New York
            "2024-04-02 14:30:00,10,10,10,10,100",   // BST: 13:30 UTC, 09:30 New York
        ]
        try (rows.joined(separator: "\n") + "\n").write(toFile: folder + "/GBP.csv", atomically: true, encoding: .utf8)
        let result = try replay(folder + "/GBP.csv", ticker: "GBP", session: nil, timezone: "Europe/London")
        #expect(result.statistics.firstBarStart?.iso8601 == "2024-03-28T14:30:00Z")
        #expect(result.statistics.lastBarStart?.iso8601 == "2024-04-02T13:30:00Z")
        #expect(result.statistics.barsReplayed == 2)

        try (rows.joined(separator: "\n") + "\n2024-03-31 01:30:00,10,10,10,10,100\n").write(toFile: folder + "/GBP.csv", atomically: true, encoding: .utf8)
        #expect(throws: InputError(file: folder + "/GBP.csv", line: 4, field: "time",
                                   message: "'2024-03-31 01:30:00' does not exist in Europe/London (the clocks went forward from UTC+00:00 to UTC+01:00); write such times in UTC or with their offset")) {
            try replay(folder + "/GBP.csv", ticker: "GBP", session: nil, timezone: "Europe/London")
        }
    }

    @Test("an unknown zone or session is one line naming the field")
    func unknownNames() throws {
        let folder = try temporaryFolder()
        try "time,open,high,low,close\n".write(toFile: folder + "/X.csv", atomically: true, encoding: .utf8)
        let zone = #expect(throws: InputError.self) { try replay(folder + "/X.csv", ticker: "X", session: nil, timezone: "Europe/Lundon", in: folder) }
        #expect(zone?.description == "\(folder)/s.yaml:5: field 'data.dialect.timezone': unknown time zone 'Europe/Lundon': no such zone in /usr/share/zoneinfo (IANA names like Europe/London, America/Chicago, UTC); or exchange (America/New_York) or utc")
        let session = #expect(throws: InputError.self) { try replay(folder + "/X.csv", ticker: "X", session: "24x6", in: folder) }
        #expect(session?.description == "\(folder)/s.yaml:5: field 'data.session': expected nyse, 24x5 (FX: Sunday 17:00 to Friday 17:00 New York) or 24x7 (every minute, UTC days), got '24x6'")
    }
}
