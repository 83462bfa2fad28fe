import TapebenchCore
import TapebenchLedger

/// What a lane knows about its account at one moment, as plain values: what breakers judge and what an
/// agent may read. Amounts in dollars (fixed point, `Money`).
public struct AccountFacts: Sendable, Hashable {
    public var initialBalance: Money
    public var cash: Money
    /// Cash plus the open positions at their latest marks.
    public var equity: Money
    /// Cash less the collateral of open shorts (cash alone without shorts).
    public var buyingPower: Money
    /// Equity when the trading day's first minute arrived.
    public var dayStartEquity: Money
    /// The highest equity seen after any minute (the initial balance at least).
    public var peakEquity: Money
    public var status: AccountStatus
    /// The daily loss limit tripped today: no new entries until tomorrow.
    public var entriesBlockedToday: Bool

    public init(initialBalance: Money, cash: Money, equity: Money, buyingPower: Money, dayStartEquity: Money, peakEquity: Money,
                status: AccountStatus, entriesBlockedToday: Bool) {
        self.initialBalance = initialBalance
        self.cash = cash
        self.equity = equity
        self.buyingPower = buyingPower
        self.dayStartEquity = dayStartEquity
        self.peakEquity = peakEquity
        self.status = status
        self.entriesBlockedToday = entriesBlockedToday
    }
}
