import Foundation
import TapebenchTestSupport
import Testing
import TapebenchCore
import TapebenchEngine
@testable import TapebenchReports

/// report.html under the scenario's session, not NYSE's: the buy-and-hold line's points and the page's
/// dates. Replays nautilus' BTC perpetual minute bars in ../shared/data (UTC, Friday 2021-12-31 23:01 to
/// Saturday 2022-01-01 23:59, 1,499 bars).
@Suite struct HTMLReportSessionTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path
    static let sharedAvailable = FileManager.default.fileExists(atPath: shared + "/SOURCES.md")

    static let bitcoinFile = "csv-dialects/nautilus_btc-perp_1m_micros_sample.csv"
    /// backtesting.py's hourly EURUSD, UTC, Wednesday 2017-04-19 to Thursday 2017-05-18.
    static let euroFile = "csv-dialects/backtestingpy_EURUSD_h1_unnamed-index_sample.csv"

    /// A shared sample under `session`, streamed to a run folder, with the page's extras filled from its digest.
    static func replay(_ file: String, ticker: String, session: String) throws -> (RunDigest, HTMLReportExtras) {
        let folder = TestScratch.root + "tapebench-html-session-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
            name: btc
            data:
              paths: [\(shared)/\(file)]
              tickers: [\(ticker)]
              session: '\(session)'
              dialect: {timezone: utc, ticker: \(ticker)}
            agents:
              - {id: vwap, kind: vwap_mean_reversion}
            fill_model: seed
            """.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let digest = try RunFolder(path: folder + "/out").run(try Scenario.load(path: folder + "/s.yaml"))
        return (digest, HTMLReportExtras().filled(from: digest))
    }

    @Test("24x7: buy and hold starts at Friday's UTC midnight and has a point at the end of Saturday",
          .enabled(if: sharedAvailable, "needs ../shared/data"))
    func bitcoinWeekend() throws {
        let (digest, extras) = try Self.replay(Self.bitcoinFile, ticker: "BTC", session: "24x7")
        let points = try #require(extras.buyAndHold?.points)
        // The initial balance at the first day's open (00:00 UTC), then each day's last minute: Friday 23:59 and
        // Saturday 23:59 UTC. Under NYSE's sessions the Saturday had no point and Friday ran 14:30–20:59 UTC.
        #expect(points.map(\.time.iso8601) == ["2021-12-31T00:00:00Z", "2021-12-31T23:59:00Z", "2022-01-01T23:59:00Z"])
        #expect(points.contains { digest.scenario.calendar.day(of: $0.time).date.weekday == 6 })
        #expect(points.first?.equity == 100_000)
        // The page draws it: three points on the equity chart, dated by UTC day (Dec 31, Jan 1).
        let html = HTMLReport.render(digest, extras: extras)
        #expect(html.contains("data-name=\"buy &amp; hold (equal parts)\" data-points=\"3\""))
        #expect(html.contains(">Dec 31</text>") && html.contains(">Jan 1</text>"))
        #expect(html.contains("· 2021-12-31 to 2022-01-01 ·"))
    }

    @Test("24x5: the line opens at 17:00 New York the evening before the first day, and each weekday's point is at 16:59",
          .enabled(if: sharedAvailable, "needs ../shared/data"))
    func foreignExchange() throws {
        let (digest, extras) = try Self.replay(Self.euroFile, ticker: "EURUSD", session: "24x5")
        let points = try #require(extras.buyAndHold?.points)
        // Wednesday 2017-04-19's day opens Tuesday 17:00 EDT (21:00 UTC) and ends Wednesday 16:59; 22 weekdays
        // (as the session tests count them) plus the opening point. Under NYSE's sessions: 13:30 and 19:59 UTC.
        #expect(points.count == 23)
        #expect(points.prefix(2).map(\.time.iso8601) == ["2017-04-18T21:00:00Z", "2017-04-19T20:59:00Z"])
        // The Monday after the first weekend: its day opened on Sunday evening, and ends Monday 16:59 EDT.
        #expect(points.map(\.time.iso8601).contains("2017-04-24T20:59:00Z"))
        #expect(points.dropFirst().allSatisfy { (1...5).contains(digest.scenario.calendar.day(of: $0.time).date.weekday) })
    }

    @Test("nyse: points at the 09:30 open and each day's 15:59, as before")
    func nyse() throws {
        let digest = try RunFolderTests.streamed().0
        let points = try #require(HTMLReportExtras().filled(from: digest).buyAndHold?.points)
        // One day, Monday 2024-03-11 (EDT): 13:30 and 19:59 UTC.
        #expect(points.map(\.time.iso8601) == ["2024-03-11T13:30:00Z", "2024-03-11T19:59:00Z"])
    }
}
