import TapebenchCore
import TapebenchExecution
import TapebenchLedger

extension RiskContext {
    /// What the risk checks need to judge a fill in `ticker`, read from the account. Built here, above both
    /// modules, so that the ledger does not depend on the executor's types (Ledger → Core only).
    public init(account: Account, ticker: String) {
        self.init(cash: account.buyingPower, equity: account.equity, positionQuantity: account.position(ticker)?.quantity ?? 0,
                  openPositions: account.positions.count, shortMarketValue: account.shortMarketValue)
    }
}
