import Testing
import TapebenchCore
@testable import TapebenchExecution

@Suite struct MarketTimingTests {
    let b = bar("100.00", "101.00", "99.00", "100.50")

    @Test("next open, next close, and a latency of one bar")
    func timings() {
        #expect(MarketRule.evaluate(order(.buy, .market), b, timing: .nextOpen)?.referencePrice == p("100.00"))
        let close = MarketRule.evaluate(order(.buy, .market), b, timing: .nextClose)
        #expect(close?.referencePrice == p("100.50"))
        #expect(close?.rule == .marketNextClose)
        var late = order(.buy, .market)
        #expect(MarketRule.evaluate(late, b, timing: .latency(bars: 1)) == nil)
        late.eligibleBarsSeen = 1
        #expect(MarketRule.evaluate(late, b, timing: .latency(bars: 1))?.rule == .marketLatencyOpen)
    }

    @Test("same-bar close is look-ahead and fills at the decision bar's close")
    func lookAhead() {
        #expect(MarketTiming.sameBarClose.isLookAhead)
        let decision = MarketRule.sameBarClose(order(.buy, .market), b)
        #expect(decision.referencePrice == p("100.50"))
        #expect(decision.rule == .marketSameBarClose)
    }
}

@Suite struct LimitRuleTests {
    let tick = p("0.01")

    @Test("a buy limit on a bar that opens below it fills at the open with the gap rule, at the limit without")
    func gapDown() {
        let gap = bar("98.00", "98.50", "97.80", "98.20")
        let withRule = LimitRules.evaluate(side: .buy, limit: p("99.50"), quantity: 10, bar: gap, rule: LimitRule(gapFillsAtOpen: true), tick: tick)
        #expect(withRule?.referencePrice == p("98.00"))
        #expect(withRule?.rule == .limitGapOpen)
        #expect(LimitRules.evaluate(side: .buy, limit: p("99.50"), quantity: 10, bar: gap, rule: LimitRule(), tick: tick)?.referencePrice == p("99.50"))
    }

    @Test("a sell limit on a bar that opens above it fills at the open with the gap rule")
    func gapUp() {
        let gap = bar("102.00", "102.50", "101.80", "102.20")
        #expect(LimitRules.evaluate(side: .sell, limit: p("101.00"), quantity: 10, bar: gap, rule: LimitRule(gapFillsAtOpen: true), tick: tick)?.referencePrice == p("102.00"))
    }

    @Test("trade-through: a touch is not enough, one tick beyond is")
    func through() {
        let rule = LimitRule(throughTicks: 1)
        #expect(LimitRules.evaluate(side: .buy, limit: p("99.50"), quantity: 10, bar: bar("100", "100.2", "99.50", "99.8"), rule: rule, tick: tick) == nil)
        let filled = LimitRules.evaluate(side: .buy, limit: p("99.50"), quantity: 10, bar: bar("100", "100.2", "99.49", "99.8"), rule: rule, tick: tick)
        #expect(filled?.referencePrice == p("99.50"))
        #expect(filled?.rule == .limitThrough)
    }
}

@Suite struct StopRuleTests {
    let gapDown = bar("90.00", "91.00", "89.00", "90.50")   // through a 95 sell stop at the open
    let intrabar = bar("96.00", "96.10", "94.90", "95.20")  // reaches a 95 sell stop inside the bar

    @Test("a sell stop gapped through: at the stop (seed), at the open (gap-aware, to-market)")
    func gapThrough() {
        #expect(StopRules.evaluate(side: .sell, stop: p("95"), quantity: 1, bar: gapDown, rule: .atStop)?.referencePrice == p("95"))
        let aware = StopRules.evaluate(side: .sell, stop: p("95"), quantity: 1, bar: gapDown, rule: .gapAware)
        #expect(aware?.referencePrice == p("90"))
        #expect(aware?.rule == .stopGapOpen)
        #expect(aware?.appliesSlippage == false)
        let market = StopRules.evaluate(side: .sell, stop: p("95"), quantity: 1, bar: gapDown, rule: .toMarket)
        #expect(market?.referencePrice == p("90"))
        #expect(market?.appliesSlippage == true)
    }

    @Test("a buy stop gapped through upward fills at the open under gap-aware")
    func gapUp() {
        #expect(StopRules.evaluate(side: .buy, stop: p("101"), quantity: 1, bar: bar("103", "104", "102.5", "103.5"), rule: .gapAware)?.referencePrice == p("103"))
    }

    @Test("triggered inside the bar: at the stop; to-market adds slippage")
    func inside() {
        #expect(StopRules.evaluate(side: .sell, stop: p("95"), quantity: 1, bar: intrabar, rule: .gapAware)?.referencePrice == p("95"))
        let market = StopRules.evaluate(side: .sell, stop: p("95"), quantity: 1, bar: intrabar, rule: .toMarket)
        #expect(market?.rule == .stopMarket)
        #expect(market?.appliesSlippage == true)
    }
}

@Suite struct IntrabarPathTests {
    // Long position: stop 95, target 105. The bar opens at 100, reaches both 106 and 94.
    let both = bar("100.00", "106.00", "94.00", "100.00")

    @Test("a stop and a take-profit in one bar, under each path", arguments: [
        (IntrabarPath.openHighLowClose, IntrabarRules.Exit.target),
        (.openLowHighClose, .stop),
        (.worstCase, .stop),
        (.anyOrder, .target),
    ])
    func stopAndTarget(path: IntrabarPath, expected: IntrabarRules.Exit) {
        #expect(IntrabarRules.firstExit(long: true, stop: p("95"), target: p("105"), bar: both, path: path) == expected)
    }

    @Test("nearest first: the extreme nearer the open comes first")
    func nearest() {
        let upFirst = bar("100.00", "105.50", "94.00", "95.00")  // high 5.5 away, low 6 away: high first → target
        #expect(IntrabarRules.firstExit(long: true, stop: p("95"), target: p("105"), bar: upFirst, path: .nearestFirst) == .target)
        let downFirst = bar("100.00", "106.00", "94.50", "95.00")  // low 5.5 away: low first → stop
        #expect(IntrabarRules.firstExit(long: true, stop: p("95"), target: p("105"), bar: downFirst, path: .nearestFirst) == .stop)
    }

    @Test("a gap through the stop at the open decides before any path")
    func gapDecides() {
        #expect(IntrabarRules.firstExit(long: true, stop: p("95"), target: p("105"), bar: bar("94.00", "106.00", "93.00", "100.00"), path: .openHighLowClose) == .stop)
    }

    @Test("a buy stop-limit triggered inside the bar: the path decides whether the limit fills after the trigger")
    func stopLimit() {
        // Buy stop 101, limit 100.50 (below the stop): after the trigger the price must come back to 100.50.
        // O 100 → H 102 → L 100.20 → C 101: after reaching 101 on the way up, the low 100.20 follows: fills at 100.50.
        let b = bar("100.00", "102.00", "100.20", "101.00")
        let ohlc = IntrabarRules.stopLimit(side: .buy, stop: p("101"), limit: p("100.50"), quantity: 5, bar: b, path: .openHighLowClose)
        #expect(ohlc?.referencePrice == p("100.50"))
        #expect(ohlc?.rule == .stopLimitAfterTrigger)
        // O → L → H → C: the low comes before the trigger; after it the price only goes 102 → 101: no fill.
        #expect(IntrabarRules.stopLimit(side: .buy, stop: p("101"), limit: p("100.50"), quantity: 5, bar: b, path: .openLowHighClose) == nil)
        #expect(IntrabarRules.stopLimit(side: .buy, stop: p("101"), limit: p("100.50"), quantity: 5, bar: b, path: .worstCase) == nil)
    }

    @Test("a stop-limit whose limit is at or beyond the stop fills at the stop when it triggers")
    func stopLimitAtStop() {
        let d = IntrabarRules.stopLimit(side: .buy, stop: p("101"), limit: p("101.50"), quantity: 5, bar: bar("100", "102", "99.9", "101.8"), path: .openLowHighClose)
        #expect(d?.referencePrice == p("101"))
        #expect(d?.worstPrice == p("101.50"))
    }
}
