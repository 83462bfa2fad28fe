import Testing
import TapebenchCore
@testable import TapebenchExecution

@Suite struct SeedMarketRuleTests {
    @Test("a market order fills at the bar's open")
    func fillsAtOpen() {
        let decision = SeedFillRules.market(order(.buy, .market), bar("100.00", "101.00", "99.00", "100.50"))
        #expect(decision.referencePrice == p("100.00"))
        #expect(decision.rule == .marketNextOpen)
        #expect(decision.appliesSlippage)
        #expect(decision.quantity == 10)
    }
}

@Suite struct SeedLimitRuleTests {
    @Test("a buy limit fills at the limit when the low touches it")
    func buyTouch() {
        let decision = SeedFillRules.limit(order(.buy, .limit, limit: "99.50"), bar("100.00", "100.20", "99.50", "99.80"))
        #expect(decision?.referencePrice == p("99.50"))
        #expect(decision?.rule == .limitTouch)
        #expect(decision?.appliesSlippage == false)
    }

    @Test("a buy limit below the low does not fill")
    func buyMiss() {
        #expect(SeedFillRules.limit(order(.buy, .limit, limit: "99.49"), bar("100.00", "100.20", "99.50", "99.80")) == nil)
    }

    @Test("a sell limit fills at the limit when the high touches it")
    func sellTouch() {
        let decision = SeedFillRules.limit(order(.sell, .limit, limit: "100.20"), bar("100.00", "100.20", "99.50", "99.80"))
        #expect(decision?.referencePrice == p("100.20"))
    }

    @Test("a sell limit above the high does not fill")
    func sellMiss() {
        #expect(SeedFillRules.limit(order(.sell, .limit, limit: "100.21"), bar("100.00", "100.20", "99.50", "99.80")) == nil)
    }

    @Test("seed rules fill a gapped-through limit at the limit, not the better open (optimism made explicit)")
    func gapFillsAtLimit() {
        // The bar opens at 98, below a 99.50 buy limit: the seed rule still says 99.50.
        let decision = SeedFillRules.limit(order(.buy, .limit, limit: "99.50"), bar("98.00", "98.50", "97.80", "98.20"))
        #expect(decision?.referencePrice == p("99.50"))
    }
}

@Suite struct SeedStopRuleTests {
    @Test("a sell stop triggers when the low reaches it and fills at the stop")
    func sellStop() {
        let decision = SeedFillRules.stop(order(.sell, .stop, stop: "95.00"), bar("96.00", "96.10", "95.00", "95.20"))
        #expect(decision?.referencePrice == p("95.00"))
        #expect(decision?.rule == .stopTrigger)
    }

    @Test("a sell stop that gaps through still fills at the stop under the seed rules")
    func sellStopGap() {
        let decision = SeedFillRules.stop(order(.sell, .stop, stop: "95.00"), bar("90.00", "91.00", "89.00", "90.50"))
        #expect(decision?.referencePrice == p("95.00"))
    }

    @Test("a buy stop triggers when the high reaches it")
    func buyStop() {
        #expect(SeedFillRules.stop(order(.buy, .stop, stop: "101.00"), bar("100.00", "101.00", "99.90", "100.80"))?.referencePrice == p("101.00"))
        #expect(SeedFillRules.stop(order(.buy, .stop, stop: "101.01"), bar("100.00", "101.00", "99.90", "100.80")) == nil)
    }
}

@Suite struct SeedStopLimitRuleTests {
    @Test("triggered and limit touched in one bar: fills at the limit")
    func triggerAndFill() {
        let evaluation = SeedFillRules.stopLimit(order(.sell, .stopLimit, limit: "94.80", stop: "95.00"), bar("96.00", "96.10", "94.70", "95.20"))
        #expect(evaluation.stopTriggered)
        #expect(evaluation.decision?.referencePrice == p("94.80"))
        #expect(evaluation.decision?.rule == .stopLimitTouch)
    }

    @Test("triggered but the limit out of reach: rests as a limit")
    func triggerOnly() {
        // Sell stop 95 triggers (low 94.90); the sell limit 96.50 is above the high.
        let evaluation = SeedFillRules.stopLimit(order(.sell, .stopLimit, limit: "96.50", stop: "95.00"), bar("96.00", "96.10", "94.90", "95.20"))
        #expect(evaluation.stopTriggered)
        #expect(evaluation.decision == nil)
    }

    @Test("once triggered, a later bar fills it as a plain limit")
    func laterBar() {
        var o = order(.sell, .stopLimit, limit: "96.50", stop: "95.00")
        o.stopTriggered = true
        let evaluation = SeedFillRules.stopLimit(o, bar("96.40", "96.60", "96.30", "96.55", minute: 1))
        #expect(evaluation.decision?.referencePrice == p("96.50"))
    }

    @Test("not triggered: nothing happens even if the limit is touched")
    func notTriggered() {
        let evaluation = SeedFillRules.stopLimit(order(.buy, .stopLimit, limit: "100.00", stop: "102.00"), bar("100.50", "101.00", "99.00", "100.00"))
        #expect(!evaluation.stopTriggered)
        #expect(evaluation.decision == nil)
    }
}
