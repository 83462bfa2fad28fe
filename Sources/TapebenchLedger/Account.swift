import TapebenchCore
import TapebenchExecution

public enum AccountStatus: String, Sendable, Hashable, Codable {
    case active, paused, closed
}

/// A paper account: cash, positions, and the running totals the reference system keeps.
///
/// Invariants (exact, in fixed point):
/// - `equity == cash + Σ position.marketValue`
/// - `equity − initialBalance == realizedPnL + unrealizedPnL − commissions`
public struct Account: Sendable, Hashable {
    public var id: Int64
    public var agent: String
    public var initialBalance: Money
    public var cash: Money
    public var status: AccountStatus = .active
    /// Open positions by ticker. Never iterated into output unsorted: see `sortedPositions`.
    public private(set) var positions: [String: Position] = [:]
    /// Realized price P&L of closed shares, commissions not included.
    public private(set) var realizedPnL: Money = .zero
    public private(set) var commissions: Money = .zero
    /// What slippage cost, at fill time (already inside fill prices and so inside P&L).
    public private(set) var slippage: Money = .zero
    public private(set) var winningCloses = 0
    public private(set) var losingCloses = 0

    public init(id: Int64, agent: String, initialBalance: Money) {
        self.id = id
        self.agent = agent
        self.initialBalance = initialBalance
        self.cash = initialBalance
    }

    public var sortedPositions: [Position] { positions.keys.sorted().map { positions[$0]! } }
    public var marketValue: Money { positions.values.reduce(.zero) { $0 + $1.marketValue } }
    public var equity: Money { cash + marketValue }
    public var unrealizedPnL: Money { positions.values.reduce(.zero) { $0 + $1.unrealizedPnL } }
    /// Cash available for buys: cash less the proceeds of open short sales, which stay as collateral.
    /// Without shorts, simply cash (a cash account, no margin).
    public var buyingPower: Money { cash + shortMarketValue }
    /// The market value of short positions (≤ 0).
    public var shortMarketValue: Money { positions.values.filter { $0.quantity < 0 }.reduce(.zero) { $0 + $1.marketValue } }
    /// Equity change since the start: realized + unrealized − commissions.
    public var totalPnL: Money { equity - initialBalance }
    /// Closing trades with a positive realized P&L, over all closing trades (0 when none).
    public var winRate: Double {
        let closes = winningCloses + losingCloses
        return closes == 0 ? 0 : Double(winningCloses) / Double(closes)
    }
    public var closingTrades: Int { winningCloses + losingCloses }

    public func position(_ ticker: String) -> Position? { positions[ticker] }

    /// What the risk checks need to judge a fill in `ticker`.
    public func riskContext(for ticker: String) -> RiskContext {
        RiskContext(cash: buyingPower, equity: equity, positionQuantity: positions[ticker]?.quantity ?? 0, openPositions: positions.count,
                    shortMarketValue: shortMarketValue)
    }

    /// Marks a position to a new price (a bar's close).
    public mutating func mark(_ ticker: String, at price: Price) {
        positions[ticker]?.currentPrice = price
    }

    /// Books a fill; returns the realized price P&L when it closed shares. The executor has already
    /// checked it against the risk limits.
    ///
    /// Positions are signed: a short has a negative quantity and a negative cost basis (the proceeds of the
    /// sale), so `equity = cash + Σ quantity × price` and `unrealized = market value − cost basis` hold for
    /// both sides. A fill that crosses zero closes the position and opens one on the other side.
    @discardableResult
    public mutating func apply(_ fill: Fill, signal: String? = nil) -> Money? {
        commissions += fill.commission
        slippage += fill.slippageCost
        cash -= fill.commission
        cash += fill.side == .buy ? -fill.notional : fill.notional
        let signedQuantity = fill.side == .buy ? fill.quantity : -fill.quantity
        guard var position = positions[fill.ticker], position.quantity != 0 else {
            open(fill.ticker, quantity: signedQuantity, price: fill.price, time: fill.time, signal: signal)
            return nil
        }
        if (position.quantity > 0) == (signedQuantity > 0) {
            // Adding to the position.
            position.quantity += signedQuantity
            position.costBasis += fill.price * signedQuantity
            position.currentPrice = fill.price
            positions[fill.ticker] = position
            return nil
        }
        // Reducing (and perhaps reversing) the position.
        let held = position.quantity.magnitude
        let closing = min(fill.quantity.magnitude, held)
        let released = position.costBasis.scaled(by: Int64(closing), over: Int64(held))
        let closingValue = fill.price * Int64(closing)
        let realized = position.quantity > 0 ? closingValue - released : -released - closingValue
        realizedPnL += realized
        if realized.raw > 0 { winningCloses += 1 } else { losingCloses += 1 }
        position.quantity += position.quantity > 0 ? -Int64(closing) : Int64(closing)
        position.costBasis -= released
        position.currentPrice = fill.price
        positions[fill.ticker] = position.quantity == 0 ? nil : position
        let rest = Int64(fill.quantity.magnitude - closing)
        if rest > 0 {
            open(fill.ticker, quantity: fill.side == .buy ? rest : -rest, price: fill.price, time: fill.time, signal: signal)
        }
        return realized
    }

    private mutating func open(_ ticker: String, quantity: Int64, price: Price, time: Timestamp, signal: String?) {
        positions[ticker] = Position(ticker: ticker, quantity: quantity, costBasis: price * quantity,
                                     currentPrice: price, openedAt: time, signal: signal)
    }
}
