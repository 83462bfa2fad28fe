import Foundation
import GRDB
import Testing
import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchLive
import TapebenchPaper
import TapebenchTestSupport

@Suite("paper mode on the Polygon source, against the loopback mock on a fast clock")
struct PolygonPaperTests {
    static let key = "TbK3y-5ecret-9f2a7c"
    static let rest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/real/rest").path
    /// 2013-10-07 09:30 New York.
    static let open = Timestamp(milliseconds: 1_381_152_600_000)

    func folder() throws -> String {
        let path = TestScratch.root + "tapebench-paper-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a session polled live (a 429 and a DELAYED on the way) commits the same orders and fills as the replay of the same day")
    func liveEqualsReplay() throws {
        if let reason = MockPolygonServer.unavailableReason { try Test.cancel(Comment(rawValue: reason)) }
        let folder = try folder()
        let mock = try MockPolygonServer(plan: #"{"faults": {"SPY": [null, {"status": 429, "retry_after": 2}]}, "delayed": ["BAC"]}"#, folder: folder)
        defer { mock.stop() }
        let paths = ["SPY", "BAC"].map { "\(Self.rest)/\($0)/\($0)_1_minute_2013-10-07.json" }
        try """
            name: live
            data:
              paths: [\(paths.joined(separator: ", "))]
              tickers: [SPY, BAC]
              from: 2013-10-07
              to: 2013-10-07
            agents:
              - id: vwap-mr
                kind: vwap_mean_reversion
                params: {lookback_bars: 20, entry_deviation_bps: 8, min_session_bars: 10}
            fill_model: seed
            """.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let scenario = try Scenario.load(path: folder + "/s.yaml")

        // Live: the clock starts before the open and jumps at every wait; a poll every 5 minutes.
        let clock = ManualWallClock(start: Self.open.adding(minutes: -20))
        let live = try PaperSession.run(scenario: scenario, sourceName: "polygon", databasePath: folder + "/live.sqlite") { resumeAt in
            let client = try PolygonClient(baseURL: mock.baseURL, key: Self.key, clock: clock, retry: RetryPolicy(seed: 3))
            return PolygonMinuteSource(client: client, tickers: scenario.tickers, clock: clock, until: scenario.to, resumeAt: resumeAt,
                                       interval: 5 * Timestamp.nanosecondsPerMinute)
        }
        guard case .finished(let minutes) = live else { Issue.record("live ended as \(live)"); return }
        #expect(minutes > 390)  // the session's minutes and the pre-market ones seen at the first poll
        // The last poll: at the close + the 5 s lag, when the 15:59 bar can be had; then the day is done.
        #expect(clock.now() == Self.open.adding(minutes: 390).adding(nanoseconds: 5_000_000_000))

        let replay = try PaperSession.run(scenario: scenario, sourceName: "replay", databasePath: folder + "/replay.sqlite") { resumeAt in
            let bars = try Dataset(paths: scenario.dataPaths).bars(scenario.selection, policy: scenario.validation)
            return ReplayMinuteSource(stream: bars, speed: nil, clock: ManualWallClock(start: Self.open), resumeAt: resumeAt)
        }
        #expect(replay == .finished(minutes: try rows(folder + "/replay.sqlite", "SELECT COUNT(DISTINCT minute) FROM paper_bars").first.flatMap(Int.init) ?? -1))

        let tables = ["paper_orders", "paper_trades", "paper_positions", "signals", "paper_account_snapshots"]
        let liveTrades = try rows(folder + "/live.sqlite", "SELECT * FROM paper_trades ORDER BY id")
        #expect(liveTrades.count > 10)
        for table in tables {
            #expect(try rows(folder + "/live.sqlite", "SELECT * FROM \(table) ORDER BY id") == rows(folder + "/replay.sqlite", "SELECT * FROM \(table) ORDER BY id"), "\(table)")
        }
        #expect(try rows(folder + "/live.sqlite", "SELECT state, delayed FROM paper_checkpoint") == ["[state:\"finished\" delayed:1]"])
    }

    func rows(_ path: String, _ sql: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try Row.fetchAll(db, sql: sql).map { $0.count == 1 ? "\($0[0] as DatabaseValue)" : $0.description } }
    }
}
