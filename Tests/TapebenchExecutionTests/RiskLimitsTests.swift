import Testing
import TapebenchCore
import TapebenchExecution

@Suite struct RiskLimitsTests {
    let limits = RiskLimits.reference
    let fee = Fixed(parsing: "0.50")!

    func context(cash: String = "100000", equity: String = "100000", held: Int64 = 0, open: Int = 0) -> RiskContext {
        RiskContext(cash: p(cash), equity: p(equity), positionQuantity: held, openPositions: open)
    }

    @Test("within every limit: no rejection")
    func allowed() {
        // 100 × $100 = $10,000: 10 % of equity, cash left 90 %.
        #expect(limits.check(side: .buy, quantity: 100, price: p("100"), commission: fee, context: context()) == nil)
    }

    @Test("buying power: cost plus commission above cash")
    func buyingPower() {
        let rejection = limits.check(side: .buy, quantity: 100, price: p("100"), commission: fee, context: context(cash: "10000"))
        #expect(rejection == .buyingPower(required: p("10000.50"), available: p("10000")))
        #expect(rejection?.description == "buying_power: needs $10000.50, has $10000.00")
    }

    @Test("position size: more than 20 % of equity after the fill")
    func positionSize() {
        // 201 × $100 = $20,100 > $20,000.
        let rejection = limits.check(side: .buy, quantity: 201, price: p("100"), commission: fee, context: context())
        #expect(rejection?.code == "position_size")
        #expect(rejection?.description == "position_size: $20100.00 would be 20.10% of equity $100000.00, limit 20%")
        // Exactly 20 % is allowed.
        #expect(limits.check(side: .buy, quantity: 200, price: p("100"), commission: fee, context: context()) == nil)
        // Adding to a held position counts the whole position.
        #expect(limits.check(side: .buy, quantity: 50, price: p("100"), commission: fee, context: context(held: 151))?.code == "position_size")
    }

    @Test("open positions: a new ticker when ten are open")
    func openPositions() {
        let rejection = limits.check(side: .buy, quantity: 10, price: p("100"), commission: fee, context: context(open: 10))
        #expect(rejection == .openPositions(open: 10, limit: 10))
        #expect(rejection?.description == "max_positions: 10 positions open, limit 10")
        // Adding to one of the ten is allowed.
        #expect(limits.check(side: .buy, quantity: 10, price: p("100"), commission: fee, context: context(held: 5, open: 10)) == nil)
    }

    @Test("cash reserve: less than 5 % of equity left in cash")
    func cashReserve() {
        // Cash $20,000 of equity $100,000; buying $15,100 leaves $4,899.50 = 4.90 %.
        let rejection = limits.check(side: .buy, quantity: 151, price: p("100"), commission: fee, context: context(cash: "20000"))
        #expect(rejection == .cashReserve(cashAfter: p("4899.50"), equity: p("100000"), minimumBasisPoints: 500))
        #expect(rejection?.description == "cash_reserve: $4899.50 cash left would be 4.90% of equity, minimum 5%")
    }

    @Test("long-only: a sell beyond the position is rejected; within it, always allowed")
    func sells() {
        #expect(limits.check(side: .sell, quantity: 11, price: p("100"), commission: fee, context: context(held: 10))
                == .exceedsPosition(quantity: 11, held: 10))
        #expect(limits.check(side: .sell, quantity: 10, price: p("100"), commission: fee, context: context(cash: "0", held: 10, open: 10)) == nil)
    }

    @Test("the executor stores the rejection instead of filling")
    func executorRejects() {
        let executor = VirtualExecutor(model: ConfigurableFillModel.seed, risk: limits)
        let outcome = executor.execute(order(.buy, .market, quantity: 1_000), on: bar("100", "101", "99", "100"), context: context())
        guard case .rejected(let rejection) = outcome else { Issue.record("expected a rejection"); return }
        #expect(rejection == .buyingPower(required: p("100010.50"), available: p("100000")))
    }
}

@Suite struct GroupExposureTests {
    @Test("a buy that takes a group of correlated tickers above its limit is rejected with the group named")
    func group() {
        var limits = RiskLimits.reference
        limits.maxGroupBasisPoints = 3_000
        let context = RiskContext(cash: Fixed(100_000), equity: Fixed(100_000), positionQuantity: 0, openPositions: 1,
                                  group: (name: "tech", otherValue: Fixed(15_000)))
        // 15 000 held in the group + 160 × 100 = 31 000 > 30 %.
        let rejection = limits.check(side: .buy, quantity: 160, price: p("100"), commission: p("0.50"), context: context)
        #expect(rejection?.description == "group_exposure: group 'tech' would hold $31000.00, 31.00% of equity, limit 30%")
        #expect(limits.check(side: .buy, quantity: 150, price: p("100"), commission: p("0.50"), context: context) == nil)
    }
}
