import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

@Suite struct RiskContextTests {
    func fill(_ side: OrderSide, _ quantity: Int64, _ ticker: String, at price: String) -> Fill {
        Fill(orderID: 1, agent: "t", ticker: ticker, side: side, orderType: .market, time: sessionOpen, quantity: quantity,
             price: Fixed(parsing: price)!, referencePrice: Fixed(parsing: price)!, commission: Fixed(1), rule: .marketNextOpen)
    }

    @Test("the risk checks see buying power (cash less the shorts' collateral), equity, the ticker's shares and the open positions")
    func fromAccount() throws {
        // Given 100 AAPL bought at 50 and 20 MSFT sold short at 100, $1 commission each
        var account = Account(id: 1, agent: "t", initialBalance: Fixed(100_000))
        try account.apply(fill(.buy, 100, "AAPL", at: "50"))
        try account.apply(fill(.sell, 20, "MSFT", at: "100"))
        // When the engine builds the context for each ticker
        let aapl = RiskContext(account: account, ticker: "AAPL"), msft = RiskContext(account: account, ticker: "MSFT")
        let none = RiskContext(account: account, ticker: "NVDA")
        // Then cash 100 000 − 5 001 + 1 999 = 96 998; shorts −2 000; buying power 94 998; equity 96 998 + 5 000 − 2 000
        #expect(aapl.cash == Fixed(94_998))
        #expect(aapl.equity == Fixed(99_998))
        #expect(aapl.shortMarketValue == Fixed(-2_000))
        #expect(aapl.openPositions == 2)
        #expect((aapl.positionQuantity, msft.positionQuantity, none.positionQuantity) == (100, -20, 0))
        #expect(aapl.group == nil)
    }
}
