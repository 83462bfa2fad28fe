import Testing
import TapebenchCore
import TapebenchExecution

@Suite struct CostModelTests {
    @Test("1 bp slippage moves a buy up and a sell down, rounded half to even")
    func basisPoints() {
        let slippage = FixedBasisPointsSlippage(basisPoints: 1)
        let b = bar("100.00", "101.00", "99.00", "100.50")
        #expect(slippage.price(reference: p("100.00"), side: .buy, quantity: 10, bar: b) == p("100.01"))
        #expect(slippage.price(reference: p("100.00"), side: .sell, quantity: 10, bar: b) == p("99.99"))
        // 167.41 × 1.0001 = 167.426741 exactly.
        #expect(slippage.price(reference: p("167.41"), side: .buy, quantity: 1, bar: b) == p("167.426741"))
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
