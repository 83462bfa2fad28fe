import Testing
import TapebenchCore
import TapebenchExecution

@Suite struct SlippageFormulaTests {
    // Range 2.00 (99 → 101), open 100, volume 10 000.
    let b = bar("100.00", "101.00", "99.00", "100.50", volume: 10_000)

    @Test("cents per share")
    func cents() {
        let model = SlippageSpec.centsPerShare(p("0.02")).model
        #expect(model.price(reference: p("100"), side: .buy, quantity: 10, bar: b) == p("100.02"))
        #expect(model.price(reference: p("100"), side: .sell, quantity: 10, bar: b) == p("99.98"))
    }

    @Test("half the range times a factor: 0.5 × 2.00 / 2 = 0.50")
    func halfRange() {
        #expect(SlippageSpec.halfRange(factor: p("0.5")).model.price(reference: p("100"), side: .buy, quantity: 10, bar: b) == p("100.50"))
    }

    @Test("volume share: 0.1 × (1 000 / 10 000)² = 0.1 % → 100.10")
    func volumeShare() {
        #expect(SlippageSpec.volumeShare(impact: p("0.1")).model.price(reference: p("100"), side: .buy, quantity: 1_000, bar: b) == p("100.10"))
    }

    @Test("square-root impact: 1 × (2 / 100) × √(100 / 10 000) = 0.2 % → 99.80 for a sell")
    func squareRoot() {
        #expect(SlippageSpec.squareRootImpact(k: p("1")).model.price(reference: p("100"), side: .sell, quantity: 100, bar: b) == p("99.80"))
    }

    @Test("a zero-volume bar adds no impact (and fills nothing under a participation cap)")
    func zeroVolume() {
        let empty = bar("100", "101", "99", "100", volume: 0)
        #expect(SlippageSpec.squareRootImpact(k: p("1")).model.price(reference: p("100"), side: .buy, quantity: 100, bar: empty) == p("100"))
    }
}

@Suite struct CommissionFormulaTests {
    @Test("per share with a minimum and a maximum share of notional")
    func perShare() throws {
        let model = CommissionSpec.perShare(rate: p("0.005"), minimum: p("1"), maximumBasisPoints: 100, regulatoryFees: false).model
        #expect(try model.commission(side: .buy, quantity: 100, price: p("50"), firstFillOfOrder: true) == p("1"))       // 0.50 → minimum 1
        #expect(try model.commission(side: .buy, quantity: 1_000, price: p("50"), firstFillOfOrder: true) == p("5"))     // 5.00
        #expect(try model.commission(side: .buy, quantity: 1_000, price: p("0.10"), firstFillOfOrder: true) == p("1"))   // cap 1 % of 100 = 1
    }

    @Test("per order charges the first fill only")
    func perOrder() throws {
        let model = CommissionSpec.perOrder(p("1")).model
        #expect(try model.commission(side: .buy, quantity: 10, price: p("5"), firstFillOfOrder: true) == p("1"))
        #expect(try model.commission(side: .buy, quantity: 10, price: p("5"), firstFillOfOrder: false) == .zero)
    }

    @Test("a percentage of notional")
    func percent() throws {
        #expect(try CommissionSpec.percentOfNotional(basisPoints: 10, regulatoryFees: false).model.commission(side: .buy, quantity: 100, price: p("25"), firstFillOfOrder: true) == p("2.50"))
    }

    @Test("regulatory fees on sells: SEC $27.80 per million, FINRA $0.000166 per share capped at $8.30")
    func fees() throws {
        // Sell 1 000 at $100: SEC 100 000 × 27.80 / 1 000 000 = 2.78; FINRA 0.166.
        #expect(try RegulatoryFees.onSell(quantity: 1_000, price: p("100")) == p("2.946"))
        // FINRA cap: 100 000 shares × 0.000166 = 16.60 → 8.30; SEC on $100 000 = 2.78.
        #expect(try RegulatoryFees.onSell(quantity: 100_000, price: p("1")) == p("11.08"))
        let model = CommissionSpec.percentOfNotional(basisPoints: 0, regulatoryFees: true).model
        #expect(try model.commission(side: .buy, quantity: 1_000, price: p("100"), firstFillOfOrder: true) == .zero)
        #expect(try model.commission(side: .sell, quantity: 1_000, price: p("100"), firstFillOfOrder: true) == p("2.946"))
    }
}

@Suite struct ParticipationTests {
    let context = RiskContext(cash: Fixed(1_000_000), equity: Fixed(1_000_000), positionQuantity: 0, openPositions: 0)

    func executor(_ bps: Int64) -> VirtualExecutor {
        var spec = FillModelSpec.seed
        spec.participation = Participation(maxBasisPoints: bps)
        spec.slippage = .basisPoints(.zero)
        return VirtualExecutor(model: ConfigurableFillModel(spec), risk: RiskLimits(maxPositionBasisPoints: 10_000, maxOpenPositions: 10, minCashReserveBasisPoints: 0))
    }

    @Test("a 10 % cap spreads 250 shares over bars of 1 000, 1 000 and 800 shares: 100, 100, 50")
    func spreads() {
        var o = order(.buy, .market, quantity: 250)
        var fills: [Fill] = []
        for (minute, volume) in [(Int64(0), 1_000.0), (1, 1_000), (2, 800)] {
            guard case .filled(let fill) = executor(1_000).execute(o, on: bar("10", "10", "10", "10", minute: minute, volume: volume), context: context) else {
                Issue.record("no fill at minute \(minute)"); return
            }
            fills.append(fill)
            o.filledQuantity += fill.quantity
        }
        #expect(fills.map(\.quantity) == [100, 100, 50])
        #expect(fills.map(\.rule) == [.participationPartial, .participationPartial, .marketNextOpen])
        #expect(o.remainingQuantity == 0)
    }

    @Test("a zero-volume bar fills nothing")
    func zeroVolume() {
        #expect(executor(1_000).execute(order(.buy, .market, quantity: 10), on: bar("10", "10", "10", "10", volume: 0), context: context) == .none)
    }
}

@Suite struct ConservativeSlippageTests {
    @Test("a limit filled at a gapped open pays slippage but never more than its limit")
    func limitCap() {
        var spec = FillModelSpec.conservative
        spec.participation = nil
        spec.limit.gapFillsAtOpen = true  // conservative itself fills limits at the limit; the cap is what is tested
        spec.slippage = .basisPoints(Fixed(100))  // 1 %
        let executor = VirtualExecutor(model: ConfigurableFillModel(spec), risk: RiskLimits(maxPositionBasisPoints: 10_000, maxOpenPositions: 10, minCashReserveBasisPoints: 0))
        let context = RiskContext(cash: Fixed(1_000_000), equity: Fixed(1_000_000), positionQuantity: 0, openPositions: 0)
        // Buy limit 99.50; the bar opens at 99.00: fill at the open + 1 % = 99.99 → held at the limit 99.50.
        guard case .filled(let fill) = executor.execute(order(.buy, .limit, limit: "99.50"), on: bar("99.00", "99.80", "98.50", "99.20"), context: context) else {
            Issue.record("no fill"); return
        }
        #expect(fill.price == p("99.50"))
        #expect(fill.rule == .limitGapOpen)
    }
}
