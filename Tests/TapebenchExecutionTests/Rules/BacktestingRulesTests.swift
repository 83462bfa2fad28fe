import Testing
import TapebenchCore
@testable import TapebenchExecution

/// backtesting.py 0.6.6's `_Broker` rules, each expected price computed by hand from `_process_orders`.
@Suite struct BacktestingRulesTests {
    @Test("limit: the better of the open and the limit once the bar reaches it")
    func limits() {
        #expect(BacktestingRules.limit(side: .buy, limit: p("10.00"), quantity: 5, bar: bar("9.90", "10.10", "9.80", "10.00"))?.referencePrice == p("9.90"))
        #expect(BacktestingRules.limit(side: .buy, limit: p("10.00"), quantity: 5, bar: bar("10.05", "10.10", "9.95", "10.00"))?.referencePrice == p("10.00"))
        #expect(BacktestingRules.limit(side: .buy, limit: p("10.00"), quantity: 5, bar: bar("10.05", "10.10", "10.01", "10.02")) == nil)
        #expect(BacktestingRules.limit(side: .sell, limit: p("10.00"), quantity: 5, bar: bar("10.20", "10.30", "10.10", "10.25"))?.rule == .limitGapOpen)
    }

    @Test("stop: the worse of the open and the stop once the bar reaches it")
    func stops() {
        #expect(BacktestingRules.stop(side: .buy, stop: p("10.00"), quantity: 5, bar: bar("10.10", "10.20", "10.05", "10.15"))?.referencePrice == p("10.10"))
        #expect(BacktestingRules.stop(side: .buy, stop: p("10.00"), quantity: 5, bar: bar("9.95", "10.20", "9.90", "10.15"))?.referencePrice == p("10.00"))
        #expect(BacktestingRules.stop(side: .sell, stop: p("9.00"), quantity: 5, bar: bar("9.95", "10.20", "9.90", "10.15")) == nil)
    }

    func stopLimit(_ side: OrderSide, stop: String, limit: String, _ b: Bar, triggered: Bool = false, defects: Bool = true) -> FillEvaluation {
        var broker = BacktestingBroker()
        broker.defects = defects
        return BacktestingRules.stopLimit(side: side, stop: p(stop), limit: p(limit), quantity: 5, bar: b, triggered: triggered, broker: broker)
    }

    @Test("stop-limit: on its trigger bar it fills at the stop only when the limit is beyond the stop and reached")
    func stopLimits() {
        let inside = stopLimit(.buy, stop: "10.00", limit: "10.05", bar("9.95", "10.20", "9.90", "10.15"))
        #expect(inside.decision?.referencePrice == p("10.00") && inside.decision?.rule == .stopLimitAfterTrigger && inside.decision?.ambiguous == true)
        // A limit at the stop: assumed to have traded before the stop, so no fill on this bar; the order rests as a limit.
        let atStop = stopLimit(.buy, stop: "10.00", limit: "10.00", bar("9.95", "10.20", "9.90", "10.15"))
        #expect(atStop.stopTriggered && atStop.decision == nil)
        #expect(stopLimit(.buy, stop: "10.00", limit: "10.00", bar("9.98", "10.05", "9.97", "10.01"), triggered: true).decision?.referencePrice == p("9.98"))
        let sell = stopLimit(.sell, stop: "10.00", limit: "9.95", bar("10.05", "10.10", "9.90", "9.92"))
        #expect(sell.decision?.referencePrice == p("10.00"))
    }

    @Test("the gap defect: a bar opening past the stop fills at the stop, under its low; corrected, at the open")
    func gapDefect() {
        // open 10.10 over the stop 10.00, low 10.04 ≤ limit 10.20: backtesting.py fills at 10.00, under the low.
        let b = bar("10.10", "10.30", "10.04", "10.25")
        let reproduced = stopLimit(.buy, stop: "10.00", limit: "10.20", b)
        #expect(reproduced.decision?.referencePrice == p("10.00") && reproduced.decision?.rule == .backtestingStopLimitGapAtStop)
        let corrected = stopLimit(.buy, stop: "10.00", limit: "10.20", b, defects: false)
        #expect(corrected.decision?.referencePrice == p("10.10") && corrected.decision?.rule == .limitGapOpen)
        // Opening past the limit too: corrected, held at the limit.
        #expect(stopLimit(.buy, stop: "10.00", limit: "10.20", bar("10.25", "10.30", "10.15", "10.25"), defects: false).decision?.referencePrice == p("10.20"))
    }

    @Test("the spread is paid on the opening part of a fill only; the price is the average of the parts")
    func spread() {
        var broker = BacktestingBroker()
        broker.spread = p("0.001")
        // Flat: all 100 open at 10 × 1.001.
        #expect(broker.price(p("10"), side: .buy, quantity: 100, position: 0) == p("10.01"))
        // Short 40: 40 close at 10, 60 open at 10.01 → (400 + 600.6) / 100 = 10.006.
        #expect(broker.price(p("10"), side: .buy, quantity: 100, position: -40) == p("10.006"))
        // A sell closing part of a long: no spread.
        #expect(broker.price(p("10"), side: .sell, quantity: 30, position: 50) == p("10"))
        // A sell flipping a long of 50 to a short of 50: 50 at 10, 50 at 9.99 → 9.995.
        #expect(broker.price(p("10"), side: .sell, quantity: 100, position: 50) == p("9.995"))
    }
}
