import Testing
import TapebenchCore
import TapebenchLedger

@Suite struct AccountRoundTripTests {
    @Test("buy, add, partial close, mark, close: cash, positions, commissions and P&L reconcile to the cent")
    func roundTrip() throws {
        var account = Account(id: 1, agent: "test", initialBalance: Fixed(100_000))

        // Buy 100 at 50.00 (+ $0.50): cash 94,999.50.
        try account.apply(fill(.buy, 100, at: "50.00"))
        #expect(account.cash == p("94999.50"))
        #expect(account.position("AAPL")?.costBasis == p("5000"))

        // Average in: 50 more at 53.00 → 150 shares costing 7,650; average 51.00.
        try account.apply(fill(.buy, 50, at: "53.00"))
        #expect(account.cash == p("92349.00"))
        #expect(account.position("AAPL")?.averageEntryPrice == p("51.00"))

        // Sell 60 at 55.00: releases 7,650 × 60/150 = 3,060 of cost; realized 3,300 − 3,060 = 240.
        let realized = try account.apply(fill(.sell, 60, at: "55.00"))
        #expect(realized == p("240"))
        #expect(account.cash == p("95648.50"))
        #expect(account.position("AAPL")?.quantity == 90)
        #expect(account.position("AAPL")?.costBasis == p("4590"))

        // Mark at 52.10: unrealized 90 × 52.10 − 4,590 = 99.
        try account.mark("AAPL", at: p("52.10"))
        #expect(account.unrealizedPnL == p("99"))
        #expect(account.equity == p("100337.50"))
        #expect(account.equity - account.initialBalance == account.realizedPnL + account.unrealizedPnL - account.commissions)

        // Close 90 at 49.00: realized 4,410 − 4,590 = −180.
        #expect(try account.apply(fill(.sell, 90, at: "49.00")) == p("-180"))
        #expect(account.position("AAPL") == nil)
        #expect(account.cash == p("100058.00"))
        #expect(account.realizedPnL == p("60"))
        #expect(account.commissions == p("2.00"))
        #expect(account.totalPnL == p("58"))
        #expect(account.winRate == 0.5)
    }

    @Test("marking through a position's index (kept between fills) moves the same sums as marking by ticker")
    func markAtIndex() throws {
        var account = Account(id: 1, agent: "test", initialBalance: Fixed(10_000))
        try account.apply(fill(.buy, 10, "AAPL", at: "100", commission: "0"))   // cash 9,000
        try account.apply(fill(.sell, 5, "MSFT", at: "200", commission: "0"))   // a short: cash 10,000
        #expect(account.positionIndex("NVDA") == nil)
        let aapl = try #require(account.positionIndex("AAPL")), msft = try #require(account.positionIndex("MSFT"))
        try account.mark(at: aapl, p("103"))   // +30
        try account.mark(at: msft, p("190"))   // the short gains 5 × 10 = +50
        try account.mark(at: aapl, p("101"))   // −20
        // Equity 10,000 + 10 × 101 − 5 × 190 = 10,060; unrealized 10 + 50.
        #expect(account.equity == p("10060") && account.unrealizedPnL == p("60") && account.marketValue == p("60"))
        #expect(account.position("AAPL")?.currentPrice == p("101") && account.position("MSFT")?.currentPrice == p("190"))
        var byTicker = Account(id: 1, agent: "test", initialBalance: Fixed(10_000))
        try byTicker.apply(fill(.buy, 10, "AAPL", at: "100", commission: "0"))
        try byTicker.apply(fill(.sell, 5, "MSFT", at: "200", commission: "0"))
        try byTicker.mark("AAPL", at: p("103"))
        try byTicker.mark("MSFT", at: p("190"))
        try byTicker.mark("AAPL", at: p("101"))
        #expect(byTicker == account)
    }

    @Test("marks in place keep the running sums those of the positions: seeded fills and marks, checked against sums over the positions")
    func marksKeepTheSums() throws {
        var random = SplitMix64(seed: 11)
        var account = Account(id: 1, agent: "test", initialBalance: Fixed(1_000_000))
        let tickers = ["AAPL", "MSFT", "NVDA"]
        for step in 0..<400 {
            let ticker = tickers[Int(random.next() % 3)]
            let price = Fixed(raw: Int64(50 + random.next() % 100) * Fixed.scale / 4)
            if step % 7 == 0 {
                try account.apply(fill(random.next() % 2 == 0 ? .buy : .sell, Int64(1 + random.next() % 20), ticker, at: "\(price)", commission: "0"))
            } else if let index = account.positionIndex(ticker) {
                try account.mark(at: index, price)
                #expect(account.position(ticker)?.currentPrice == price)
            }
            let positions = account.positions.values
            let value = positions.reduce(Money.zero) { $0 + $1.marketValue }
            let shorts = positions.filter(\.isShort).reduce(Money.zero) { $0 + $1.marketValue }
            let unrealized = positions.reduce(Money.zero) { $0 + $1.unrealizedPnL }
            #expect(account.marketValue == value && account.equity == account.cash + value)
            #expect(account.shortMarketValue == shorts && account.unrealizedPnL == unrealized)
        }
    }

    @Test("a mark beyond the limits throws and changes nothing, the position's price included")
    func markBeyondLimits() throws {
        var account = Account(id: 1, agent: "test", initialBalance: Fixed(10_000))
        try account.apply(fill(.buy, 1_000, "AAPL", at: "5", commission: "0"))
        let before = account
        let index = try #require(account.positionIndex("AAPL"))
        #expect(throws: AmountOutOfRange.self) { try account.mark(at: index, Fixed(raw: Limits.maxAmount.raw / 10)) }
        #expect(account == before)
    }

    @Test("a partial close of an uneven cost basis loses no fraction of a cent")
    func unevenCost() throws {
        var account = Account(id: 1, agent: "test", initialBalance: Fixed(1_000))
        try account.apply(fill(.buy, 3, at: "10.00", commission: "0"))
        try account.apply(fill(.buy, 1, at: "10.01", commission: "0"))  // cost 40.01 for 4
        let first = try account.apply(fill(.sell, 1, at: "10.00", commission: "0"))!    // releases 10.0025
        let second = try account.apply(fill(.sell, 3, at: "10.00", commission: "0"))!   // releases the remaining 30.0075
        #expect(first + second == p("-0.01"))
        #expect(account.cash == p("999.99"))
    }

    @Test("slippage is tracked apart, and is already inside the price P&L")
    func slippage() throws {
        var account = Account(id: 1, agent: "test", initialBalance: Fixed(10_000))
        try account.apply(fill(.buy, 100, at: "50.005", reference: "50.00", commission: "0"))
        #expect(account.slippage == p("0.50"))
        try account.apply(fill(.sell, 100, at: "49.995", reference: "50.00", commission: "0"))
        #expect(account.slippage == p("1.00"))
        #expect(account.realizedPnL == p("-1.00"))
    }
}
