import Foundation
import TapebenchCalibration
import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import Testing

/// Reference prices and shortfalls on two hand-made bars (2024-03-11, 09:30 and 09:31 EDT).
@Suite struct ReferenceTests {
    static let t0 = Timestamp(seconds: 1_710_163_800)
    static func price(_ text: String) -> Price { Fixed(parsing: text)! }
    static let bars = RecordedBars(["XYZ": [
        RecordedBar(start: t0, open: price("100"), high: price("101"), low: price("99"), close: price("100.5"), volume: 1_000),
        RecordedBar(start: t0.adding(minutes: 1), open: price("100.4"), high: price("100.8"), low: price("100"), close: price("100.6"), volume: 2_000),
    ]])

    static func fill(_ side: OrderSide, _ quantity: Int64, _ px: String, seconds: Int64 = 90, decided: Int64? = nil, ticker: String = "XYZ") -> ObservedFill {
        ObservedFill(time: t0.adding(nanoseconds: seconds * 1_000_000_000), decisionTime: decided.map { t0.adding(nanoseconds: $0 * 1_000_000_000) },
                     ticker: ticker, side: side, quantity: quantity, price: price(px), line: 2)
    }

    static func one(_ fill: ObservedFill, _ reference: ReferenceChoice) throws -> OrderObservation {
        let matched = OrderMatching.observations([fill], bars: bars, reference: reference, file: "f.csv")
        #expect(matched.problems.isEmpty, "\(matched.problems)")
        return try #require(matched.orders.first)
    }

    @Test("next open: the open of the fill's minute bar; the shortfall is signed against the trader", arguments: [
        (OrderSide.buy, "100.45", (100.45 - 100.4) / 100.4 * 10_000),
        (.sell, "100.35", (100.4 - 100.35) / 100.4 * 10_000),
        (.sell, "100.45", -(100.45 - 100.4) / 100.4 * 10_000),
    ])
    func nextOpen(side: OrderSide, px: String, expected: Double) throws {
        let order = try Self.one(Self.fill(side, 200, px), .nextOpen)
        #expect(order.reference == Self.price("100.4"))
        #expect(abs(order.shortfallBps - expected) < 1e-9)
    }

    @Test("the close reference is the decision bar's close; arrival VWAP is (high + low + close) / 3 without a bar VWAP")
    func otherReferences() throws {
        let close = try Self.one(Self.fill(.buy, 200, "100.45"), .close)
        #expect(close.reference == Self.price("100.5"))
        #expect(abs(close.shortfallBps - (100.45 - 100.5) / 100.5 * 10_000) < 1e-9)
        let vwap = try Self.one(Self.fill(.buy, 200, "100.45"), .arrivalVWAP)
        #expect(vwap.reference == Self.price("100.46666667"))  // 301.4 / 3, rounded to 1e-8
    }

    @Test("each model's regressor for the order, by hand: q/V = 0.1, σ = 0.8 / 100.4")
    func regressors() throws {
        let order = try Self.one(Self.fill(.buy, 200, "100.45"), .nextOpen)
        let sigma = 0.8 / 100.4
        #expect(SlippageFitModel.bps.regressor(order) == 1)
        #expect(abs(SlippageFitModel.halfSpread.regressor(order) - 0.4 / 100.4 * 10_000) < 1e-9)
        #expect(abs(SlippageFitModel.volumeShare.regressor(order) - 100) < 1e-9)
        #expect(abs(SlippageFitModel.sqrtImpact.regressor(order) - 10_000 * sigma * 0.1.squareRoot()) < 1e-9)
    }

    @Test("each model is a slippage form of the fill-model registry: its key, the spec it makes and its range are the registry's")
    func registryForms() throws {
        for model in SlippageFitModel.allCases {
            let parameter = try #require(FillModelParameter.named("slippage." + model.scenarioKey))
            #expect(parameter.role == .form)
            #expect(parameter.read(FillModelSpec(name: "x").with(slippage: model.spec(Fixed(2)))) == .number(Fixed(2)))
        }
        #expect(SlippageFitModel.bps.spec(Fixed(parsing: "1.5")!) == .basisPoints(Fixed(parsing: "1.5")!))
        #expect(SlippageFitModel.sqrtImpact.spec(Fixed(1)) == .squareRootImpact(k: Fixed(1)))
        #expect(SlippageFitModel.bps.scenarioRange == 0...10_000)
        #expect(SlippageFitModel.halfSpread.scenarioRange == 0...100)
    }

    @Test("a decision time moves the reference to the bar starting at or after its minute; partial fills join by order id")
    func decisionAndPartials() throws {
        var a = Self.fill(.buy, 100, "100.10", seconds: 70, decided: 50)
        var b = Self.fill(.buy, 300, "100.30", seconds: 80, decided: 50)
        a.orderID = "7"; b.orderID = "7"; b.line = 3
        let matched = OrderMatching.observations([a, b], bars: Self.bars, reference: .nextOpen, file: "f.csv")
        let order = try #require(matched.orders.first)
        #expect(matched.orders.count == 1 && order.fills == 2 && order.quantity == 400)
        #expect(order.fillBar.start == Self.t0)
        #expect(abs(order.averagePrice - 100.25) < 1e-12)  // (100.10 × 100 + 100.30 × 300) / 400
        #expect(abs(order.shortfallBps - 25) < 1e-9)       // 100.25 over the 100 open
    }

    @Test("a fill with no bar near its decision, or before the session, is a problem naming the line")
    func unmatched() {
        let late = Self.fill(.buy, 100, "100", seconds: 15 * 60)       // 09:45: the last bar is 09:31
        let early = Self.fill(.buy, 100, "100", seconds: -3 * 3600)    // 06:30, before the session
        let matched = OrderMatching.observations([late, early], bars: Self.bars, reference: .nextOpen, file: "f.csv")
        #expect(matched.orders.isEmpty)
        #expect(matched.problems.map(\.description).sorted() == [
            "f.csv:2: field 'time': 2024-03-11T10:30:00Z is outside the regular session (09:30–16:00 America/New_York on trading days); Tapebench fills only in regular hours",
            "f.csv:2: field 'time': no XYZ bar within 5 minutes after the decision at 2024-03-11T13:45:00Z",
        ])
    }

    @Test("under the close reference the block fills market orders at the decision bar's close, and parses")
    func closeBlockParses() throws {
        var orders: [OrderObservation] = []
        for i in 0..<12 {
            let side: OrderSide = i % 2 == 0 ? .buy : .sell
            let px = i % 2 == 0 ? "100.55" : "100.45"
            orders.append(try Self.one(Self.fill(side, Int64(100 + 50 * i), px), .close))
        }
        var settings = CalibrationSettings()
        settings.reference = .close
        settings.bootstrapSamples = 20
        let result = try Calibration.fit(orders, settings: settings, file: "f.csv")
        let block = FillModelsBlock.text(result, source: "f.csv")
        #expect(block.contains("market_timing: same_bar_close"))
        let scenario = try Scenario.parse(yaml: "name: s\ndata: {paths: [x], tickers: [XYZ]}\nagents: [{id: a, kind: vwap_mean_reversion}]\n" + block,
                                          file: "s.yaml", contentHash: "")
        #expect(scenario.fillModels.allSatisfy { $0.marketTiming == MarketTiming.sameBarClose })
        #expect(scenario.fillModels.count == 4)
    }
}

extension FillModelSpec {
    func with(slippage: SlippageSpec) -> FillModelSpec {
        var spec = self
        spec.slippage = slippage
        return spec
    }
}
