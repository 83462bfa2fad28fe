import Testing
import TapebenchCore
import TapebenchLedger

/// `booking` works a fill out without changing the account; `book` then books it, exactly as `apply` does.
@Suite struct AccountBookingTests {
    @Test("a booking changes nothing until booked; booked, a buy of 10 at 100 and a sell of 4 at 103 leave what apply leaves")
    func bookingThenBook() throws {
        var account = Account(id: 1, agent: "a", initialBalance: Fixed(100_000))
        let before = account
        let buy = try account.booking(fill(.buy, 10, at: "100"), signal: "s")
        #expect(account == before && buy.realized == nil)
        account.book(buy)
        // 100 000 − 1 000 − 0.50
        #expect(account.cash == p("98999.50") && account.position("AAPL")?.quantity == 10 && account.position("AAPL")?.signal == "s")
        let sell = try account.booking(fill(.sell, 4, at: "103"))
        // 4 × 103 − 4/10 × 1 000 = 12
        #expect(sell.realized == Fixed(12))
        account.book(sell)
        #expect(account.cash == p("99411.00") && account.position("AAPL")?.costBasis == Fixed(600) && account.realizedPnL == Fixed(12))
        var applied = Account(id: 1, agent: "a", initialBalance: Fixed(100_000))
        try applied.apply(fill(.buy, 10, at: "100"), signal: "s")
        try applied.apply(fill(.sell, 4, at: "103"))
        #expect(account == applied)
    }

    @Test("a mark moves the held position's price and value only: 10 AAPL marked 100 → 104 is equity 100 039.00")
    func markByIndex() throws {
        var account = Account(id: 1, agent: "a", initialBalance: Fixed(100_000))
        try account.apply(fill(.buy, 10, at: "100"))
        try account.apply(fill(.buy, 5, "MSFT", at: "50"))
        try account.mark("AAPL", at: p("104"))
        try account.mark("NVDA", at: p("1"))  // not held: nothing
        // Cash 100 000 − 1 000 − 0.50 − 250 − 0.50 = 98 749; positions 10 × 104 + 5 × 50 = 1 290.
        #expect(account.equity == p("100039.00") && account.unrealizedPnL == Fixed(40))
        #expect(account.position("AAPL")?.currentPrice == p("104") && account.position("MSFT")?.currentPrice == p("50"))
        #expect(account.positions.count == 2)
    }
}
