import TapebenchCore

/// Statistics of closing trades (realized price P&L of each fill that closed shares, before commissions).
public struct TradeStatistics: Sendable, Hashable {
    public var closingTrades: Int
    public var wins: Int
    public var losses: Int
    public var grossWins: Money
    public var grossLosses: Money

    public init(realized: [Money]) {
        closingTrades = realized.count
        wins = realized.filter { $0.raw > 0 }.count
        losses = closingTrades - wins
        grossWins = realized.filter { $0.raw > 0 }.reduce(.zero, +)
        grossLosses = realized.filter { $0.raw <= 0 }.reduce(.zero, +)
    }

    /// Winning closes over all closes (0 without closes). A close at exactly zero counts as a loss.
    public var winRate: Double { closingTrades == 0 ? 0 : Double(wins) / Double(closingTrades) }
    /// Mean P&L of winning closes (0 without).
    public var averageWin: Money { wins == 0 ? .zero : grossWins.scaled(by: 1, over: Int64(wins)) }
    /// Mean P&L of losing closes, ≤ 0 (0 without).
    public var averageLoss: Money { losses == 0 ? .zero : grossLosses.scaled(by: 1, over: Int64(losses)) }
    /// Gross wins over gross losses; nil when nothing was lost (undefined, not infinite).
    public var profitFactor: Double? { grossLosses.raw == 0 ? nil : Double(grossWins.raw) / Double(-grossLosses.raw) }
    /// Mean P&L per closing trade.
    public var expectancy: Money { closingTrades == 0 ? .zero : (grossWins + grossLosses).scaled(by: 1, over: Int64(closingTrades)) }
}
