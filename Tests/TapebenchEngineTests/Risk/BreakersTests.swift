import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

@Suite struct BreakersTests {
    func facts(equity: String, dayStart: String = "100000", peak: String = "100000", blocked: Bool = false,
               status: AccountStatus = .active) -> AccountFacts {
        let e = Fixed(parsing: equity)!
        return AccountFacts(initialBalance: Fixed(100_000), cash: e, equity: e, buyingPower: e, dayStartEquity: Fixed(parsing: dayStart)!,
                            peakEquity: Fixed(parsing: peak)!, status: status, entriesBlockedToday: blocked)
    }

    func limits(daily: Int64? = nil, drawdown: Int64? = nil, action: BreakerAction = .pause) -> RiskLimits {
        var limits = RiskLimits.reference
        limits.dailyLossLimitBasisPoints = daily
        limits.maxDrawdownBasisPoints = drawdown
        limits.drawdownAction = action
        return limits
    }

    @Test("the daily loss limit trips strictly below day start × (1 − limit): 2 % of 100 000 is 98 000", arguments: [
        ("98000.00", false), ("97999.99", true), ("100500.00", false),
    ])
    func dailyLoss(equity: String, trips: Bool) {
        let decisions = Breakers.decisions(facts(equity: equity), limits: limits(daily: 200))
        #expect(decisions.map(\.kind) == (trips ? ["daily_loss_limit"] : []))
    }

    @Test("the reason names the equity, the limit and the day's start")
    func dailyLossText() {
        let decisions = Breakers.decisions(facts(equity: "98900", dayStart: "100000.004"), limits: limits(daily: 100))
        #expect(decisions == [.blockEntriesToday(detail: "equity $98900.00 is more than 1% below the day's start $100000.00: no new entries today")])
    }

    @Test("a breaker that already tripped decides nothing again: entries blocked today, an account paused or closed")
    func once() {
        #expect(Breakers.decisions(facts(equity: "90000", blocked: true), limits: limits(daily: 200)).isEmpty)
        #expect(Breakers.decisions(facts(equity: "90000", status: .paused), limits: limits(drawdown: 500)).isEmpty)
        #expect(Breakers.decisions(facts(equity: "90000", status: .closed), limits: limits(drawdown: 500, action: .close)).isEmpty)
    }

    @Test("the drawdown breaker measures from the peak, and pauses or closes as the scenario says")
    func drawdown() {
        // 1.5 % below a peak of 110 000 is 108 350: 108 349.99 trips, 108 350 does not.
        #expect(Breakers.decisions(facts(equity: "108350", peak: "110000"), limits: limits(drawdown: 150)).isEmpty)
        #expect(Breakers.decisions(facts(equity: "108349.99", peak: "110000"), limits: limits(drawdown: 150)) ==
            [.pauseAccount(detail: "equity $108349.99 is more than 1.5% below its peak $110000.00: the account is paused")])
        #expect(Breakers.decisions(facts(equity: "108349.99", peak: "110000"), limits: limits(drawdown: 150, action: .close)).map(\.kind) ==
            ["max_drawdown_close"])
    }

    @Test("both at once: the daily loss first, then the drawdown")
    func both() {
        let decisions = Breakers.decisions(facts(equity: "90000", dayStart: "99000", peak: "110000"), limits: limits(daily: 100, drawdown: 500))
        #expect(decisions.map(\.kind) == ["daily_loss_limit", "max_drawdown_pause"])
    }

    @Test("anyTrips is true exactly when decisions decides something: seeded facts and limits around the thresholds")
    func anyTripsAgreesWithDecisions() {
        var random = SplitMix64(seed: 5)
        let statuses: [AccountStatus] = [.active, .paused, .closed]
        for _ in 0..<2_000 {
            // Amounts near 100 000, in cents, so that many land right at a threshold.
            func amount() -> Money { Fixed(raw: (9_800_000 + Int64(random.next() % 400_000)) * (Fixed.scale / 100)) }
            func limit() -> Int64? { random.next() % 4 == 0 ? nil : Int64(random.next() % 300) }
            let equity = amount(), dayStart = random.next() % 10 == 0 ? Money.zero : amount(), peak = amount()
            let status = statuses[Int(random.next() % 3)], blocked = random.next() % 3 == 0
            let limits = limits(daily: limit(), drawdown: limit(), action: random.next() % 2 == 0 ? .pause : .close)
            let facts = AccountFacts(initialBalance: Fixed(100_000), cash: equity, equity: equity, buyingPower: equity, dayStartEquity: dayStart,
                                     peakEquity: peak, status: status, entriesBlockedToday: blocked)
            #expect(Breakers.anyTrips(equity: equity, dayStartEquity: dayStart, peakEquity: peak, status: status, entriesBlockedToday: blocked,
                                      limits: limits) == !Breakers.decisions(facts, limits: limits).isEmpty)
        }
    }

    @Test("without limits nothing trips")
    func none() {
        #expect(Breakers.decisions(facts(equity: "1"), limits: .reference).isEmpty)
    }
}
