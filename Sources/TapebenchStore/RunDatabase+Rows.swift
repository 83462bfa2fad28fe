import Foundation
import GRDB
import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// The rows `RunDatabase.assemble` writes itself (the lanes' own rows are copied from their scratch
/// databases): the run, each lane's account and open positions, graduation decisions.
extension RunDatabase {
    static func insertRun(scenario: Scenario, toolVersion: String, fillModels: [String], statistics stats: ReplayStatistics,
                          into db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO runs (id, scenario_name, scenario_file, scenario_sha256, fill_model, tool_version, seed,
                                  period_from, period_to, tickers, bars_replayed, replay_start, replay_end)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [scenario.name, PathText.lastComponent(scenario.file), scenario.contentHash, fillModels.joined(separator: ","),
                        toolVersion, Int64(bitPattern: scenario.seed), scenario.from?.description, scenario.to?.description,
                        scenario.tickers.joined(separator: ","), stats.barsReplayed, stats.firstBarStart?.iso8601,
                        stats.lastBarStart.map { $0.adding(minutes: 1).iso8601 }])
    }

    static func insertAccount(_ lane: StoredLane, firstBar: Timestamp?, into db: Database) throws {
        let summary = lane.outcome.summary, account = lane.outcome.account
        try db.execute(
            sql: """
                INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, current_cash, equity,
                    buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio,
                    max_drawdown, created_at, updated_at)
                VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [account.id, account.agent, lane.outcome.config.kind, lane.outcome.variant, account.status.rawValue,
                        account.initialBalance.doubleValue, account.cash.doubleValue, account.equity.doubleValue,
                        account.buyingPower.doubleValue, account.totalPnL.doubleValue, account.realizedPnL.doubleValue,
                        account.unrealizedPnL.doubleValue, account.commissions.doubleValue, account.slippage.doubleValue,
                        summary.winRate, summary.sharpe, summary.maxDrawdown, firstBar?.iso8601, lane.lastSnapshot?.iso8601])
    }

    static func insertPosition(_ p: Position, id: Int64, account: Int64, signalID: Int64?, into db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO paper_positions (id, account_id, ticker, quantity, avg_entry_price, current_price, cost_basis,
                    market_value, unrealized_pnl, unrealized_pnl_percent, signal, signal_id, opened_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, account, p.ticker, p.quantity, p.averageEntryPrice.doubleValue, p.currentPrice.doubleValue,
                        p.costBasis.doubleValue, p.marketValue.doubleValue, p.unrealizedPnL.doubleValue, p.unrealizedPnLFraction * 100,
                        p.signal?.text, signalID, p.openedAt.iso8601])
    }

    static func insert(_ changes: [StatusChange], decidedAt time: Timestamp?, scenario: Scenario, into db: Database) throws {
        let decidedAt = time?.iso8601
        var nextAccount = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM paper_accounts") ?? 0) + 1
        for change in changes {
            try db.execute(
                sql: """
                    INSERT INTO agent_status (agent_id, status, step, eligible, robust, forced, reason, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [change.agent, change.status, change.step, change.eligible, change.robust, change.forced, change.reason, decidedAt])
            guard change.freshAccount else { continue }
            let balance = scenario.initialBalance.doubleValue
            let kind = scenario.agents.first { $0.id == change.agent }?.kind ?? ""
            try db.execute(
                sql: """
                    INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, current_cash, equity,
                        buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio,
                        max_drawdown, created_at, updated_at)
                    VALUES (?, 1, ?, ?, 'paper', 'active', ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, ?, ?)
                    """,
                arguments: [nextAccount, change.agent, kind, balance, balance, balance, balance, decidedAt, decidedAt])
            nextAccount += 1
        }
    }
}
