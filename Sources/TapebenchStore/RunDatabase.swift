import Foundation
import GRDB
import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// Writes a run into a SQLite database with the reference system's tables (`paper_accounts`,
/// `paper_positions`, `paper_orders`, `paper_trades`, `paper_account_snapshots`) and a `runs` table.
///
/// Money and prices are REAL columns for querying; the exact values are in `report.json`.
/// Times are ISO 8601 UTC text. The database is written in one transaction to a temporary file and
/// renamed into place, so a failed run never leaves a half-written database.
public enum RunDatabase {
    /// A graduation decision to record: the agent's new status and, on graduation to paper, a fresh account.
    public struct StatusChange: Sendable {
        public var agent: String
        public var status: String
        public var step: String
        public var eligible: Bool
        public var robust: Bool
        public var forced: Bool
        public var reason: String
        public var freshAccount: Bool

        public init(agent: String, status: String, step: String, eligible: Bool, robust: Bool, forced: Bool, reason: String, freshAccount: Bool) {
            self.agent = agent
            self.status = status
            self.step = step
            self.eligible = eligible
            self.robust = robust
            self.forced = forced
            self.reason = reason
            self.freshAccount = freshAccount
        }
    }

    public static func write(_ result: RunResult, to path: String, statusChanges: [StatusChange] = []) throws {
        let temporary = path + ".partial"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let queue = try DatabaseQueue(path: temporary)
            try migrator.migrate(queue)
            try queue.write { db in
                try insert(result, into: db)
                try insert(statusChanges, result: result, into: db)
            }
            try queue.close()
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw failure(error, path: path, action: "cannot write the database")
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw FileSystemError(path: path, action: "cannot rename the database into place", errno: code)
        }
    }

    /// Checks that `path` is a whole Tapebench run database: SQLite opens it, `PRAGMA quick_check`
    /// finds nothing wrong, and it has the `runs` table. A truncated, garbled or foreign file is an
    /// `InputError` naming it.
    public static func verify(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard problems == ["ok"] else {
                    throw InputError(file: path, message: "the database is damaged: \(problems.first ?? "no answer from quick_check")")
                }
                guard try db.tableExists("runs") else {
                    throw InputError(file: path, message: "not a Tapebench run database (no runs table)")
                }
            }
        } catch let error as DatabaseError {
            throw InputError(file: path, message: "\(failure(error, path: path, action: "cannot read the database").reason)")
        }
    }

    /// A SQLite failure in words, naming the database.
    static func failure(_ error: DatabaseError, path: String, action: String) -> FileSystemError {
        let reason: String
        switch error.resultCode {
        case .SQLITE_FULL: reason = FileSystemError.words(for: ENOSPC)
        case .SQLITE_READONLY: reason = FileSystemError.words(for: EROFS)
        case .SQLITE_PERM, .SQLITE_AUTH: reason = FileSystemError.words(for: EACCES)
        case .SQLITE_CANTOPEN: reason = "SQLite cannot open it (a missing folder, no permission, or a folder in its place?)"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: reason = "not a valid SQLite database (truncated, damaged, or another kind of file)"
        case .SQLITE_IOERR: reason = "input/output error while SQLite used it"
        default: reason = "SQLite error \(error.resultCode.rawValue): \(error.message ?? "no message")"
        }
        return FileSystemError(path: path, action: action, reason: reason)
    }

    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: Schema.v1)
        }
        return migrator
    }

    /// Order and trade ids count within a lane; rows get `account × 10⁹ + id` so they stay unique and
    /// still show the lane's own number in their last digits.
    static func orderRowID(_ account: Int64, _ id: Int64) -> Int64 { account * 1_000_000_000 + id }

    static func insert(_ changes: [StatusChange], result: RunResult, into db: Database) throws {
        let decidedAt = result.statistics.lastBarStart.map { $0.adding(minutes: 1).iso8601 }
        var nextAccount = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM paper_accounts") ?? 0) + 1
        for change in changes {
            try db.execute(
                sql: """
                    INSERT INTO agent_status (agent_id, status, step, eligible, robust, forced, reason, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [change.agent, change.status, change.step, change.eligible, change.robust, change.forced, change.reason, decidedAt])
            guard change.freshAccount else { continue }
            let balance = result.scenario.initialBalance.doubleValue
            let kind = result.scenario.agents.first { $0.id == change.agent }?.kind ?? ""
            try db.execute(
                sql: """
                    INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, cash, equity,
                        buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio,
                        max_drawdown, created_at, updated_at)
                    VALUES (?, 1, ?, ?, 'paper', 'active', ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, ?, ?)
                    """,
                arguments: [nextAccount, change.agent, kind, balance, balance, balance, balance, decidedAt, decidedAt])
            nextAccount += 1
        }
    }

    static func insert(_ result: RunResult, into db: Database) throws {
        let scenario = result.scenario
        let stats = result.statistics
        try db.execute(
            sql: """
                INSERT INTO runs (id, scenario_name, scenario_file, scenario_sha256, fill_model, tool_version, seed,
                                  period_from, period_to, tickers, bars_replayed, replay_start, replay_end)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [scenario.name, PathText.lastComponent(scenario.file), scenario.contentHash, result.fillModels.joined(separator: ","),
                        result.toolVersion, Int64(bitPattern: scenario.seed), scenario.from?.description, scenario.to?.description,
                        scenario.tickers.joined(separator: ","), stats.barsReplayed, stats.firstBarStart?.iso8601,
                        stats.lastBarStart.map { $0.adding(minutes: 1).iso8601 }])
        var positionID: Int64 = 0
        var snapshotID: Int64 = 0
        for run in result.lanes {
            let summary = run.summary
            let account = run.account
            try db.execute(
                sql: """
                    INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, cash, equity,
                        buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio,
                        max_drawdown, created_at, updated_at)
                    VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [account.id, account.agent, run.config.kind, run.variant, account.status.rawValue,
                            account.initialBalance.doubleValue, account.cash.doubleValue, account.equity.doubleValue,
                            account.buyingPower.doubleValue, account.totalPnL.doubleValue, account.realizedPnL.doubleValue,
                            account.unrealizedPnL.doubleValue, account.commissions.doubleValue, account.slippage.doubleValue,
                            summary.winRate, summary.sharpe, summary.maxDrawdown, stats.firstBarStart?.iso8601,
                            run.snapshots.last?.time.iso8601])
            for p in account.sortedPositions {
                positionID += 1
                try db.execute(
                    sql: """
                        INSERT INTO paper_positions (id, account_id, ticker, quantity, avg_entry_price, current_price, cost_basis,
                            market_value, unrealized_pnl, unrealized_pnl_pct, signal, opened_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [positionID, account.id, p.ticker, p.quantity, p.averageEntryPrice.doubleValue,
                                p.currentPrice.doubleValue, p.costBasis.doubleValue, p.marketValue.doubleValue,
                                p.unrealizedPnL.doubleValue, p.unrealizedPnLFraction * 100, p.signal, p.openedAt.iso8601])
            }
            for o in run.orders {
                try db.execute(
                    sql: """
                        INSERT INTO paper_orders (id, account_id, ticker, side, order_type, quantity, filled_quantity,
                            limit_price, stop_price, status, reject_reason, purpose, signal, submitted_at, closed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [orderRowID(account.id, o.id), account.id, o.ticker, o.side.rawValue, o.type.rawValue, o.quantity, o.filledQuantity,
                                o.limitPrice?.doubleValue, o.stopPrice?.doubleValue, o.status.rawValue, o.rejectReason,
                                o.purpose, o.signal, o.submittedAt.iso8601, o.closedAt?.iso8601])
            }
            for t in run.trades {
                let f = t.fill
                try db.execute(
                    sql: """
                        INSERT INTO paper_trades (id, account_id, order_id, ticker, side, quantity, price, reference_price,
                            commission, slippage, realized_pnl, fill_rule, cash_after, position_after, executed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [orderRowID(account.id, t.id), account.id, orderRowID(account.id, f.orderID), f.ticker, f.side.rawValue, f.quantity, f.price.doubleValue,
                                f.referencePrice.doubleValue, f.commission.doubleValue, f.slippageCost.doubleValue,
                                t.realizedPnL?.doubleValue, f.rule.rawValue, t.cashAfter.doubleValue, t.positionAfter, f.time.iso8601])
            }
            for s in run.snapshots {
                snapshotID += 1
                try db.execute(
                    sql: """
                        INSERT INTO paper_account_snapshots (id, account_id, date, taken_at, cash, market_value, equity,
                            realized_pnl, unrealized_pnl, commissions, open_positions, sharpe_ratio, drawdown)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [snapshotID, account.id, s.date.description, s.time.iso8601, s.cash.doubleValue,
                                s.marketValue.doubleValue, s.equity.doubleValue, s.realizedPnL.doubleValue,
                                s.unrealizedPnL.doubleValue, s.commissions.doubleValue, s.openPositions, s.sharpe, s.drawdown])
            }
        }
    }
}
