import Testing
import TapebenchCore
import TapebenchLedger

/// The account keeps Σ market value, Σ cost basis and Σ short value as positions change, instead of summing
/// its positions at every question: after any fills and marks, each equals the sum over the positions.
@Suite struct AccountRunningSumsTests {
    static func summed(_ account: Account) -> (value: Money, unrealized: Money, shorts: Money) {
        let positions = account.sortedPositions
        return (positions.reduce(.zero) { $0 + $1.marketValue }, positions.reduce(.zero) { $0 + $1.unrealizedPnL },
                positions.reduce(.zero) { $1.quantity < 0 ? $0 + $1.marketValue : $0 })
    }

    @Test("hand-checked: long 10 AAPL at 100 marked 104, short 5 MSFT at 50 marked 48: value 1 040 − 240 = 800, unrealized 40 + 10, shorts −240")
    func handChecked() throws {
        var account = Account(id: 1, agent: "a", initialBalance: Fixed(100_000))
        try account.apply(fill(.buy, 10, at: "100"))
        try account.apply(fill(.sell, 5, "MSFT", at: "50"))
        try account.mark("AAPL", at: p("104"))
        try account.mark("MSFT", at: p("48"))
        #expect(account.marketValue == Fixed(800))
        #expect(account.unrealizedPnL == Fixed(50))
        #expect(account.shortMarketValue == Fixed(-240))
        // Closed, crossed, reopened: the sums follow.
        try account.apply(fill(.buy, 8, "MSFT", at: "47"))  // covers 5, opens 3 long at 47
        try account.apply(fill(.sell, 10, at: "105"))        // closes AAPL
        #expect(account.marketValue == Fixed(141) && account.shortMarketValue == .zero && account.unrealizedPnL == .zero)
    }

    @Test("2 000 seeded fills and marks over four tickers, long and short, partial and crossing: the kept sums are the sums")
    func seeded() throws {
        var account = Account(id: 1, agent: "a", initialBalance: Fixed(10_000_000))
        var state: UInt64 = 7
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % bound
        }
        let tickers = ["AAPL", "MSFT", "NVDA", "TSLA"]
        var mismatches = 0
        for step in 0..<2_000 {
            let ticker = tickers[Int(next(4))]
            let price = "\(10 + next(190)).\(next(100))"
            if next(3) == 0 {
                try account.mark(ticker, at: p(price))
            } else {
                try account.apply(fill(next(2) == 0 ? .buy : .sell, Int64(1 + next(40)), ticker, at: price, minute: Int64(step)))
            }
            let summed = Self.summed(account)
            if (account.marketValue, account.unrealizedPnL, account.shortMarketValue) != summed { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(account.positions.count > 0)
    }
}
