import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

/// Keeps each event as one line, to read the order they came in.
struct EventLog: LaneRecorder {
    var lines: [String] = []
    /// The per-step marks, apart: one a minute.
    var marks: [String] = []

    mutating func record(_ event: LaneEvent) {
        switch event {
        case .orderSubmitted(let o): lines.append("submitted \(o.id) \(o.purpose) \(o.status.rawValue)")
        case .orderChanged(let o): lines.append("changed \(o.id) \(o.status.rawValue)")
        case .orderClosed(let o): lines.append("closed \(o.id) \(o.status.rawValue)")
        case let .trade(t, o): lines.append("trade \(t.id) order \(o.id) \(o.status.rawValue) \(t.fill.quantity)@\(t.fill.price)")
        case .snapshot(let s): lines.append("snapshot \(s.date) \(s.equity)")
        case .riskEvent(let e): lines.append("risk \(e.kind)")
        case let .signal(signal, actedOn): lines.append("signal \(signal.ticker) \(signal.side.rawValue)\(actedOn ? " acted on" : "")")
        case .mark(let m): marks.append("\(m.time.iso8601) \(m.equity) \(m.openPositions)")
        case .roundTrip(let r): lines.append("round trip \(r.side.rawValue) \(r.quantity) \(r.ticker) net \(r.netPnL)")
        }
    }
}

@Suite struct LaneRecorderTests {
    @Test("a lane tells its recorder each thing as it happens: submitted, the trade with the order after it, closed, the day's snapshot")
    func eventOrder() throws {
        // Given a buy decided at 09:35 and filled at the 09:35 bar's open + 1 bp
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var o = Orchestrator(settings: OrchestratorSettings(), clock: SimulatedClock(), agents: [scripted(agent)],
                             variants: [ConfigurableFillModel.seed], risk: .reference, initialBalance: Fixed(100_000),
                             recorder: { _, _ in EventLog() })
        // When six bars replay and the replay ends
        for m in 0..<6 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.finish()
        // Then: 100 shares (10 % of equity at $100) for 10 001 + $0.50; marked at 100 the day ends at 100 000 − 1.50
        #expect(o.lanes[0].recorder.lines == [
            "signal AAPL buy acted on",
            "submitted 1 signal_entry pending",
            "trade 1 order 1 filled 100@100.01",
            "closed 1 filled",
            "snapshot 2024-03-11 99998.50",
        ])
        // One mark per step, at the step's end, after its fills: the equity curve the run folder samples.
        #expect(o.lanes[0].recorder.marks == [
            "2024-03-11T13:31:00Z 100000.00 0", "2024-03-11T13:32:00Z 100000.00 0", "2024-03-11T13:33:00Z 100000.00 0",
            "2024-03-11T13:34:00Z 100000.00 0", "2024-03-11T13:35:00Z 100000.00 0", "2024-03-11T13:36:00Z 99998.50 1",
        ])
    }

    @Test("the in-memory recorder keeps each order as it last stood, in id order; trades, snapshots and risk events as they came")
    func inMemory() {
        var order = Order(id: 1, agent: "a", ticker: "AAPL", side: .buy, type: .stopLimit, quantity: 10, limitPrice: Fixed(10),
                          stopPrice: Fixed(9), submittedAt: sessionOpen, purpose: "p")
        let other = Order(id: 2, agent: "a", ticker: "MSFT", side: .buy, type: .market, quantity: 5, submittedAt: sessionOpen, purpose: "q")
        var recorder = InMemoryRecorder()
        recorder.record(.orderSubmitted(order))
        recorder.record(.orderSubmitted(other))
        order.stopTriggered = true
        recorder.record(.orderChanged(order))
        order.status = .cancelled
        recorder.record(.orderClosed(order))
        recorder.record(.riskEvent(RiskEvent(time: sessionOpen, kind: "daily_loss_limit", detail: "d")))
        #expect(recorder.orders.map(\.id) == [1, 2])
        #expect(recorder.orders[0].status == .cancelled && recorder.orders[0].stopTriggered)
        #expect(recorder.orders[1].status == .pending)
        #expect(recorder.riskEvents.map(\.kind) == ["daily_loss_limit"])
        #expect(recorder.trades.isEmpty && recorder.snapshots.isEmpty)
    }

    @Test("the lane's totals count fills, closing trades per day and their statistics as the trades are booked")
    func runningTotals() throws {
        func fill(_ side: OrderSide, _ price: String, minute: Int64) -> Fill {
            Fill(orderID: 1, agent: "t", ticker: "AAPL", side: side, orderType: .market, time: sessionOpen.adding(minutes: minute), quantity: 10,
                 price: Fixed(parsing: price)!, referencePrice: Fixed(parsing: price)!, commission: .zero, rule: .marketNextOpen)
        }
        let monday = CivilDate(year: 2024, month: 3, day: 11), tuesday = CivilDate(year: 2024, month: 3, day: 12)
        var totals = LaneTotals()
        totals = try totals.booking(fill(.buy, "100", minute: 1), realized: nil, openingSignal: "s", date: monday)
        totals = try totals.booking(fill(.sell, "102", minute: 2), realized: Fixed(20), openingSignal: "s", date: monday)
        totals = try totals.booking(fill(.sell, "99", minute: 3), realized: Fixed(-10), openingSignal: "s", date: tuesday)
        totals = try totals.booking(fill(.sell, "100", minute: 4), realized: .zero, openingSignal: "s", date: tuesday)
        #expect(totals.fills == 4)
        #expect(totals.perDay == [monday: .init(closes: 1, wins: 1), tuesday: .init(closes: 2, wins: 0)])
        // The same statistics as from the list of closes: a close at zero counts as a loss.
        #expect(totals.trades == TradeStatistics(realized: [Fixed(20), Fixed(-10), .zero]))
        #expect(totals.trades.wins == 1 && totals.trades.losses == 2 && totals.trades.grossLossesWide == Fixed(-10).wide)
    }
}
