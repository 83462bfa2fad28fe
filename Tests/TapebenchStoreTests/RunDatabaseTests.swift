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
            let agentRun = result.lanes[0]
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

@Suite("attack: a damaged run database is found")
struct RunDatabaseVerifyTests {
    func file(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "tapebench-verify-\(UUID().uuidString).sqlite"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("garbage, an empty file and another program's database are errors naming the file")
    func damaged() throws {
        let garbage = try file(Array(repeating: 0x41, count: 8_192))
        #expect(throws: InputError(file: garbage, message: "not a valid SQLite database (truncated, damaged, or another kind of file)")) {
            try RunDatabase.verify(path: garbage)
        }
        let empty = try file([])
        #expect(throws: InputError(file: empty, message: "not a Tapebench run database (no runs table)")) { try RunDatabase.verify(path: empty) }
        let other = try file([])
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE notes (text TEXT)") }
        #expect(throws: InputError(file: other, message: "not a Tapebench run database (no runs table)")) { try RunDatabase.verify(path: other) }
    }

    @Test("a database Tapebench wrote passes")
    func whole() throws {
        let result = try ScenarioRunner.run(try Scenario.load(path: RunDatabaseTests.scenarioPath))
        let path = NSTemporaryDirectory() + "tapebench-verify-\(UUID().uuidString).sqlite"
        try RunDatabase.write(result, to: path)
        try RunDatabase.verify(path: path)
    }
}
