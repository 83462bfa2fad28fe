import Foundation
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchStore

@Suite struct RunDatabaseTests {
    static let scenarioPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/scenarios/default.yaml"

    @Test("the run database holds the reference tables and the run")
    func tables() throws {
        let result = try ScenarioRunner.run(try Scenario.load(path: Self.scenarioPath))
        let path = NSTemporaryDirectory() + "tapebench-store-\(UUID().uuidString).sqlite"
        try RunDatabase.write(result, to: path)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        let db = try DatabaseQueue(path: path)
        try db.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name")
            #expect(tables == ["agent_status", "paper_account_snapshots", "paper_accounts", "paper_orders", "paper_positions", "paper_trades", "runs"])
            let run = try #require(try Row.fetchOne(db, sql: "SELECT * FROM runs"))
            #expect(run["scenario_name"] as String == "default")
            #expect(run["scenario_sha256"] as String == result.scenario.contentHash)
            #expect(run["fill_model"] as String == "seed")
            #expect(run["tool_version"] as String == TapebenchVersion.current)
            let agentRun = result.runs[0]
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_trades") == agentRun.trades.count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_orders") == agentRun.orders.count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_account_snapshots") == agentRun.snapshots.count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_positions") == agentRun.account.positions.count)
            let cash = try Double.fetchOne(db, sql: "SELECT cash FROM paper_accounts")
            #expect(cash == agentRun.account.cash.doubleValue)
            // Every trade row points at a filled order of the same account.
            #expect(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM paper_trades t LEFT JOIN paper_orders o ON o.id = t.order_id
                WHERE o.id IS NULL OR o.status != 'filled' OR o.account_id != t.account_id
                """) == 0)
        }
    }
}
