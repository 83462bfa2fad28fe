import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine

/// A fill books on the lane's account and its totals together, or on neither.
@Suite struct LaneBookingTests {
    static let monday = CivilDate(year: 2024, month: 3, day: 11)

    static func fill(_ side: OrderSide, _ quantity: Int64, at price: String, commission: Money) -> Fill {
        Fill(orderID: 1, agent: "t", ticker: "AAPL", side: side, orderType: .market, time: sessionOpen.adding(minutes: 1), quantity: quantity,
             price: Fixed(parsing: price)!, referencePrice: Fixed(parsing: price)!, commission: commission, rule: .marketNextOpen)
    }

    @Test("a buy of 10 at 100 with $0.50 commission books on both: cash 98 999.50, one fill, AAPL's commissions 0.50")
    func booksBoth() throws {
        var account = Account(id: 1, agent: "t", initialBalance: Fixed(100_000))
        var totals = LaneTotals()
        let realized = try LaneTotals.book(Self.fill(.buy, 10, at: "100", commission: p("0.50")), signal: "s", openingSignal: "s", date: Self.monday,
                                           account: &account, totals: &totals)
        #expect(realized == nil)
        #expect(account.cash == Fixed(parsing: "98999.50") && account.position("AAPL")?.quantity == 10)
        #expect(totals.fills == 1 && totals.perTicker["AAPL"]?.commissions == Fixed(parsing: "0.50"))
    }

    @Test("a fill the totals refuse (AAPL's commissions already at $10 000 000 000) leaves the account and the totals as they were")
    func totalsRefuse() throws {
        var account = Account(id: 1, agent: "t", initialBalance: Fixed(100_000))
        var totals = LaneTotals()
        // The totals alone took a commission of the whole bound in AAPL: one cent more is past it.
        try totals.book(Self.fill(.buy, 1, at: "1", commission: Limits.maxAmount), realized: nil, openingSignal: nil, date: Self.monday)
        let (accountBefore, totalsBefore) = (account, totals)
        #expect(throws: AmountOutOfRange.self) {
            try LaneTotals.book(Self.fill(.buy, 10, at: "100", commission: p("0.01")), signal: "s", openingSignal: "s", date: Self.monday,
                                account: &account, totals: &totals)
        }
        #expect(account == accountBefore)
        #expect(totals == totalsBefore)
    }

    @Test("a fill the account refuses (a buy worth more than the bound) leaves the account and the totals as they were")
    func accountRefuses() throws {
        var account = Account(id: 1, agent: "t", initialBalance: Fixed(100_000))
        var totals = LaneTotals()
        let (accountBefore, totalsBefore) = (account, totals)
        #expect(throws: AmountOutOfRange.self) {
            // 200 000 000 × $100 = $20 000 000 000 of cash spent: past the bound.
            try LaneTotals.book(Self.fill(.buy, 200_000_000, at: "100", commission: .zero), signal: nil, openingSignal: nil, date: Self.monday,
                                account: &account, totals: &totals)
        }
        #expect(account == accountBefore && totals == totalsBefore)
    }
}

private func p(_ text: String) -> Money { Fixed(parsing: text)! }
