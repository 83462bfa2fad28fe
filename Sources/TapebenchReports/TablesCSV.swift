import TapebenchCore
import TapebenchEngine

/// `trades.csv` and `equity.csv`, for users' own tools: one header row, ISO 8601 times, exact money.
public enum TablesCSV {
    /// Every fill as the ledger booked it, with realized P&L and the position after it.
    public static func trades(_ result: RunResult) -> String {
        var out = "trade_id,order_id,agent,variant,time,ticker,side,type,quantity,price,reference_price,commission,slippage,rule,realized_pnl,cash_after,position_after,opening_signal\n"
        for run in result.lanes {
            for t in run.trades {
                let f = t.fill
                out += "\(t.id),\(f.orderID),\(f.agent),\(run.variant),\(f.time.iso8601),\(f.ticker),\(f.side.rawValue),\(f.orderType.rawValue),"
                out += "\(f.quantity),\(f.price),\(f.referencePrice),\(f.commission),\(f.slippageCost),\(f.rule.rawValue),"
                out += "\(t.realizedPnL?.description ?? ""),\(t.cashAfter),\(t.positionAfter),\(csvText(t.openingSignal ?? ""))\n"
            }
        }
        return out
    }

    /// End-of-day equity per lane, with the drawdown from the running peak.
    public static func equity(_ result: RunResult) -> String {
        var out = "agent,variant,date,time,cash,market_value,equity,realized_pnl,unrealized_pnl,commissions,open_positions,drawdown\n"
        for run in result.lanes {
            for s in run.snapshots {
                out += "\(run.config.id),\(run.variant),\(s.date),\(s.time.iso8601),\(s.cash),\(s.marketValue),\(s.equity),"
                out += "\(s.realizedPnL),\(s.unrealizedPnL),\(s.commissions),\(s.openPositions),\(formatStatistic(s.drawdown, digits: 6))\n"
            }
        }
        return out
    }

    /// A CSV field: quoted when it holds a comma or a quote.
    static func csvText(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
