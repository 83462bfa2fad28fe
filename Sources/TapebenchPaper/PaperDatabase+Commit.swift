import Foundation
import GRDB
import TapebenchCore
import TapebenchEngine
import TapebenchLedger
import TapebenchStore

/// One minute's changes, written in one transaction with the checkpoint.
extension PaperDatabase {
    /// A lane's state after the minute: its rows since the last commit, how it stands, and the signal of
    /// each open position.
    struct LaneChanges {
        var pending: PaperRecorder.Pending
        var outcome: LaneOutcome
        var positionSignals: [String: Int64]
    }

    func commit(minute: Timestamp, bars: [Bar], lanes: [LaneChanges], statistics: ReplayStatistics, finished: Bool, delayed: Bool) throws {
        do {
            try queue.write { db in
                for bar in bars {
                    try db.execute(sql: """
                        INSERT INTO paper_bars (ticker, start, open, high, low, close, volume, vwap, transactions, minute)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [bar.ticker, bar.start.nanoseconds, bar.open.raw, bar.high.raw, bar.low.raw, bar.close.raw, bar.volume,
                                         bar.vwap?.raw, bar.tradeCount, minute.nanoseconds])
                }
                // Positions are numbered 1, 2, … over the lanes in lane order, as run.sqlite numbers them.
                try db.execute(sql: "DELETE FROM paper_positions")
                var positionID: Int64 = 0
                for lane in lanes { try write(lane, minute: minute, firstBar: statistics.firstBarStart, positionID: &positionID, into: db) }
                try db.execute(sql: "UPDATE runs SET bars_replayed = ?, replay_start = ?, replay_end = ? WHERE id = 1",
                               arguments: [statistics.barsReplayed, statistics.firstBarStart?.iso8601, statistics.lastBarStart?.adding(minutes: 1).iso8601])
                try db.execute(sql: """
                    UPDATE paper_checkpoint SET minute = ?, minute_ns = ?, minutes = minutes + 1, state = ?, delayed = MAX(delayed, ?) WHERE id = 1
                    """, arguments: [minute.iso8601, minute.nanoseconds, finished ? "finished" : "running", delayed ? 1 : 0])
            }
        } catch let error as DatabaseError {
            throw InputError(file: path, message: "cannot write the minute of \(minute.iso8601): \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    private func write(_ lane: LaneChanges, minute: Timestamp, firstBar: Timestamp?, positionID: inout Int64, into db: Database) throws {
        let account = lane.outcome.account, id = account.id, rows = lane.pending
        for (rowID, s, actedOn) in rows.signals {
            try db.execute(sql: """
                INSERT INTO signals (id, account_id, agent_id, ticker, side, price, strength, reason, acted_on, generated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [rowID, id, s.agent, s.ticker, s.side.rawValue, s.price.doubleValue, s.strength, s.reason.text, actedOn ? 1 : 0, s.time.iso8601])
        }
        for orderID in rows.orders.keys.sorted() {
            let row = rows.orders[orderID]!, o = row.order
            try db.execute(sql: """
                INSERT OR REPLACE INTO paper_orders (id, account_id, ticker, side, order_type, quantity, filled_quantity, limit_price, stop_price,
                    status, reject_reason, commission, slippage, purpose, signal, signal_id, submitted_at, closed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id * RunSchema.rowsPerAccount + o.id, id, o.ticker, o.side.rawValue, o.type.rawValue, o.quantity, o.filledQuantity,
                                 o.limitPrice?.doubleValue, o.stopPrice?.doubleValue, o.status.rawValue, o.rejectReason, row.commission.doubleValue,
                                 row.slippage.doubleValue, o.purpose, o.signal?.text, row.signalID, o.submittedAt.iso8601, o.closedAt?.iso8601])
        }
        for (t, signalID) in rows.trades {
            let f = t.fill
            try db.execute(sql: """
                INSERT INTO paper_trades (id, account_id, order_id, ticker, side, quantity, price, reference_price, commission, slippage,
                    realized_pnl, fill_rule, cash_after, position_after, signal_id, executed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id * RunSchema.rowsPerAccount + t.id, id, id * RunSchema.rowsPerAccount + f.orderID, f.ticker, f.side.rawValue, f.quantity, f.price.doubleValue,
                                 f.referencePrice.doubleValue, f.commission.doubleValue, f.slippageCost.doubleValue, t.realizedPnL?.doubleValue,
                                 f.rule.rawValue, t.cashAfter.doubleValue, t.positionAfter, signalID, f.time.iso8601])
        }
        for (rowID, s) in rows.snapshots {
            try db.execute(sql: """
                INSERT INTO paper_account_snapshots (id, account_id, date, taken_at, cash, market_value, equity, realized_pnl,
                    unrealized_pnl, commissions, open_positions, sharpe_ratio, drawdown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [rowID, id, s.date.description, s.time.iso8601, s.cash.doubleValue, s.marketValue.doubleValue, s.equity.doubleValue,
                                 s.realizedPnL.doubleValue, s.unrealizedPnL.doubleValue, s.commissions.doubleValue, s.openPositions, s.sharpe, s.drawdown])
        }
        for (rowID, e) in rows.riskEvents {
            try db.execute(sql: "INSERT INTO risk_events (id, account_id, occurred_at, kind, detail) VALUES (?, ?, ?, ?, ?)",
                           arguments: [rowID, id, e.time.iso8601, e.kind, e.detail])
        }
        for p in account.sortedPositions {
            positionID += 1
            try db.execute(sql: """
                INSERT INTO paper_positions (id, account_id, ticker, quantity, avg_entry_price, current_price, cost_basis,
                    market_value, unrealized_pnl, unrealized_pnl_percent, signal, signal_id, opened_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [positionID, id, p.ticker, p.quantity, p.averageEntryPrice.doubleValue, p.currentPrice.doubleValue,
                                 p.costBasis.doubleValue, p.marketValue.doubleValue, p.unrealizedPnL.doubleValue, p.unrealizedPnLFraction * 100,
                                 p.signal?.text, lane.positionSignals[p.ticker], p.openedAt.iso8601])
        }
        let summary = lane.outcome.summary
        try db.execute(sql: """
            UPDATE paper_accounts SET status = ?, current_cash = ?, equity = ?, buying_power = ?, total_pnl = ?, realized_pnl = ?,
                unrealized_pnl = ?, commissions = ?, slippage = ?, win_rate = ?, sharpe_ratio = ?, max_drawdown = ?,
                created_at = COALESCE(created_at, ?), updated_at = ? WHERE id = ?
            """, arguments: [account.status.rawValue, account.cash.doubleValue, account.equity.doubleValue, account.buyingPower.doubleValue,
                             account.totalPnL.doubleValue, account.realizedPnL.doubleValue, account.unrealizedPnL.doubleValue,
                             account.commissions.doubleValue, account.slippage.doubleValue, summary.winRate, summary.sharpe, summary.maxDrawdown,
                             (firstBar ?? minute).iso8601, minute.iso8601, id])
    }
}
