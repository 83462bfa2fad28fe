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
    /// Cash available for buys: this is a cash account, long-only, no margin.
    public var buyingPower: Money { cash }
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
        RiskContext(cash: cash, equity: equity, positionQuantity: positions[ticker]?.quantity ?? 0, openPositions: positions.count)
    }

    /// Marks a position to a new price (a bar's close).
    public mutating func mark(_ ticker: String, at price: Price) {
        positions[ticker]?.currentPrice = price
    }

    /// Books a fill; returns the realized price P&L when it closed shares. The executor has already
    /// checked it against the risk limits; a sell beyond the position is a programming error here.
    @discardableResult
    public mutating func apply(_ fill: Fill, signal: String? = nil) -> Money? {
        commissions += fill.commission
        slippage += fill.slippageCost
        cash -= fill.commission
        switch fill.side {
        case .buy:
            cash -= fill.notional
            if var position = positions[fill.ticker] {
                position.quantity += fill.quantity
                position.costBasis += fill.notional
                position.currentPrice = fill.price
                positions[fill.ticker] = position
            } else {
                positions[fill.ticker] = Position(
                    ticker: fill.ticker, quantity: fill.quantity, costBasis: fill.notional,
                    currentPrice: fill.price, openedAt: fill.time, signal: signal)
            }
            return nil
        case .sell:
            guard var position = positions[fill.ticker], position.quantity >= fill.quantity else {
                preconditionFailure("sell of \(fill.quantity) \(fill.ticker) beyond the position; risk checks must reject it")
            }
            cash += fill.notional
            let releasedCost = position.costBasis.scaled(by: fill.quantity, over: position.quantity)
            let realized = fill.notional - releasedCost
            realizedPnL += realized
            if realized.raw > 0 { winningCloses += 1 } else { losingCloses += 1 }
            position.quantity -= fill.quantity
            position.costBasis -= releasedCost
            position.currentPrice = fill.price
            positions[fill.ticker] = position.quantity == 0 ? nil : position
            return realized
        }
    }
}
