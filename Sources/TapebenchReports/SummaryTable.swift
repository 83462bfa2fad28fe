import TapebenchCore
import TapebenchEngine

/// The headline figures per agent, as the terminal and `report.md` show them.
public enum SummaryTable {
    public static func table(_ summaries: [AgentSummary]) -> Table {
        Table(
            header: ["agent", "variant", "equity", "total P&L", "return", "win rate", "Sharpe", "max DD", "fills", "commissions", "rejected"],
            rows: summaries.map { s in
                [s.agent, s.variant, dollars(s.equity), dollars(s.totalPnL), percentText(s.returnFraction), percentText(s.winRate),
                 formatStatistic(s.sharpe, digits: 2), percentText(s.maxDrawdown), String(s.fills), dollars(s.commissions),
                 String(s.ordersByStatus.first { $0.status == .rejected }?.count ?? 0)]
            }, leftAligned: [0, 1])
    }
}
