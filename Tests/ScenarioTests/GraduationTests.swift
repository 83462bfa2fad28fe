import Foundation
import GRDB
import Testing
import TapebenchEngine
import TapebenchTestSupport

@Suite struct GraduationTests {
    /// The default scenario with paper thresholds the seed result meets and conservative fills do not.
    func scenario(in folder: String, extra: String = "") throws -> String {
        let text = try String(contentsOfFile: Repository.defaultScenario, encoding: .utf8)
            .replacingOccurrences(of: "../datasets/default", with: Repository.root + "/datasets/default")
            + """
            graduation:
              iteration: {trading_days: 1}
              paper: {return_pct: 0.5, consistency_win_rate_pct: 50}
            \(extra)
            """
        try text.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        return folder + "/s.yaml"
    }

    @Test("eligible under seed but not conservative: not robust, exit 1, the answer says which criterion breaks")
    func notRobust() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["graduate", try scenario(in: folder), "--to", "paper", "--out", "out"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("vwap-mr → paper: not robust: eligible under seed only; conservative breaks sharpe -0.9 < 2.0; return -0.32% < 0.5%"), "\(result.stdout)")
        #expect(result.stdout.contains("too good to be true? return collapses from 1.0% under seed to -0.32% under conservative fills"))
        let json = try String(contentsOfFile: folder + "/out/graduation.json", encoding: .utf8)
        #expect(json.contains("\"eligible\": true"))
        #expect(json.contains("\"robust\": false"))
        #expect(json.contains("\"variant\": \"seed-delayed\""))
        let db = try DatabaseQueue(path: folder + "/out/run.sqlite")
        try db.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT status, forced FROM agent_status WHERE agent_id = 'vwap-mr'"))
            #expect(row["status"] as String == "learning")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_accounts WHERE variant = 'paper'") == 0)
        }
    }

    @Test("--force graduates anyway, records it, and opens a fresh paper account")
    func forced() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["graduate", try scenario(in: folder), "--to", "paper", "--force", "--out", "out"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("graduates (forced)"))
        let db = try DatabaseQueue(path: folder + "/out/run.sqlite")
        try db.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT status, forced FROM agent_status WHERE agent_id = 'vwap-mr'"))
            #expect(row["status"] as String == "paper_trading")
            #expect(row["forced"] as Bool == true)
            let account = try #require(try Row.fetchOne(db, sql: "SELECT current_cash, equity, status FROM paper_accounts WHERE variant = 'paper'"))
            #expect(account["current_cash"] as Double == 100_000)
            #expect(account["status"] as String == "active")
        }
    }

    @Test("robust when conservative fills meet the thresholds too")
    func robust() throws {
        let folder = try temporaryFolder()
        let path = try scenario(in: folder)
        let relaxed = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "paper: {return_pct: 0.5, consistency_win_rate_pct: 50}",
                                  with: "paper: {return_pct: -1, sharpe: -1, consistency_win_rate_pct: 40}")
        try relaxed.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runTapebench(["graduate", path, "--to", "paper", "--out", "out"], in: folder)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("graduates (robust): eligible under seed and conservative fills"))
    }

    @Test("iterations of one trading day, calendar weeks and months")
    func iterations() throws {
        let result = try ScenarioRunner.run(try Scenario.load(path: Repository.defaultScenario))
        let run = result.lanes[0].outcome
        let days = GraduationJudge.iterations(run, length: .tradingDays(1))
        #expect(days.count == 21)
        #expect(days[0].from.description == "2024-03-04" && days[0].to.description == "2024-03-04")
        let weeks = GraduationJudge.iterations(run, length: .weeks)
        #expect(weeks.map { "\($0.from)…\($0.to)" } == ["2024-03-04…2024-03-08", "2024-03-11…2024-03-15", "2024-03-18…2024-03-22",
                                                       "2024-03-25…2024-03-28", "2024-04-01…2024-04-02"])
        #expect(GraduationJudge.iterations(run, length: .months).count == 2)
        // The iterations add up to the whole run.
        #expect(weeks.reduce(0) { $0 + $1.closingTrades } == run.account.closingTrades)
        #expect(weeks.reduce(0) { $0 + $1.signals } == run.counts.signalsGenerated)
        let compounded = weeks.reduce(1.0) { $0 * (1 + $1.returnFraction) } - 1
        #expect(abs(compounded - run.summary.returnFraction) < 1e-9)
    }
}
