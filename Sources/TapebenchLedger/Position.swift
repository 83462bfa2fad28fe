import TapebenchCore

/// An open position: long (quantity > 0) or short (quantity < 0, cost basis the negative of the proceeds). The cost basis is kept as an exact amount, not as an average price, so that
/// partial closes never lose a fraction of a cent: closing k of n shares releases
/// `costBasis × k / n` (rounded by the one rule) and the rest stays with the position.
public struct Position: Sendable, Hashable, Codable {
    public var ticker: String
    public var quantity: Int64
    /// What the shares held cost, before commissions.
    public var costBasis: Money
    /// The latest price seen (the last bar's close, or the last fill).
    public var currentPrice: Price
    public var openedAt: Timestamp
    /// The signal that opened the position, when one did.
    public var signal: SignalReason?

    public init(ticker: String, quantity: Int64, costBasis: Money, currentPrice: Price, openedAt: Timestamp, signal: SignalReason?) {
        self.ticker = ticker
        self.quantity = quantity
        self.costBasis = costBasis
        self.currentPrice = currentPrice
        self.openedAt = openedAt
        self.signal = signal
    }

    /// Average entry price, rounded by the one rule (for display and exit thresholds).
    public var averageEntryPrice: Price { quantity == 0 ? .zero : costBasis.scaled(by: 1, over: quantity) }
    public var isShort: Bool { quantity < 0 }
    /// `currentPrice × quantity`: within `Limits.maxAmount` for every position an `Account` holds, which
    /// checks it on each fill and mark (a hand-made position beyond `Fixed`'s range traps here).
    public var marketValue: Money { Fixed(raw: Int64(currentPrice.wideProduct(quantity))) }
    public var unrealizedPnL: Money { marketValue - costBasis }

    /// Unrealized P&L as a fraction of cost (statistics only).
    public var unrealizedPnLFraction: Double {
        costBasis.raw == 0 ? 0 : Double(unrealizedPnL.raw) / Double(costBasis.raw.magnitude)
    }
}
