import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

/// The replay steps per minute: every bar of a minute is applied (orders, marks) before the breakers judge
/// the book and before anything is decided.
@Suite struct MinuteStepTests {
    /// 100 shares each of `a` and `b` bought with market orders decided at 09:31 and filled at the 09:31 bars'
    /// open, 100 + 1 bp: cash 100 000 − 2 × (10 001 + 0.50) = 79 997; marked at 100, equity 99 997.
    func bothHeld(_ a: String, _ b: String, risk: RiskLimits) throws -> (ActionScript, Orchestrator<SimulatedClock, InMemoryRecorder>) {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [a, b].map {
            .order(OrderRequest(ticker: $0, side: .buy, type: .market, quantity: 100, purpose: "hold"))
        }
        var o = lane(agent, risk: risk)
        for m: Int64 in [0, 1] {
            for ticker in [a, b].sorted() { try o.process(minuteBar(m, open: "100.00", ticker: ticker)) }
        }
        return (agent, o)
    }

    @Test("the daily loss limit judges the fully marked book once per minute, whatever the ticker order", arguments: [
        ("AAPL", "MSFT"), ("MSFT", "AAPL"),
    ])
    func breakersOncePerMinute(loser: String, winner: String) throws {
        var risk = RiskLimits.reference
        risk.dailyLossLimitBasisPoints = 50  // 0.5 % of the day's start, 100 000: trips below 99 500
        var (_, o) = try bothHeld(loser, winner, risk: risk)
        // Given, in the 09:32 minute, the loser closing at 94.93 and the winner at 110.10:
        // the loser's mark alone takes equity to 79 997 + 9 493 + 10 000 = 99 490 (−0.51 %);
        // the fully marked book is 79 997 + 9 493 + 11 010 = 100 500 (+0.5 %).
        let minute = [loser: "94.93", winner: "110.10"]
        for ticker in minute.keys.sorted() { try o.process(minuteBar(2, open: "100.00", close: minute[ticker]!, ticker: ticker)) }
        try o.advance(to: sessionOpen.adding(minutes: 3))
        let run = o.lanes[0].result
        // Then no breaker trips, in either ticker order (the loser first by name used to trip it).
        #expect(run.account.equity == Fixed(100_500))
        #expect(run.riskEvents.isEmpty)
        #expect(o.lanes[0].facts.entriesBlockedToday == false)
    }

    @Test("a new position is sized on the minute's fully marked equity, not on a book half marked")
    func sizingSeesTheMarkedBook() throws {
        // Given MSFT held (100 at 100.01) and, in the 09:32 minute, MSFT closing at 300 while AAPL signals a buy at 100
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [.order(OrderRequest(ticker: "MSFT", side: .buy, type: .market, quantity: 100, purpose: "hold"))]
        agent.script[sessionOpen.adding(minutes: 3)] = [.signal(Signal(agent: "script", ticker: "AAPL", side: .buy, time: sessionOpen.adding(minutes: 3),
                                                                      price: Fixed(100), reason: "buy"))]
        var o = lane(agent)
        for m: Int64 in [0, 1] {
            for ticker in ["AAPL", "MSFT"] { try o.process(minuteBar(m, open: "100.00", ticker: ticker)) }
        }
        try o.process(minuteBar(2, open: "100.00", ticker: "AAPL"))
        try o.process(minuteBar(2, open: "100.00", close: "300.00", ticker: "MSFT"))
        try o.advance(to: sessionOpen.adding(minutes: 3))
        // Then equity is 100 000 − 10 001.50 + 30 000 = 119 998.50: 10 % is $11 999.85, 119 shares at $100.
        let entry = try #require(o.lanes[0].result.orders.last)
        #expect(entry.purpose == "signal_entry")
        #expect(entry.quantity == 119)
    }

    @Test("a position is marked at each bar of its ticker, also after it was closed and opened again; a ticker never held is not marked")
    func marksFollowThePositions() throws {
        // Given AAPL bought at 09:31, sold at 09:33, bought again at 09:35, and MSFT never traded
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [order(.buy, 100)]
        agent.script[sessionOpen.adding(minutes: 3)] = [order(.sell, 100)]
        agent.script[sessionOpen.adding(minutes: 5)] = [order(.buy, 50)]
        var o = lane(agent)
        var seen: [Price?] = []  // AAPL's mark after each minute
        for m: Int64 in 0..<8 {
            let close = Fixed(100 + m)
            for ticker in ["AAPL", "MSFT"] { try o.process(minuteBar(m, open: "100.00", close: close.description, ticker: ticker)) }
            try o.advance(to: sessionOpen.adding(minutes: m + 1))
            seen.append(o.lanes[0].account.position("AAPL")?.currentPrice)
            #expect(o.lanes[0].account.position("MSFT") == nil)
        }
        // Then AAPL is held and marked at its close in minutes 1–2 and 5–7, and not held in 0 and 3–4
        #expect(seen[0] == nil && seen[3] == nil && seen[4] == nil)
        for m in [1, 2, 5, 6, 7] { #expect(seen[m] == Fixed(100 + Int64(m)), "minute \(m)") }
        #expect(o.lanes[0].account.position("AAPL")?.quantity == 50)
    }
}
