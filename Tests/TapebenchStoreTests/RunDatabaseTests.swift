import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchStore

@Suite struct RunDatabaseTests {
    static let scenarioPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/scenarios/default.yaml"

    /// The default scenario replayed in memory, its lane's events written through a `LaneStore` (as a run
    /// folder's lane does while it replays) and assembled into run.sqlite.
    static func assembled() throws -> (RunResult, String) {
        let result = try ScenarioRunner.run(try Scenario.load(path: Self.scenarioPath))
        let folder = TestScratch.root + "tapebench-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var lanes: [RunDatabase.StoredLane] = []
        for (index, lane) in result.lanes.enumerated() {
            let store = try LaneStore(path: folder + "/lane-\(index).sqlite", account: Int64(index + 1))
            for order in lane.orders { try store.order(order) }
            for trade in lane.trades { try store.trade(trade) }
            for snapshot in lane.snapshots { try store.snapshot(snapshot) }
            for event in lane.riskEvents { try store.riskEvent(event) }
            try store.finish()
            lanes.append(RunDatabase.StoredLane(outcome: lane.outcome, store: store.path, lastSnapshot: lane.snapshots.last?.time))
        }
        let path = folder + "/run.sqlite"
        try RunDatabase.assemble(scenario: result.scenario, toolVersion: result.toolVersion, fillModels: result.fillModels,
                                 statistics: result.statistics, lanes: lanes, to: path)
        return (result, path)
    }

    @Test("the run database holds the reference tables and the run, a row per order, trade, snapshot and risk event")
    func tables() throws {
        let (result, path) = try Self.assembled()
        let db = try DatabaseQueue(path: path)
        try db.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name")
            #expect(tables == ["agent_status", "paper_account_snapshots", "paper_accounts", "paper_orders", "paper_positions", "paper_trades",
                               "risk_events", "runs", "signals"])
            #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 4)
            let run = try #require(try Row.fetchOne(db, sql: "SELECT * FROM runs"))
            #expect(run["scenario_name"] as String == "default")
            #expect(run["scenario_sha256"] as String == result.scenario.contentHash)
            #expect(run["fill_model"] as String == "seed")
            #expect(run["tool_version"] as String == TapebenchVersion.current)
            let agentRun = result.lanes[0]
            #expect(agentRun.trades.count > 100)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_trades") == agentRun.trades.count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_orders") == agentRun.orders.count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_orders WHERE status = 'rejected'")
                    == agentRun.orders.filter { $0.status == .rejected }.count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_account_snapshots") == agentRun.snapshots.count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM risk_events") == agentRun.riskEvents.count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_positions") == agentRun.account.positions.count)
            let cash = try Double.fetchOne(db, sql: "SELECT current_cash FROM paper_accounts")
            #expect(cash == agentRun.account.cash.doubleValue)
            // Orders in id order, each with its lane's number in its row id.
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM paper_orders ORDER BY rowid")
            #expect(ids == agentRun.orders.map { 1_000_000_000 + $0.id })
            // Every trade row points at a filled order of the same account.
            #expect(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM paper_trades t LEFT JOIN paper_orders o ON o.id = t.order_id
                WHERE o.id IS NULL OR o.status != 'filled' OR o.account_id != t.account_id
                """) == 0)
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            #expect(indexes == [])
            // Account 1's rows are its range of ids, whatever table.
            for table in ["paper_orders", "paper_trades", "signals", "paper_account_snapshots"] {
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(RunSchema.accountRows(1))")
                        == Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)"), "\(table)")
            }
        }
    }

    @Test("a lane store commits in transactions of many rows: more rows than one transaction holds all arrive")
    func largeTransactions() throws {
        let path = TestScratch.root + "tapebench-lane-\(UUID().uuidString).sqlite"
        let store = try LaneStore(path: path, account: 3)
        let rows = LaneStore.rowsPerTransaction + 7
        for i in 0..<rows {
            try store.riskEvent(RiskEvent(time: Timestamp(nanoseconds: Int64(i) * 60_000_000_000), kind: "daily_loss_limit", detail: "row \(i)"))
        }
        try store.finish()
        let db = try DatabaseQueue(path: path)
        try db.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM risk_events") == rows)
            #expect(try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM risk_events") == 3_000_000_000 + Int64(rows))
            #expect(try String.fetchOne(db, sql: "SELECT detail FROM risk_events WHERE id = 3000000001") == "row 0")
        }
    }

    @Test("a lane store refuses a file that exists: a scratch database is always new")
    func refusesExisting() throws {
        let path = TestScratch.root + "tapebench-lane-\(UUID().uuidString).sqlite"
        try Data("mine".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FileSystemError.self) { try LaneStore(path: path, account: 1) }
        #expect(FileManager.default.contents(atPath: path) == Data("mine".utf8))
    }
}

@Suite("attack: a damaged run database is found")
struct RunDatabaseVerifyTests {
    func file(_ bytes: [UInt8]) throws -> String {
        let path = TestScratch.root + "tapebench-verify-\(UUID().uuidString).sqlite"
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
        let (_, path) = try RunDatabaseTests.assembled()
        try RunDatabase.verify(path: path)
    }
}
