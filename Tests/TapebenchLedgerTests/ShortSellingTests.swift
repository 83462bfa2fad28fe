import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger

@Suite struct ShortSellingTests {
    @Test("short, mark, cover: signed positions keep equity = cash + Σ quantity × price and P&L exact")
    func roundTrip() throws {
        var account = Account(id: 1, agent: "t", initialBalance: Fixed(100_000))
        try account.apply(fill(.sell, 100, at: "50.00", commission: "1"))        // short 100: cash +5 000 − 1
        #expect(account.position("AAPL")?.quantity == -100)
        #expect(account.position("AAPL")?.costBasis == p("-5000"))
        #expect(account.cash == p("104999"))
        #expect(account.buyingPower == p("99999"))                          // the proceeds stay as collateral
        try account.mark("AAPL", at: p("52"))
        #expect(account.unrealizedPnL == p("-200"))
        #expect(account.equity == p("99799"))
        #expect(account.equity - account.initialBalance == account.realizedPnL + account.unrealizedPnL - account.commissions)
        #expect(try account.apply(fill(.buy, 60, at: "45.00", commission: "1")) == p("300"))   // cover 60: (50 − 45) × 60
        #expect(account.position("AAPL")?.quantity == -40)
        #expect(try account.apply(fill(.buy, 40, at: "55.00", commission: "1")) == p("-200"))  // cover 40: (50 − 55) × 40
        #expect(account.position("AAPL") == nil)
        #expect(account.cash == p("100097"))
        #expect(account.realizedPnL == p("100"))
    }

    @Test("a sell larger than the long position closes it and opens a short with the rest")
    func reverse() throws {
        var account = Account(id: 1, agent: "t", initialBalance: Fixed(10_000))
        try account.apply(fill(.buy, 10, at: "20", commission: "0"))
        #expect(try account.apply(fill(.sell, 25, at: "22", commission: "0")) == p("20"))
        #expect(account.position("AAPL")?.quantity == -15)
        #expect(account.position("AAPL")?.costBasis == p("-330"))
        #expect(account.equity == p("10020"))
    }

    @Test("risk: long-only by default; with shorting, the short book is capped")
    func limits() {
        var limits = RiskLimits.reference
        let flat = RiskContext(cash: Fixed(100_000), equity: Fixed(100_000), positionQuantity: 0, openPositions: 0)
        #expect(limits.check(side: .sell, quantity: 10, price: p("100"), commission: p("1"), context: flat)?.code == "exceeds_position")
        limits.maxShortBasisPoints = 3_000
        #expect(limits.check(side: .sell, quantity: 100, price: p("100"), commission: p("1"), context: flat) == nil)
        let shortBook = RiskContext(cash: Fixed(100_000), equity: Fixed(100_000), positionQuantity: 0, openPositions: 1, shortMarketValue: p("-25000"))
        #expect(limits.check(side: .sell, quantity: 100, price: p("100"), commission: p("1"), context: shortBook)?.description
                == "short_exposure: shorts would total $35000.00, 35.00% of equity, limit 30%")
        // Covering needs the cash to buy back, with the covered shares' collateral released.
        let short = RiskContext(cash: p("500"), equity: Fixed(100_000), positionQuantity: -100, openPositions: 1, shortMarketValue: p("-10000"))
        #expect(limits.check(side: .buy, quantity: 100, price: p("100"), commission: p("1"), context: short) == nil)
    }
}
