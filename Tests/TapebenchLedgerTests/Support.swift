import TapebenchCore
import TapebenchExecution
import TapebenchLedger

func p(_ text: String) -> Price { Fixed(parsing: text)! }

func fill(_ side: OrderSide, _ quantity: Int64, _ ticker: String = "AAPL", at price: String, reference: String? = nil,
          commission: String = "0.50", minute: Int64 = 0) -> Fill {
    Fill(orderID: 1, agent: "test", ticker: ticker, side: side, orderType: .market,
         time: Timestamp(seconds: 1_710_163_860).adding(minutes: minute), quantity: quantity, price: p(price),
         referencePrice: p(reference ?? price), commission: p(commission), rule: .marketNextOpen)
}

/// The risk checks' view of an account, as the engine builds it (`RiskContext(account:ticker:)` in
/// TapebenchEngine, which these tests cannot import): for replaying executor fills into an account.
extension Account {
    func riskContext(for ticker: String) -> RiskContext {
        RiskContext(cash: buyingPower, equity: equity, positionQuantity: position(ticker)?.quantity ?? 0, openPositions: positions.count,
                    shortMarketValue: shortMarketValue)
    }
}
