import TapebenchCore

/// The side of a round trip: long (bought, then sold) or short (sold, then bought back).
public enum RoundTripSide: String, Sendable, Hashable, Codable {
    case long, short
}

/// One closed round trip: the shares one fill closed, matched first in, first out against the position's
/// open entry lots (see `RoundTripBook`). Money exact; ratios are statistics.
public struct RoundTrip: Sendable, Hashable {
    public var ticker: String
    public var side: RoundTripSide
    /// Shares closed.
    public var quantity: Int64
    /// The fill time of the oldest entry lot it closed (shares of it), and of the closing fill.
    public var entryTime: Timestamp
    public var exitTime: Timestamp
    /// The closed shares' average entry price (rounded by the one rule) and the closing fill's price.
    public var entryPrice: Price
    public var exitPrice: Price
    /// Σ entry price × shares closed, exact (the return's denominator).
    public var entryNotional: Money
    /// Price P&L of the closed shares, before costs (slippage is inside both prices).
    public var grossPnL: Money
    /// The commissions that belong to the closed shares: each entry fill's and the closing fill's, pro rata
    /// by shares (rounded by the one rule; what is left stays with the open shares).
    public var commissions: Money
    /// Most adverse and most favourable price move per share from the average entry, over the bars seen
    /// while the oldest closed lot was open (see `RoundTripBook`): MAE ≤ 0 ≤ MFE, in dollars per share.
    public var adverseExcursion: Price
    public var favourableExcursion: Price

    public init(ticker: String, side: RoundTripSide, quantity: Int64, entryTime: Timestamp, exitTime: Timestamp, entryPrice: Price,
                exitPrice: Price, entryNotional: Money, grossPnL: Money, commissions: Money, adverseExcursion: Price, favourableExcursion: Price) {
        self.ticker = ticker
        self.side = side
        self.quantity = quantity
        self.entryTime = entryTime
        self.exitTime = exitTime
        self.entryPrice = entryPrice
        self.exitPrice = exitPrice
        self.entryNotional = entryNotional
        self.grossPnL = grossPnL
        self.commissions = commissions
        self.adverseExcursion = adverseExcursion
        self.favourableExcursion = favourableExcursion
    }

    /// P&L after costs: gross − commissions.
    public var netPnL: Money { grossPnL - commissions }
    /// Net P&L over the entry notional (0 for a free entry).
    public var returnFraction: Double { entryNotional.raw == 0 ? 0 : Double(netPnL.raw) / Double(entryNotional.raw.magnitude) }
    /// MAE and MFE as fractions of the average entry price.
    public var adverseFraction: Double { entryPrice.raw == 0 ? 0 : Double(adverseExcursion.raw) / Double(entryPrice.raw.magnitude) }
    public var favourableFraction: Double { entryPrice.raw == 0 ? 0 : Double(favourableExcursion.raw) / Double(entryPrice.raw.magnitude) }
    /// Exit − entry, in whole minutes (fills happen at bar ends, whole minutes apart).
    public var durationMinutes: Int64 { (exitTime.nanoseconds - entryTime.nanoseconds) / Timestamp.nanosecondsPerMinute }
}
