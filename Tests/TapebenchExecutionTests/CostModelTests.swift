import Testing
import TapebenchCore
import TapebenchExecution

@Suite struct CostModelTests {
    @Test("1 bp slippage moves a buy up and a sell down, rounded half to even")
    func basisPoints() {
        let slippage = FixedBasisPointsSlippage(basisPoints: Fixed(1))
        let b = bar("100.00", "101.00", "99.00", "100.50")
        #expect(slippage.price(reference: p("100.00"), side: .buy, quantity: 10, bar: b) == p("100.01"))
        #expect(slippage.price(reference: p("100.00"), side: .sell, quantity: 10, bar: b) == p("99.99"))
        // 167.41 × 1.0001 = 167.426741 exactly.
        #expect(slippage.price(reference: p("167.41"), side: .buy, quantity: 1, bar: b) == p("167.426741"))
    }

    @Test("fractional bps: exact in fixed point, the price rounded once, ties to even on a buy and a sell")
    func fractionalBasisPoints() {
        let b = bar("100.00", "101.00", "99.00", "100.50")
        func price(_ bps: String, _ reference: String, _ side: OrderSide) -> Price? {
            FixedBasisPointsSlippage(basisPoints: p(bps)).price(reference: p(reference), side: side, quantity: 1, bar: b)
        }
        // 1.5 bp of $100.01 is $0.01500150 exactly: nothing to round.
        #expect(price("1.5", "100.01", .buy) == p("100.0250015"))
        #expect(price("1.5", "100.01", .sell) == p("99.9949985"))
        // 1.5 bp of $100.0001 is $0.015000015: a tie at the ninth digit. Buy 100.015100015 → 100.01510002 (even),
        // sell 99.985099985 → 99.98509998 (even): the one rule, not "against the trader".
        #expect(price("1.5", "100.0001", .buy) == p("100.01510002"))
        #expect(price("1.5", "100.0001", .sell) == p("99.98509998"))
        // 0.25 bp of $100.0001 is $0.0025000025: buy 100.0026000025 → 100.0026, sell 99.9975999975 → 99.9976.
        #expect(price("0.25", "100.0001", .buy) == p("100.0026"))
        #expect(price("0.25", "100.0001", .sell) == p("99.9976"))
        // 0.25 bp of $100.0002 is $0.002500005: ties, buy 100.002700005 → 100.0027, sell 99.997699995 → 99.9977.
        #expect(price("0.25", "100.0002", .buy) == p("100.0027"))
        #expect(price("0.25", "100.0002", .sell) == p("99.9977"))
    }

    @Test("the summary prints whole bps as before and fractional ones with their decimals")
    func summary() {
        var spec = FillModelSpec.seed
        #expect(spec.summary.contains("slippage 1 bp"))
        spec.slippage = .basisPoints(p("1.5"))
        #expect(spec.summary.contains("slippage 1.5 bp"))
        spec.slippage = .basisPoints(p("0.2500"))
        #expect(spec.summary.contains("slippage 0.25 bp"))
    }

    @Test("the seed commission is $0.50 per fill, whatever its size")
    func perFill() throws {
        let commission = PerFillCommission(amount: p("0.50"))
        #expect(try commission.commission(side: .buy, quantity: 1, price: p("10"), firstFillOfOrder: true) == p("0.50"))
        #expect(try commission.commission(side: .sell, quantity: 10_000, price: p("500"), firstFillOfOrder: false) == p("0.50"))
    }

    @Test("the executor applies slippage to market orders only and records the reference price")
    func executor() {
        let executor = VirtualExecutor(model: ConfigurableFillModel.seed, risk: .reference)
        let context = RiskContext(cash: Fixed(100_000), equity: Fixed(100_000), positionQuantity: 0, openPositions: 0)
        let b = bar("100.00", "101.00", "99.00", "100.50")
        guard case .filled(let market) = executor.execute(order(.buy, .market), on: b, context: context) else {
            Issue.record("market order did not fill"); return
        }
        #expect(market.price == p("100.01"))
        #expect(market.referencePrice == p("100.00"))
        #expect(market.slippageCost == p("0.10"))
        #expect(market.commission == p("0.50"))
        #expect(market.time == b.end)
        guard case .filled(let limit) = executor.execute(order(.buy, .limit, limit: "99.50"), on: b, context: context) else {
            Issue.record("limit order did not fill"); return
        }
        #expect(limit.price == p("99.50"))
        #expect(limit.slippageCost == .zero)
    }
}
