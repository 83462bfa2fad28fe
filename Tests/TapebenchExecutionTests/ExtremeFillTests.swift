import PropertyBased
import Testing
import TapebenchCore
import TapebenchExecution

/// The fill rules, slippage and commission models, risk checks and the executor driven with extreme bars,
/// orders and accounts. Every outcome is nothing, a trigger, a fill whose amounts a run may hold, or a
/// rejection with a reason: never a trap.
@Suite struct ExtremeFillTests {
    static let raws: [Int64] = [
        0, 1, -1, 10_000_000_000, 10_100_000_000, 9_900_000_000, Limits.maxPrice.raw, Limits.maxPrice.raw + 1, -Limits.maxPrice.raw,
        Limits.maxAmount.raw, .max, .min, .max - 1, .min + 1,
    ]
    static let raw = zip(Gen.int(in: 0...(raws.count * 2)), Gen.int64(), Gen.int(in: 0...63)).map { i, r, s in i < raws.count ? raws[i] : r >> Int64(s) }
    static let volumes: [Double] = [0, -1, 0.5, 1, 1_000, 1e15, 9.3e19, 1.7e308, .infinity, -.infinity, .nan, .leastNonzeroMagnitude]
    static let volume = zip(Gen.int(in: 0...(volumes.count * 2)), Gen.double(in: -1e20...1e20)).map { i, v in i < volumes.count ? volumes[i] : v }
    static let quantities: [Int64] = [1, 100, 100_000_000, Limits.maxShares, Limits.maxShares + 1, .max, 9_000_000_000_000_000_000]
    static let quantity = zip(Gen.int(in: 0...(quantities.count * 2)), Gen.int64(in: 1...Int64.max), Gen.int(in: 0...62))
        .map { i, q, s in i < quantities.count ? quantities[i] : max(1, q >> Int64(s)) }

    /// Every preset, and each part of a model at the largest value a scenario allows.
    static let models: [FillModelSpec] = {
        var specs: [FillModelSpec] = [.seed, .conservative, .backtrader]
        let parts: [(inout FillModelSpec) -> Void] = [
            { $0.slippage = .basisPoints(Fixed(10_000)) }, { $0.slippage = .centsPerShare(Fixed(100)) }, { $0.slippage = .halfRange(factor: Fixed(100)) },
            { $0.slippage = .volumeShare(impact: Fixed(100)) }, { $0.slippage = .squareRootImpact(k: Fixed(100)) },
            { $0.commission = .perShare(rate: Fixed(100), minimum: Fixed(10_000), maximumBasisPoints: 10_000, regulatoryFees: true) },
            { $0.commission = .percentOfNotional(basisPoints: 10_000, regulatoryFees: true) }, { $0.commission = .perOrder(Fixed(10_000)) },
            { $0.participation = Participation(maxBasisPoints: 10_000) }, { $0.marketTiming = .nextClose },
            { $0.limit = LimitRule(throughTicks: 1_000, gapFillsAtOpen: true); $0.tickSize = Fixed(1_000) },
            { $0.intrabarPath = .nearestFirst; $0.stop = .gapAware }, { $0.intrabarPath = .openLowHighClose; $0.slippageCappedToBar = true },
        ]
        for (i, part) in parts.enumerated() {
            var spec = FillModelSpec.conservative
            spec.name = "extreme-\(i)"
            part(&spec)
            specs.append(spec)
        }
        return specs
    }()

    struct Case {
        var model: Int, side: OrderSide, type: OrderType, quantity: Int64, limit: Int64, stop: Int64, triggered: Bool
        var open: Int64, high: Int64, low: Int64, close: Int64, volume: Double
        var cash: Int64, equity: Int64, held: Int64, shorts: Bool
    }

    static let cases = zip(
        zip(Gen.int(in: 0...(models.count - 1)), Gen.bool, Gen.int(in: 0...3), quantity, raw, raw, Gen.bool),
        zip(raw, raw, raw, raw, volume),
        zip(raw, raw, Gen.int64(in: -Limits.maxShares...Limits.maxShares), Gen.bool)
    ).map { order, bar, account in
        Case(model: order.0, side: order.1 ? .buy : .sell, type: OrderType.allCases[order.2], quantity: order.3, limit: order.4, stop: order.5,
             triggered: order.6, open: bar.0, high: bar.1, low: bar.2, close: bar.3, volume: bar.4,
             cash: account.0, equity: account.1, held: account.2, shorts: account.3)
    }

    @Test("extreme bars, orders and accounts under every model: nothing, a bounded fill, or a rejection with a reason")
    func extremes() async {
        await propertyCheck(count: 2_000, input: Self.cases) { c in
            var risk = RiskLimits.reference
            if c.shorts { risk.maxShortBasisPoints = 10_000 }
            let executor = VirtualExecutor(model: ConfigurableFillModel(Self.models[c.model]), risk: risk)
            var order = Order(id: 1, agent: "prop", ticker: "AAA", side: c.side, type: c.type, quantity: c.quantity,
                              limitPrice: Fixed(raw: c.limit), stopPrice: Fixed(raw: c.stop), submittedAt: Timestamp(nanoseconds: 0), purpose: "prop")
            order.stopTriggered = c.triggered
            let bar = Bar(ticker: "AAA", start: Timestamp(nanoseconds: 0), open: Fixed(raw: c.open), high: Fixed(raw: c.high),
                          low: Fixed(raw: c.low), close: Fixed(raw: c.close), volume: c.volume)
            let context = RiskContext(cash: Fixed(raw: c.cash), equity: Fixed(raw: c.equity), positionQuantity: c.held, openPositions: 3,
                                      group: ("g", Fixed(raw: c.limit)), shortMarketValue: Fixed(raw: c.stop == .min ? .min : -abs(c.stop)))
            for outcome in [executor.execute(order, on: bar, context: context), executor.executeAtDecision(order, decisionBar: bar, context: context)] {
                switch outcome {
                case .none, .triggered:
                    break
                case .filled(let fill):
                    #expect(fill.quantity >= 1 && fill.quantity <= order.remainingQuantity)
                    #expect(Limits.priceProblem(fill.price) == nil)
                    #expect(fill.wideNotional.magnitude <= Limits.maxAmount.wide.magnitude)
                    #expect(fill.commission.wide.magnitude <= Limits.maxAmount.wide.magnitude)
                    #expect(fill.wideSlippageCost.magnitude <= Limits.maxAmount.wide.magnitude)
                    _ = (fill.notional, fill.slippageCost)
                case .rejected(let rejection):
                    #expect(!rejection.description.isEmpty && rejection.description.hasPrefix(rejection.code + ":"))
                }
            }
            // The rules on their own, and the orderings the engine asks of them.
            for path in IntrabarPath.allCases {
                _ = IntrabarRules.sequence([order, order, Order(id: 2, agent: "p", ticker: "AAA", side: .buy, type: .market, quantity: 1,
                                                                 submittedAt: Timestamp(nanoseconds: 0), purpose: "p")], bar: bar, path: path)
                _ = IntrabarRules.firstExit(long: c.side == .buy, stop: Fixed(raw: c.stop), target: Fixed(raw: c.limit), bar: bar, path: path)
                _ = IntrabarRules.stopLimit(side: c.side, stop: Fixed(raw: c.stop), limit: Fixed(raw: c.limit), quantity: c.quantity, bar: bar, path: path)
                _ = IntrabarRules.firstReach(Fixed(raw: c.limit), highFirst: c.triggered, bar: bar)
            }
        }
    }

    @Test("each slippage model at the largest value a scenario allows: a price or nil, never a trap", arguments: [
        SlippageSpec.basisPoints(Fixed(10_000)), .basisPoints(Fixed(raw: .max)), .centsPerShare(Fixed(raw: .max)), .halfRange(factor: Fixed(raw: .max)),
        .volumeShare(impact: Fixed(raw: .max)), .squareRootImpact(k: Fixed(raw: .max)),
    ])
    func slippageModels(spec: SlippageSpec) {
        let bars = [
            Bar(ticker: "X", start: Timestamp(nanoseconds: 0), open: Fixed(raw: 1), high: Fixed(raw: .max), low: Fixed(raw: .min), close: Fixed(raw: 1), volume: 1e-300),
            Bar(ticker: "X", start: Timestamp(nanoseconds: 0), open: Fixed(raw: .max), high: Fixed(raw: .max), low: Fixed(raw: .max), close: Fixed(raw: .max), volume: .nan),
        ]
        for bar in bars {
            for side in OrderSide.allCases {
                for reference in [Fixed(raw: .max), Fixed(raw: .min), Fixed(raw: 1), .zero] {
                    _ = spec.model.price(reference: reference, side: side, quantity: .max, bar: bar)
                }
            }
        }
        // Where the answer is known: a buy of 1 bp on $100 and 10 000 bp on Int64.max (beyond the range).
        #expect(SlippageSpec.basisPoints(Fixed(1)).model.price(reference: Fixed(100), side: .buy, quantity: 1, bar: bars[0]) == Fixed(raw: 10_001_000_000))
        #expect(SlippageSpec.basisPoints(Fixed(10_000)).model.price(reference: Fixed(raw: .max), side: .buy, quantity: 1, bar: bars[0]) == nil)
        #expect(SlippageSpec.basisPoints(Fixed(10_000)).model.price(reference: Fixed(raw: .max), side: .sell, quantity: 1, bar: bars[0]) == .zero)
    }

    @Test("commission models on a notional beyond what a run may hold throw; within it, they are exact")
    func commissionModels() throws {
        let models = [CommissionSpec.perShare(rate: Fixed(100), minimum: .zero, maximumBasisPoints: 10_000, regulatoryFees: true),
                      .percentOfNotional(basisPoints: 10_000, regulatoryFees: true)].map(\.model)
        for model in models {
            #expect(throws: AmountOutOfRange.self) { try model.commission(side: .sell, quantity: .max, price: Fixed(raw: .max), firstFillOfOrder: true) }
            #expect(throws: AmountOutOfRange.self) { try model.commission(side: .sell, quantity: Limits.maxShares, price: Fixed(1), firstFillOfOrder: true) }
        }
        // FINRA's fee on 10^15 shares is capped at $8.30; SEC's on $10 000 000 000 sold is $278 000.
        #expect(try RegulatoryFees.onSell(quantity: 10_000_000_000, price: Fixed(1)) == Fixed(278_000) + Fixed(raw: 830_000_000))
        // $100 a share on 10^6 shares at $0.001 is $100 000 000 before the cap: capped to 100 % of the $1 000 notional.
        #expect(try models[0].commission(side: .buy, quantity: 1_000_000, price: Fixed(raw: 100_000), firstFillOfOrder: true) == Fixed(1_000))
    }

    @Test("the participation cap of any volume: 0 for no volume or NaN, ⌊volume × share⌋, at most 10^15 shares", arguments: [
        (0, 0), (-1e20, 0), (Double.nan, 0), (9.9, 0), (10, 1), (1_000, 100), (9.3e19, Limits.maxShares), (1.7e308, Limits.maxShares), (Double.infinity, Limits.maxShares),
    ] as [(Double, Int64)])
    func participation(volume: Double, shares: Int64) {
        #expect(Participation(maxBasisPoints: 1_000).shares(ofVolume: volume) == shares)
    }

    @Test("a risk check with a tiny equity and a large position reports a large percentage, not an overflow")
    func percentages() {
        let rejection = RiskLimits.reference.check(side: .buy, quantity: 100_000_000, price: Fixed(100), commission: .zero,
                                                   context: RiskContext(cash: Limits.maxAmount, equity: Fixed(raw: 1), positionQuantity: 0, openPositions: 0))
        #expect(rejection?.description == "position_size: $10000000000.00 would be 100000000000000000000.00% of equity $0.00, limit 20%")
    }
}
