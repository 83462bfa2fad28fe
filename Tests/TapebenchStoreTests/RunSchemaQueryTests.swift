import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchStore

/// Every query Tapebench runs on a run's database (run.sqlite, or paper mode's, which has the same schema)
/// that picks an account's rows, through `EXPLAIN QUERY PLAN` on the schema's tables: each reads only the
/// account's range of ids (`RunSchema.accountRows`) from the table's own b-tree, never the whole table, and
/// no index is kept for them (version 4). The queries are built as their sources build them (named beside
/// each); the two that read an account's snapshots and positions scan their tables, as they always did (a
/// row per day and per open position).
@Suite struct RunSchemaQueryTests {
    /// A new database with run.sqlite's tables, and rows of three accounts, numbered as lanes number them,
    /// in each table the queries read (the plans do not depend on them; the answers do).
    static func database() throws -> DatabaseQueue {
        let path = TestScratch.root + "tapebench-schema-\(UUID().uuidString).sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: RunSchema.tables)
            try db.execute(sql: """
                INSERT INTO runs (id, scenario_name, scenario_file, scenario_sha256, fill_model, tool_version, seed, tickers, bars_replayed)
                VALUES (1, 's', 's.yaml', '', 'seed', '0', 7, 'AAPL', 0)
                """)
            for account in Int64(1)...3 {
                try db.execute(sql: """
                    INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, current_cash, equity,
                        buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio, max_drawdown)
                    VALUES (?, 1, 'a', 'vwap_mean_reversion', 'seed', 'active', 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)
                    """, arguments: [account])
                // Account n has n rows of each table, the first and the last its range allows among them.
                for n in 1...account {
                    let id = RunSchema.rowID(account: account, number: n == account && n > 1 ? RunSchema.rowsPerAccount - 1 : n)!
                    try db.execute(sql: """
                        INSERT INTO signals (id, account_id, agent_id, ticker, side, price, reason, acted_on, generated_at)
                        VALUES (?, ?, 'a', 'AAPL', 'buy', 1, 'r', 1, '2024-03-04T14:31:00Z')
                        """, arguments: [id, account])
                    try db.execute(sql: """
                        INSERT INTO paper_orders (id, account_id, ticker, side, order_type, quantity, filled_quantity, status, commission, slippage,
                            purpose, submitted_at) VALUES (?, ?, 'AAPL', 'buy', 'market', 1, 1, 'filled', 0, 0, 'signal_entry', '2024-03-04T14:31:00Z')
                        """, arguments: [id, account])
                    try db.execute(sql: """
                        INSERT INTO paper_trades (id, account_id, order_id, ticker, side, quantity, price, reference_price, commission, slippage,
                            realized_pnl, fill_rule, cash_after, position_after, executed_at)
                        VALUES (?, ?, ?, 'AAPL', 'sell', 1, 1, 1, 0, 0, 1.5, 'market_next_open', 1, 0, '2024-03-04T14:32:00Z')
                        """, arguments: [id, account, id])
                }
            }
        }
        return queue
    }

    /// The plan's lines (`detail`), as SQLite words them.
    static func plan(_ sql: String, in queue: DatabaseQueue) throws -> [String] {
        try queue.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ones(sql)).map { $0["detail"] as String } }
    }

    /// 1 for each of the statement's parameters (a page's limit and offset).
    static func ones(_ sql: String) -> StatementArguments { StatementArguments(Array(repeating: 1, count: sql.filter { $0 == "?" }.count)) }

    /// The queries for account 2, by source, with the table each must search by id, and the rows it counts
    /// there (nil: the query does not count).
    static let queries: [(source: String, sql: String, table: String, count: Int?)] = [
        ("PaperQueries.page (orders: total)", "SELECT COUNT(*) FROM paper_orders WHERE \(RunSchema.accountRows(2))", "paper_orders", 2),
        ("PaperQueries.page (orders: a page)", "SELECT * FROM paper_orders WHERE \(RunSchema.accountRows(2)) ORDER BY id DESC LIMIT ? OFFSET ?",
         "paper_orders", nil),
        ("PaperQueries.page (trades: total)", "SELECT COUNT(*) FROM paper_trades WHERE \(RunSchema.accountRows(2))", "paper_trades", 2),
        ("PaperQueries.page (trades: a page)", "SELECT * FROM paper_trades WHERE \(RunSchema.accountRows(2)) ORDER BY id DESC LIMIT ? OFFSET ?",
         "paper_trades", nil),
        ("PaperQueries.performance (closing trades)", """
            SELECT COUNT(*) AS closing, COALESCE(SUM(realized_pnl > 0), 0) AS winning FROM paper_trades
            WHERE \(RunSchema.accountRows(2)) AND realized_pnl IS NOT NULL
            """, "paper_trades", 2),
        ("GraduationRecords.records (trades)", "SELECT COUNT(*) FROM (SELECT executed_at, realized_pnl FROM paper_trades WHERE \(RunSchema.accountRows(2)) AND realized_pnl IS NOT NULL)",
         "paper_trades", 2),
        ("GraduationRecords.records (signals)", "SELECT COUNT(*) FROM (SELECT generated_at FROM signals WHERE \(RunSchema.accountRows(2)))", "signals", 2),
        ("PaperDatabase.storedAccounts", """
            SELECT (SELECT COUNT(*) FROM paper_trades t WHERE \(RunSchema.accountRows(of: "a.id", alias: "t"))) FROM paper_accounts a WHERE a.id = 2
            """, "t", 2),
    ]

    @Test("version 4: run.sqlite keeps no index of its own; an account's rows are one range of ids")
    func noIndexes() throws {
        let queue = try Self.database()
        let indexes = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        }
        #expect(indexes == [])
        #expect(RunSchema.version == 4)
        #expect(RunSchema.accountRows(2) == "id BETWEEN 2000000001 AND 2999999999 AND account_id = 2")
    }

    @Test("an account's row ids: account × 10⁹ + n for n in 1..<10⁹; none outside, none past Int64")
    func rowIDs() {
        #expect(RunSchema.rowID(account: 3, number: 1) == 3_000_000_001)
        #expect(RunSchema.rowID(account: 3, number: 999_999_999) == 3_999_999_999)
        #expect(RunSchema.rowID(account: 3, number: 1_000_000_000) == nil)
        #expect(RunSchema.rowID(account: 3, number: 0) == nil)
        #expect(RunSchema.rowID(account: -1, number: 1) == nil)
        #expect(RunSchema.rowID(account: Int64.max / 1_000_000_000 - 1, number: 999_999_999) != nil)
        #expect(RunSchema.rowID(account: Int64.max / 1_000_000_000, number: 999_999_999) == nil)
        #expect(RunSchema.rowID(account: .max, number: 1) == nil)
        // An account whose range is past Int64 is still picked, by its column alone.
        #expect(RunSchema.accountRows(.max) == "account_id = \(Int64.max)")
    }

    @Test("each query Tapebench runs for an account's rows searches the table's ids, and counts only that account's rows",
          arguments: 0..<queries.count)
    func searchesTheIDRange(query: Int) throws {
        let (source, sql, table, count) = Self.queries[query]
        let queue = try Self.database()
        let plan = try Self.plan(sql, in: queue)
        #expect(plan.contains { $0.hasPrefix("SEARCH \(table) USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)") }, "\(source): \(plan)")
        // Nothing read whole but the accounts the last query lists.
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(source): \(plan)")
        // Each runs, and finds the account's rows: its first and its last possible id, none of the others'.
        let rows = try queue.read { db in try Row.fetchAll(db, sql: sql, arguments: Self.ones(sql)) }
        if let count { #expect(rows.first?[0] as Int? == count, "\(source)") }
    }

    @Test("an account's page of orders, newest first, needs no sort: the table holds them in id order")
    func ordersPageUnsorted() throws {
        let sql = "SELECT id FROM paper_orders WHERE \(RunSchema.accountRows(3)) ORDER BY id DESC LIMIT 2 OFFSET 0"
        let queue = try Self.database()
        let plan = try Self.plan(sql, in: queue)
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        #expect(try queue.read { db in try Int64.fetchAll(db, sql: sql) } == [3_999_999_999, 3_000_000_002])
    }

    @Test("the variant comparison's join searches the other lane's index of filled orders")
    func comparisonJoin() throws {
        let lane = TestScratch.root + "tapebench-compared-\(UUID().uuidString).sqlite"
        let store = try LaneStore(path: lane, account: 1)
        try store.finish()
        let queue = try DatabaseQueue(path: lane)
        let plan = try Self.plan("""
            SELECT COUNT(*) FROM (SELECT DISTINCT ticker, side, submitted_at FROM main.paper_orders WHERE status = 'filled') k
            WHERE NOT EXISTS (SELECT 1 FROM main.paper_orders o WHERE o.status = 'filled' AND o.ticker = k.ticker
                              AND o.side = k.side AND o.submitted_at = k.submitted_at)
            """, in: queue)
        #expect(plan.contains { $0.contains("INDEX filled_orders (ticker=? AND side=? AND submitted_at=?)") }, "\(plan)")
    }
}
