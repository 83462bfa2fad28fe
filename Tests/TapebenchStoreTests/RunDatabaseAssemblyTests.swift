import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchStore

/// How run.sqlite is put together from the lanes' scratch databases: run.sqlite keeps no index (an account's
/// rows are its range of ids), a compared lane builds the comparison's index of its filled orders, and the
/// lanes can be read by the variant comparison while they are copied.
@Suite struct RunDatabaseAssemblyTests {

    /// Names of the indexes SQL made (not a primary key's automatic one) in the database at `path`.
    func indexes(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        }
    }

    @Test("a finished lane store holds the comparison's index of filled orders, and no other")
    func laneIndexes() throws {
        let path = TestScratch.root + "tapebench-lane-\(UUID().uuidString).sqlite"
        let store = try LaneStore(path: path, account: 2)
        try store.riskEvent(RiskEvent(time: Timestamp(nanoseconds: 0), kind: "daily_loss_limit", detail: "one"))
        try store.referencePnL(ticker: "AAPL", side: .buy, submittedAt: Timestamp(nanoseconds: 0), pnl: 5)
        try store.finish()
        #expect(try indexes(path) == ["filled_orders"])
        #expect(try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM reference_pnl") } == 1)
    }

    @Test("a lane no comparison reads (its agent's only fill model) keeps no reference P&L and builds no index of filled orders")
    func uncomparedLane() throws {
        let path = TestScratch.root + "tapebench-lane-\(UUID().uuidString).sqlite"
        let store = try LaneStore(path: path, account: 2, compared: false)
        #expect(!store.compared)
        try store.riskEvent(RiskEvent(time: Timestamp(nanoseconds: 0), kind: "daily_loss_limit", detail: "one"))
        try store.referencePnL(ticker: "AAPL", side: .buy, submittedAt: Timestamp(nanoseconds: 0), pnl: 5)
        try store.finish()
        #expect(try indexes(path) == [])
        #expect(try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM reference_pnl") } == 0)
        #expect(store.rowCounts["risk_events"] == 1)
    }

    @Test("run.sqlite written in place by a run's only lane is never compared, whatever it is asked")
    func publishedNeverCompared() throws {
        let path = TestScratch.root + "tapebench-run-\(UUID().uuidString).sqlite"
        let store = try LaneStore(path: path, account: 1, published: true, compared: true)
        #expect(!store.compared)
        try store.finish()
        #expect(try indexes(path) == [])
    }

    @Test("run.sqlite assembled from the lanes: whole (integrity_check), each account's rows in its range of ids")
    func copiedRows() throws {
        let (result, path) = try RunDatabaseTests.assembled()
        #expect(try indexes(path) == [])
        try DatabaseQueue(path: path).read { (db: Database) throws in
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            let orders = result.lanes[0].orders.count, trades = result.lanes[0].trades.count
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_orders WHERE \(RunSchema.accountRows(1))") == orders)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_trades WHERE \(RunSchema.accountRows(1))") == trades)
            #expect(orders > 100 && trades > 100)
        }
    }

    @Test("a lane read by another connection (the variant comparison) while it is copied: the copy does not lock it")
    func readWhileCopied() throws {
        let (result, first) = try RunDatabaseTests.assembled()
        let folder = (first as NSString).deletingLastPathComponent
        let lane = folder + "/lane-0.sqlite"
        var configuration = Configuration()
        configuration.readonly = true
        let reader = try DatabaseQueue(path: lane, configuration: configuration)
        let stored = RunDatabase.StoredLane(outcome: result.lanes[0].outcome, store: lane, lastSnapshot: result.lanes[0].snapshots.last?.time)
        let second = folder + "/run-2.sqlite"
        try reader.read { (db: Database) throws in
            // Given a read transaction holding the lane (its shared lock taken by a first read) …
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM paper_orders") == result.lanes[0].orders.count)
            // … when the lane is copied into a new run.sqlite, its commit does not wait for the reader.
            try RunDatabase.copyLanes(scenario: result.scenario, toolVersion: result.toolVersion, fillModels: result.fillModels,
                                      statistics: result.statistics, lanes: [stored], to: second)
        }
        try RunDatabase.verify(path: second)
        #expect(try Data(contentsOf: URL(fileURLWithPath: second)) == Data(contentsOf: URL(fileURLWithPath: first)))
    }

    @Test("lanes asked one by one when their turn comes (the copy that waits for each lane's files): the same bytes")
    func lanesAskedInTurn() throws {
        let (result, first) = try RunDatabaseTests.assembled()
        let folder = (first as NSString).deletingLastPathComponent
        let stored = RunDatabase.StoredLane(outcome: result.lanes[0].outcome, store: folder + "/lane-0.sqlite",
                                            lastSnapshot: result.lanes[0].snapshots.last?.time)
        let second = folder + "/run-3.sqlite"
        var asked: [Int] = []
        try RunDatabase.copyLanes(scenario: result.scenario, toolVersion: result.toolVersion, fillModels: result.fillModels, statistics: result.statistics,
                                  count: 1, lane: { index in
                                      asked.append(index)
                                      return stored
                                  }, to: second)
        #expect(asked == [0])
        #expect(try Data(contentsOf: URL(fileURLWithPath: second)) == Data(contentsOf: URL(fileURLWithPath: first)))
    }
}

/// The read-back before a run folder is published (`verifyWritten`): what it finds, each as one line naming
/// the file.
@Suite("attack: a run.sqlite that did not reach the disk whole is not published")
struct RunDatabaseWrittenTests {
    /// A copy of an assembled run.sqlite, and the rows its lane wrote per table.
    func written() throws -> (path: String, rows: [String: Int]) {
        let (result, path) = try RunDatabaseTests.assembled()
        let lane = result.lanes[0]
        return (path, ["signals": 0, "paper_orders": lane.orders.count, "paper_trades": lane.trades.count,
                       "paper_account_snapshots": lane.snapshots.count, "risk_events": lane.riskEvents.count])
    }

    @Test("the file as written passes")
    func whole() throws {
        let (path, rows) = try written()
        try RunDatabase.verifyWritten(path: path, rows: rows)
    }

    @Test("a row fewer than the lanes wrote is an error naming the table")
    func missingRow() throws {
        let (path, rows) = try written()
        var more = rows
        more["paper_trades", default: 0] += 1
        let found = rows["paper_trades"]!
        #expect(throws: InputError(file: path, message: "the database is damaged: \(found) rows in paper_trades, \(found + 1) written")) {
            try RunDatabase.verifyWritten(path: path, rows: more)
        }
    }

    @Test("a file cut short, or longer than its pages, is an error", arguments: [-4096, -1, 100])
    func length(change: Int) throws {
        let (path, rows) = try written()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let pages = bytes.count / 16_384
        if change < 0 { bytes.removeLast(-change) } else { bytes.append(Data(repeating: 0, count: change)) }
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError(file: path, message: "the database is damaged: \(bytes.count) bytes for \(pages) pages of 16384")) {
            try RunDatabase.verifyWritten(path: path, rows: rows)
        }
    }

    @Test("a garbled leaf of an indexed table is found: its rows are counted in its own b-tree, not through its index")
    func garbledIndexedTable() throws {
        // run.sqlite's tables, then 3,000 signals (their leaves follow the tables' root pages), then an index on
        // them (as version 3 had, or a user may add).
        let path = TestScratch.root + "tapebench-verify-\(UUID().uuidString).sqlite"
        let queue = try DatabaseQueue(path: path)
        var leafPages = 0..<0
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: RunSchema.tables)
            try db.execute(sql: """
                INSERT INTO runs (id, scenario_name, scenario_file, scenario_sha256, fill_model, tool_version, seed, tickers, bars_replayed)
                VALUES (1, 's', 's.yaml', '', 'seed', '0', 7, 'AAPL', 0)
                """)
            try db.execute(sql: """
                INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, current_cash, equity,
                    buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio, max_drawdown)
                VALUES (1, 1, 'a', 'vwap_mean_reversion', 'seed', 'active', 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)
                """)
            let roots = try Int.fetchOne(db, sql: "SELECT MAX(rootpage) FROM sqlite_master") ?? 0
            try db.inTransaction {
                for i in 0..<3_000 {
                    try db.execute(sql: """
                        INSERT INTO signals (account_id, agent_id, ticker, side, price, reason, acted_on, generated_at)
                        VALUES (1, 'a', 'AAPL', 'buy', 1, ?, 1, '2024-03-04T14:31:00Z')
                        """, arguments: ["reason \(i)"])
                }
                return .commit
            }
            leafPages = (roots + 1)..<((try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0) + 1)
            try db.execute(sql: "CREATE INDEX signals_account ON signals(account_id)")
        }
        try queue.close()
        try RunDatabase.verifyWritten(path: path, rows: ["signals": 3_000])
        // Given a leaf of the signals table (not of its index) overwritten with garbage …
        #expect(leafPages.count > 2)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let page = leafPages.upperBound - 1
        bytes.replaceSubrange(((page - 1) * 16_384)..<(page * 16_384), with: Data(repeating: 0x5A, count: 16_384))
        try bytes.write(to: URL(fileURLWithPath: path))
        // … the read-back finds it.
        #expect(throws: InputError.self) { try RunDatabase.verifyWritten(path: path, rows: ["signals": 3_000]) }
    }

    @Test("a page of a table overwritten with garbage is found by the walk to every leaf")
    func garbledPage() throws {
        let (path, rows) = try written()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // The last page holds the end of the last b-tree written: the lanes' rows.
        let last = bytes.count - 16_384
        bytes.replaceSubrange(last..<bytes.count, with: Data(repeating: 0x5A, count: 16_384))
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError.self) { try RunDatabase.verifyWritten(path: path, rows: rows) }
    }
}
