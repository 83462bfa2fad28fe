import TapebenchCore

/// Statistics of closing trades (realized price P&L of each fill that closed shares, before commissions).
/// Sums are kept wide: a long run's gross wins may pass what one amount holds, its averages never do.
public struct TradeStatistics: Sendable, Hashable {
    public var closingTrades: Int
    public var wins: Int
    public var losses: Int
    /// Σ of winning and of losing (≤ 0) closes, in units of 1e-8.
    public var grossWinsWide: Int128
    public var grossLossesWide: Int128

    /// No closing trades yet.
    public init() {
        closingTrades = 0
        wins = 0
        losses = 0
        grossWinsWide = 0
        grossLossesWide = 0
    }

    public init(realized: [Money]) {
        self.init()
        for close in realized { add(close) }
    }

    /// Books one more closing trade: the statistics run as trades happen, without keeping them.
    public mutating func add(_ realized: Money) {
        closingTrades += 1
        if realized.raw > 0 {
            wins += 1
            grossWinsWide += realized.wide
        } else {
            losses += 1
            grossLossesWide += realized.wide
        }
    }

    /// Winning closes over all closes (0 without closes). A close at exactly zero counts as a loss.
    public var winRate: Double { closingTrades == 0 ? 0 : Double(wins) / Double(closingTrades) }
    /// Mean P&L of winning closes (0 without).
    public var averageWin: Money { TradeStatistics.mean(grossWinsWide, wins) }
    /// Mean P&L of losing closes, ≤ 0 (0 without).
    public var averageLoss: Money { TradeStatistics.mean(grossLossesWide, losses) }
    /// Gross wins over gross losses; nil when nothing was lost (undefined, not infinite).
    public var profitFactor: Double? { grossLossesWide == 0 ? nil : Double(grossWinsWide) / Double(-grossLossesWide) }
    /// Mean P&L per closing trade.
    public var expectancy: Money { TradeStatistics.mean(grossWinsWide + grossLossesWide, closingTrades) }

    /// A mean of `count` amounts each a `Fixed`, rounded by the one rule: it lies between the smallest and the
    /// largest of them, so it is a `Fixed` too.
    static func mean(_ sum: Int128, _ count: Int) -> Money {
        count == 0 ? .zero : Fixed(raw: Int64(Fixed.divideRoundingHalfEvenWide(sum, Int128(count))))
    }
}
