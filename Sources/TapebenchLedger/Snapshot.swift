import TapebenchCore

/// An account at the end of a trading day.
public struct AccountSnapshot: Sendable, Hashable, Codable {
    public var date: CivilDate
    public var time: Timestamp
    public var cash: Money
    public var marketValue: Money
    public var equity: Money
    public var realizedPnL: Money
    public var unrealizedPnL: Money
    public var commissions: Money
    public var openPositions: Int
    /// Sharpe of daily returns up to and including this day; nil until there are
    /// `minimumReturnsForSharpe` of them (a Sharpe of two or three days is noise: it read 275.7 on day 2).
    public var sharpe: Double?
    /// Drawdown from the running peak of daily equity, as a fraction (0.05 = 5 %).
    public var drawdown: Double

    public init(date: CivilDate, time: Timestamp, cash: Money, marketValue: Money, equity: Money, realizedPnL: Money,
                unrealizedPnL: Money, commissions: Money, openPositions: Int, sharpe: Double?, drawdown: Double) {
        self.date = date
        self.time = time
        self.cash = cash
        self.marketValue = marketValue
        self.equity = equity
        self.realizedPnL = realizedPnL
        self.unrealizedPnL = unrealizedPnL
        self.commissions = commissions
        self.openPositions = openPositions
        self.sharpe = sharpe
        self.drawdown = drawdown
    }
}

extension AccountSnapshot {
    /// Daily returns a snapshot's Sharpe needs (the first against the initial balance): about a trading month.
    public static let minimumReturnsForSharpe = 20
}

extension Account {
    /// The account as of now, with statistics over the previous snapshots plus this one.
    public func snapshot(date: CivilDate, time: Timestamp, previous: [AccountSnapshot]) -> AccountSnapshot {
        snapshot(date: date, time: time, previousEquities: previous.map(\.equity))
    }

    /// The same, from the equities of the previous snapshots alone (all a running lane keeps of them).
    public func snapshot(date: CivilDate, time: Timestamp, previousEquities: [Money]) -> AccountSnapshot {
        let equities = [initialBalance] + previousEquities + [equity]
        return AccountSnapshot(
            date: date, time: time, cash: cash, marketValue: marketValue, equity: equity, realizedPnL: realizedPnL,
            unrealizedPnL: unrealizedPnL, commissions: commissions, openPositions: positions.count,
            sharpe: equities.count - 1 >= AccountSnapshot.minimumReturnsForSharpe ? Performance.sharpe(dailyReturns: Performance.returns(equities)) : nil,
            drawdown: Performance.currentDrawdown(equities))
    }
}
