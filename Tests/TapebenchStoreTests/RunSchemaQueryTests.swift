import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchStore

/// Every query Tapebench runs on a run's database (run.sqlite, or paper mode's, which has the same schema)
/// that picks an account's rows, through `EXPLAIN QUERY PLAN` on the schema's tables and indexes: each is
/// answered through an index, never by reading the whole table. The queries are copied as their sources
/// have them (named above each); the two that read an account's snapshots and positions scan their tables,
/// as they did before version 3 (a row per day and per open position: no index was ever built for them).
@Suite struct RunSchemaQueryTests {
    /// A new database with run.sqlite's tables and indexes, and rows of two accounts in each indexed table
    /// (the plans do not depend on them, but a query that reads them must run).
    static func database() throws -> DatabaseQueue {
        let path = TestScratch.root + "tapebench-schema-\(UUID().uuidString).sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: RunSchema.tables)
            try db.execute(sql: RunSchema.indexes)
            try db.execute(sql: """
                INSERT INTO runs (id, scenario_name, scenario_file, scenario_sha256, fill_model, tool_version, seed, tickers, bars_replayed)
                VALUES (1, 's', 's.yaml', '', 'seed', '0', 7, 'AAPL', 0)
                """)
            for account in 1...2 {
                try db.execute(sql: """
                    INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, current_cash, equity,
                        buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio, max_drawdown)
                    VALUES (?, 1, 'a', 'vwap_mean_reversion', 'seed', 'active', 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)
                    """, arguments: [account])
                try db.execute(sql: """
                    INSERT INTO signals (account_id, agent_id, ticker, side, price, reason, acted_on, generated_at)
                    VALUES (?, 'a', 'AAPL', 'buy', 1, 'r', 1, '2024-03-04T14:31:00Z')
                    """, arguments: [account])
                try db.execute(sql: """
                    INSERT INTO paper_orders (account_id, ticker, side, order_type, quantity, filled_quantity, status, commission, slippage,
                        purpose, submitted_at) VALUES (?, 'AAPL', 'buy', 'market', 1, 1, 'filled', 0, 0, 'signal_entry', '2024-03-04T14:31:00Z')
                    """, arguments: [account])
                try db.execute(sql: """
                    INSERT INTO paper_trades (account_id, order_id, ticker, side, quantity, price, reference_price, commission, slippage,
                        realized_pnl, fill_rule, cash_after, position_after, executed_at)
                    VALUES (?, 1, 'AAPL', 'sell', 1, 1, 1, 0, 0, 1.5, 'market_next_open', 1, 0, '2024-03-04T14:32:00Z')
                    """, arguments: [account])
            }
        }
        return queue
    }

    /// The plan's lines (`detail`), as SQLite words them.
    static func plan(_ sql: String, in queue: DatabaseQueue) throws -> [String] {
        try queue.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ones(sql)).map { $0["detail"] as String } }
    }

    /// 1 for each of the statement's parameters (an account, a page's limit and offset).
    static func ones(_ sql: String) -> StatementArguments { StatementArguments(Array(repeating: 1, count: sql.filter { $0 == "?" }.count)) }

    /// The queries, by source, with the index each must search (`?` bound to an account).
    static let queries: [(source: String, sql: String, index: String)] = [
        ("PaperQueries.page (orders: total)", "SELECT COUNT(*) FROM paper_orders WHERE account_id = ?", "paper_orders_account"),
        ("PaperQueries.page (orders: a page)", "SELECT * FROM paper_orders WHERE account_id = ? ORDER BY id DESC LIMIT ? OFFSET ?", "paper_orders_account"),
        ("PaperQueries.page (trades: total)", "SELECT COUNT(*) FROM paper_trades WHERE account_id = ?", "paper_trades_account"),
        ("PaperQueries.page (trades: a page)", "SELECT * FROM paper_trades WHERE account_id = ? ORDER BY id DESC LIMIT ? OFFSET ?", "paper_trades_account"),
        ("PaperQueries.performance (closing trades)", """
            SELECT COUNT(*) AS closing, COALESCE(SUM(realized_pnl > 0), 0) AS winning FROM paper_trades
            WHERE account_id = ? AND realized_pnl IS NOT NULL
            """, "paper_trades_account"),
        ("GraduationRecords.records (trades)", "SELECT executed_at, realized_pnl FROM paper_trades WHERE account_id = ? AND realized_pnl IS NOT NULL",
         "paper_trades_account"),
        ("GraduationRecords.records (signals)", "SELECT generated_at FROM signals WHERE account_id = ?", "signals_account"),
        ("PaperDatabase.storedAccounts", """
            SELECT a.id, a.current_cash, (SELECT COUNT(*) FROM paper_trades t WHERE t.account_id = a.id) FROM paper_accounts a
            """, "paper_trades_account"),
    ]

    @Test("version 3: run.sqlite's indexes are an account's orders, trades (by time) and signals")
    func indexSet() throws {
        let queue = try Self.database()
        let indexes = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
                .map { "\($0["name"] as String): \($0["sql"] as String)" }
        }
        #expect(indexes == [
            "paper_orders_account: CREATE INDEX paper_orders_account ON paper_orders(account_id)",
            "paper_trades_account: CREATE INDEX paper_trades_account ON paper_trades(account_id, executed_at)",
            "signals_account: CREATE INDEX signals_account ON signals(account_id)",
        ])
        #expect(RunSchema.version == 3)
    }

    @Test("each query Tapebench runs for an account's rows searches its index", arguments: 0..<queries.count)
    func searchesAnIndex(query: Int) throws {
        let (source, sql, index) = Self.queries[query]
        let queue = try Self.database()
        let plan = try Self.plan(sql, in: queue)
        #expect(plan.contains { $0.hasPrefix("SEARCH") && $0.contains(" INDEX \(index) (account_id=?)") }, "\(source): \(plan)")
        // Nothing read whole but the accounts the last query lists.
        #expect(!plan.contains { $0.hasPrefix("SCAN") && $0 != "SCAN a" }, "\(source): \(plan)")
        // Each runs: the statement is one SQLite accepts with the schema's columns.
        _ = try queue.read { db in try Row.fetchAll(db, sql: sql, arguments: Self.ones(sql)) }
    }

    @Test("an account's page of orders, newest first, needs no sort: the index holds its entries in id order")
    func ordersPageUnsorted() throws {
        let plan = try Self.plan("SELECT * FROM paper_orders WHERE account_id = ? ORDER BY id DESC LIMIT ? OFFSET ?", in: try Self.database())
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
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
