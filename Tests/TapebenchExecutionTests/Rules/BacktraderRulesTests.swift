import Testing
import TapebenchCore
@testable import TapebenchExecution

/// backtrader's `BackBroker` rules, each expected price computed by hand from bbroker.py's branches.
@Suite struct BacktraderRulesTests {
    func broker(perc: String = "0", fixed: String = "0", open: Bool = false, match: Bool = true, limit: Bool = true,
                out: Bool = false, defects: Bool = true) -> BacktraderBroker {
        var b = BacktraderBroker()
        b.slipPercent = p(perc)
        b.slipFixed = p(fixed)
        b.slipOpen = open
        b.slipMatch = match
        b.slipLimit = limit
        b.slipOut = out
        b.defects = defects
        return b
    }

    func stopLimit(_ side: OrderSide, stop: String, limit: String, _ b: Bar, triggered: Bool = false,
                   broker: BacktraderBroker = BacktraderBroker()) -> FillEvaluation {
        BacktraderRules.stopLimit(side: side, stop: p(stop), limit: p(limit), quantity: 10, bar: b, triggered: triggered, broker: broker)
    }

    // MARK: - A: the trigger bar of a stop-limit, without a path walk

    @Test("a buy stop-limit with its limit at or above the stop fills at the stop on the trigger bar, up or down")
    func limitAboveStop() {
        for b in [bar("9.90", "10.20", "9.85", "10.10"), bar("9.98", "10.20", "9.85", "9.90")] {
            let e = stopLimit(.buy, stop: "10.00", limit: "10.05", b)
            #expect(e.stopTriggered)
            #expect(e.decision?.executionPrice == p("10.00"))
            #expect(e.decision?.rule == .stopLimitAfterTrigger)
            #expect(e.decision?.ambiguous == true)
        }
    }

    @Test("a buy stop-limit with its limit under the stop fills at the limit only on a falling bar closing at or under it")
    func limitUnderStop() {
        // open 9.98 > close 9.90 ≤ limit 9.95: the limit.
        let filled = stopLimit(.buy, stop: "10.00", limit: "9.95", bar("9.98", "10.10", "9.80", "9.90"))
        #expect(filled.decision?.executionPrice == p("9.95"))
        #expect(filled.decision?.rule == .stopLimitTouch)
        // A rising bar (9.90 → 9.94), although it trades at 9.85 after the stop on O→H→L→C: triggered, not filled.
        let rising = stopLimit(.buy, stop: "10.00", limit: "9.95", bar("9.90", "10.10", "9.85", "9.94"))
        #expect(rising.stopTriggered && rising.decision == nil)
        // open = close is not a falling bar for a buy.
        let flat = stopLimit(.buy, stop: "10.00", limit: "9.95", bar("9.92", "10.10", "9.85", "9.92"))
        #expect(flat.stopTriggered && flat.decision == nil)
        // Falling, but closing at 9.97 above the limit.
        let above = stopLimit(.buy, stop: "10.00", limit: "9.95", bar("9.98", "10.10", "9.80", "9.97"))
        #expect(above.stopTriggered && above.decision == nil)
    }

    @Test("a sell stop-limit mirrors it, its limit case on a bar opening at or under its close")
    func sellMirror() {
        // limit 9.95 at or under the stop 10.00, a falling bar: the stop.
        #expect(stopLimit(.sell, stop: "10.00", limit: "9.95", bar("10.10", "10.15", "9.90", "9.92")).decision?.executionPrice == p("10.00"))
        // limit 10.05 above the stop; open 10.02 ≤ close 10.08 ≥ 10.05: the limit; open = close counts too.
        #expect(stopLimit(.sell, stop: "10.00", limit: "10.05", bar("10.02", "10.12", "9.98", "10.08")).decision?.executionPrice == p("10.05"))
        #expect(stopLimit(.sell, stop: "10.00", limit: "10.05", bar("10.06", "10.12", "9.98", "10.06")).decision?.executionPrice == p("10.05"))
        // A falling bar: triggered only.
        let falling = stopLimit(.sell, stop: "10.00", limit: "10.05", bar("10.09", "10.12", "9.98", "10.06"))
        #expect(falling.stopTriggered && falling.decision == nil)
    }

    @Test("after the trigger, or through a gap, a stop-limit is a limit: the open when beyond it, else the limit on touch")
    func asLimit() {
        let next = stopLimit(.buy, stop: "10.00", limit: "9.95", bar("9.93", "9.99", "9.90", "9.96"), triggered: true)
        #expect(next.decision?.executionPrice == p("9.93"))
        #expect(next.decision?.rule == .limitGapOpen)
        let gap = stopLimit(.buy, stop: "10.00", limit: "10.05", bar("10.02", "10.08", "9.99", "10.04"))
        #expect(gap.stopTriggered && gap.decision?.executionPrice == p("10.02"))
        let touch = stopLimit(.buy, stop: "10.00", limit: "10.05", bar("10.08", "10.10", "10.03", "10.06"))
        #expect(touch.decision?.executionPrice == p("10.05") && touch.decision?.rule == .limitTouch)
        #expect(touch.decision?.ambiguous == false)
    }

    @Test("the model dispatches a triggered stop-limit to the limit rule")
    func dispatch() {
        var o = order(.buy, .stopLimit, limit: "9.95", stop: "10.00")
        o.stopTriggered = true
        let e = ConfigurableFillModel(.backtrader).evaluate(o, on: bar("9.93", "9.99", "9.90", "9.96"))
        #expect(e.decision?.executionPrice == p("9.93"))
    }

    // MARK: - B and C: backtrader's slippage defects, and the switch that corrects them

    @Test("B: a stop-limit slips from its stop past its own limit, capped at the high, not the limit")
    func defectB() {
        // slip_perc 0.001: 9.30 × 1.001 = 9.3093 ≤ high 9.35.
        let b = bar("9.20", "9.35", "9.15", "9.25")
        let reproduced = stopLimit(.buy, stop: "9.30", limit: "9.30", b, broker: broker(perc: "0.001"))
        #expect(reproduced.decision?.executionPrice == p("9.3093"))
        #expect(reproduced.decision?.rule == .backtraderSlipPastLimit)
        let corrected = stopLimit(.buy, stop: "9.30", limit: "9.30", b, broker: broker(perc: "0.001", defects: false))
        #expect(corrected.decision?.executionPrice == p("9.30"))
        #expect(corrected.decision?.rule == .stopLimitAfterTrigger)
        // A sell stop 9.30 limit 9.30 on a falling bar: 9.30 × 0.999 = 9.2907 under the limit; corrected, the limit.
        let sell = bar("9.40", "9.45", "9.20", "9.25")
        #expect(stopLimit(.sell, stop: "9.30", limit: "9.30", sell, broker: broker(perc: "0.001")).decision?.executionPrice == p("9.2907"))
        #expect(stopLimit(.sell, stop: "9.30", limit: "9.30", sell, broker: broker(perc: "0.001", defects: false)).decision?.executionPrice == p("9.30"))
    }

    @Test("C: a sell limit filled at the open slips below the bar's low, floored at the limit only")
    func defectC() {
        // open 3.37 ≥ limit 3.33; 3.37 × 0.9999 = 3.369663, under the low 3.37: a price that never traded.
        let b = bar("3.37", "3.40", "3.37", "3.39")
        let reproduced = BacktraderRules.limit(side: .sell, limit: p("3.33"), quantity: 10, bar: b, broker: broker(perc: "0.0001", open: true))
        #expect(reproduced?.executionPrice == p("3.369663"))
        #expect(reproduced?.rule == .backtraderSlipBelowLow)
        let corrected = BacktraderRules.limit(side: .sell, limit: p("3.33"), quantity: 10, bar: b, broker: broker(perc: "0.0001", open: true, defects: false))
        #expect(corrected?.executionPrice == p("3.37"))
        #expect(corrected?.rule == .limitGapOpen)
        // A buy at the open is capped at the lower of the high and the limit: 9.98 × 1.005 = 10.0299 → 10.00.
        let buy = BacktraderRules.limit(side: .buy, limit: p("10.00"), quantity: 10, bar: bar("9.98", "10.10", "9.90", "10.00"), broker: broker(perc: "0.005", open: true))
        #expect(buy?.executionPrice == p("10.00"))
    }

    // MARK: - Slippage options

    @Test("market: the open, slipped only with slip_open; past the high: matched there, kept with slip_out, or no fill")
    func marketSlippage() {
        let b = bar("10.00", "10.05", "9.95", "10.02")
        #expect(BacktraderRules.market(side: .buy, quantity: 10, bar: b, broker: broker(perc: "0.01"))?.executionPrice == p("10.00"))
        #expect(BacktraderRules.market(side: .buy, quantity: 10, bar: b, broker: broker(perc: "0.001", open: true))?.executionPrice == p("10.01"))
        #expect(BacktraderRules.market(side: .buy, quantity: 10, bar: b, broker: broker(perc: "0.01", open: true))?.executionPrice == p("10.05"))
        #expect(BacktraderRules.market(side: .buy, quantity: 10, bar: b, broker: broker(perc: "0.01", open: true, out: true))?.executionPrice == p("10.10"))
        #expect(BacktraderRules.market(side: .buy, quantity: 10, bar: b, broker: broker(perc: "0.01", open: true, match: false)) == nil)
        #expect(BacktraderRules.market(side: .sell, quantity: 10, bar: b, broker: broker(fixed: "0.03", open: true))?.executionPrice == p("9.97"))
    }

    @Test("the cap is decided in binary floating point, as backtrader decides it: 26.62 + 0.03 is above 26.65")
    func binaryCap() {
        let strict = broker(fixed: "0.03", open: true, match: false)
        #expect(BacktraderRules.market(side: .buy, quantity: 10, bar: bar("26.62", "26.65", "26.60", "26.63"), broker: strict) == nil)
        #expect(BacktraderRules.market(side: .buy, quantity: 10, bar: bar("26.54", "26.57", "26.50", "26.55"), broker: strict)?.executionPrice == p("26.57"))
    }

    @Test("a limit at the open past its cap without slip_match fills at the cap only with slip_limit")
    func slipLimit() {
        let b = bar("9.98", "10.10", "9.90", "10.00")
        #expect(BacktraderRules.limit(side: .buy, limit: p("10.00"), quantity: 10, bar: b, broker: broker(perc: "0.005", open: true, match: false))?.executionPrice == p("10.00"))
        #expect(BacktraderRules.limit(side: .buy, limit: p("10.00"), quantity: 10, bar: b, broker: broker(perc: "0.005", open: true, match: false, limit: false)) == nil)
    }

    @Test("stop: a gap fills at the open, slipped only with slip_open; a trigger inside the bar at the stop, always slipped")
    func stops() {
        let gap = bar("10.10", "10.20", "10.05", "10.15")
        #expect(BacktraderRules.stop(side: .buy, stop: p("10.00"), quantity: 10, bar: gap, broker: broker(perc: "0.001"))?.executionPrice == p("10.10"))
        #expect(BacktraderRules.stop(side: .buy, stop: p("10.00"), quantity: 10, bar: gap, broker: broker(perc: "0.001"))?.rule == .stopGapOpen)
        let inside = bar("9.95", "10.20", "9.90", "10.15")
        let d = BacktraderRules.stop(side: .buy, stop: p("10.00"), quantity: 10, bar: inside, broker: broker(perc: "0.001"))
        #expect(d?.executionPrice == p("10.01") && d?.referencePrice == p("10.00") && d?.rule == .stopMarket)
        #expect(BacktraderRules.stop(side: .sell, stop: p("9.00"), quantity: 10, bar: inside, broker: broker()) == nil)
    }
}
