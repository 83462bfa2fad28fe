import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

@Suite struct RoundTripLaneTests {
    func bar(_ minute: Int64, _ ticker: String = "AAPL", open: String, high: String, low: String, close: String) -> Bar {
        Bar(ticker: ticker, start: sessionOpen.adding(minutes: minute), open: Fixed(parsing: open)!, high: Fixed(parsing: high)!,
            low: Fixed(parsing: low)!, close: Fixed(parsing: close)!, volume: 1_000)
    }

    @Test("a lane's entry and take-profit make one round trip: MAE/MFE from the entry bar to the bar before the exit's")
    func laneRoundTrip() throws {
        // Given a buy decided at 09:35: 100 shares at the 09:35 bar's open + 1 bp (100.01)
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var o = orchestrator(agent)
        for m in 0..<6 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        // When the next bar swings to 111 and 97 and closes above +10 %, and the exit's bar swings further still
        try o.process(bar(6, open: "110", high: "111", low: "97", close: "110.02"))
        try o.process(bar(7, open: "110", high: "120", low: "90", close: "110"))
        try o.finish()
        // Then one trip: sold at 110 − 1 bp; the exit bar's 120 and 90 are no part of it
        let trips = o.lanes[0].result.roundTrips
        try #require(trips.count == 1)
        let t = trips[0]
        #expect(t.side == .long && t.quantity == 100 && t.entryPrice == Fixed(parsing: "100.01") && t.exitPrice == Fixed(parsing: "109.989"))
        #expect(t.entryTime == sessionOpen.adding(minutes: 6) && t.exitTime == sessionOpen.adding(minutes: 8) && t.durationMinutes == 2)
        #expect(t.grossPnL == Fixed(parsing: "997.90") && t.commissions == Fixed(1) && t.netPnL == Fixed(parsing: "996.90"))
        #expect(t.favourableExcursion == Fixed(parsing: "10.99") && t.adverseExcursion == Fixed(parsing: "-3.01"))
        let stats = o.lanes[0].outcome.summary.roundTrips
        #expect(stats.count == 1 && stats.winsAfterCosts == 1 && stats.durations.maxMinutes == 2)
    }

    @Test("buy and hold: equal parts at each ticker's first open, a ticker not yet traded waits as cash")
    func buyAndHold() throws {
        let agent = ScriptedAgent()
        var o = orchestrator(agent)
        // Day 1: AAPL from 100 to 102; MSFT has no bar yet. Day 2: AAPL closes at 99, MSFT opens at 50, closes at 55.
        try o.process(bar(0, open: "100", high: "101", low: "100", close: "101"))
        try o.process(bar(1, open: "101", high: "102", low: "101", close: "102"))
        try o.process(bar(1_440, open: "103", high: "103", low: "99", close: "99"))
        try o.process(bar(1_440, "MSFT", open: "50", high: "55", low: "50", close: "55"))
        try o.finish()
        let series = o.statistics.benchmark(initialBalance: Fixed(100_000))
        #expect(series.tickers == ["AAPL", "MSFT"])
        #expect(series.days.map(\.date) == [CivilDate(year: 2024, month: 3, day: 11), CivilDate(year: 2024, month: 3, day: 12)])
        #expect(series.days.map(\.equity) == [50_000 * 1.02 + 50_000, 50_000 * (0.99 + 1.1)])   // 101 000, 104 500
        #expect(abs(series.returnFraction - 0.045) < 1e-12)
    }
}
