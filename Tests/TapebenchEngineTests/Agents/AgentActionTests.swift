import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

/// An agent that returns, at each minute's end, the actions it is told for that time, and keeps the views it saw.
final class ActionScript: Agent, @unchecked Sendable {
    var script: [Timestamp: [AgentAction]] = [:]
    var views: [AgentView] = []
    var unplaced: [UnplacedOrder] = []
    /// The minutes (by their end) it says it may not act in (`mayAct`): the lane does not ask it then.
    var quiet: Set<Timestamp> = []

    func mayAct(on bars: [Bar]) -> Bool { !quiet.contains(bars[0].end) }

    func decide(_ view: AgentView) -> [AgentAction] {
        views.append(view)
        return script[view.time] ?? []
    }

    func unplacedOrders() -> [UnplacedOrder] { unplaced }
}

func lane(_ agent: ActionScript, risk: RiskLimits = .reference) -> Orchestrator<SimulatedClock, InMemoryRecorder> {
    Orchestrator(settings: OrchestratorSettings(),
                 agents: [(AgentConfig(id: "script", kind: "script", definition: VWAPMeanReversionParameters()), PreparedAgent(makeAgent: { agent }))],
                 variants: [ConfigurableFillModel.seed], risk: risk, initialBalance: Fixed(100_000))
}

func order(_ side: OrderSide, _ quantity: Int64, _ type: OrderType = .market, limit: String? = nil, client: String? = nil, purpose: String = "mine") -> AgentAction {
    .order(OrderRequest(ticker: "AAPL", side: side, type: type, quantity: quantity, limitPrice: limit.flatMap { Fixed(parsing: $0) },
                        clientID: client, purpose: purpose))
}

@Suite struct AgentActionTests {
    @Test("an agent's order goes straight to the executor, decided at the minute's end, and fills from the next bar")
    func orders() throws {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [order(.buy, 7)]
        var o = lane(agent)
        for m in 0..<3 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.finish()
        let run = o.lanes[0].result
        #expect(run.orders.map(\.purpose) == ["mine"])
        #expect(run.orders[0].submittedAt == sessionOpen.adding(minutes: 1))
        #expect(run.trades.map(\.fill.time) == [sessionOpen.adding(minutes: 2)])  // the 09:31 bar, filled at its open + 1 bp
        #expect(run.trades[0].fill.price == Fixed(parsing: "100.01"))
        #expect(run.counts.signalsGenerated == 0)
    }

    @Test("an order placed with a client id can be cancelled by it; a cancel of an unknown id changes nothing and is reported")
    func cancel() throws {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [order(.buy, 5, .limit, limit: "90.00", client: "dip"), .cancel(clientID: "nothing")]
        agent.script[sessionOpen.adding(minutes: 3)] = [.cancel(clientID: "dip")]
        var o = lane(agent)
        for m in 0..<4 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.finish()
        let run = o.lanes[0].result
        #expect(run.orders.count == 1)
        #expect(run.orders[0].status == .cancelled)
        #expect(run.orders[0].rejectReason == "cancelled: by the agent (dip)")
        #expect(run.orders[0].closedAt == sessionOpen.adding(minutes: 3))
        #expect(run.summary.ordersByStatus.first { $0.status == .cancelled }?.count == 1)
        #expect(run.riskEvents == [RiskEvent(time: sessionOpen.adding(minutes: 1), kind: "cancel_not_open",
                                             detail: "cancel of nothing not applied: no order was placed with this client id")])
    }

    @Test("of a ticker's signals in one minute, all are counted and the newest fresh one is acted on")
    func signals() throws {
        let agent = ActionScript()
        let t = sessionOpen.adding(minutes: 1)
        func signal(_ side: OrderSide, minutesOld: Int64, _ reason: String) -> AgentAction {
            .signal(Signal(agent: "script", ticker: "AAPL", side: side, time: t.adding(minutes: -minutesOld), price: Fixed(100), reason: .text(reason)))
        }
        // The newest of the three is too old (6 minutes): the one before it, 5 minutes old, is acted on.
        agent.script[t] = [signal(.buy, minutesOld: 1, "a"), signal(.buy, minutesOld: 5, "b"), signal(.buy, minutesOld: 6, "c")]
        var o = lane(agent)
        for m in 0..<2 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.finish()
        let run = o.lanes[0].result
        #expect(run.counts.signalsGenerated == 3 && run.counts.signalsActedOn == 1)
        #expect(run.orders.map(\.signal) == ["b"])
        #expect(run.orders[0].quantity == 100)  // 10 % of $100 000 at the $100 close
    }

    @Test("a buy order is refused while the daily loss limit blocks entries, with a risk event naming it; sells go ahead")
    func blockedEntries() throws {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [order(.buy, 100)]
        agent.script[sessionOpen.adding(minutes: 3)] = [order(.buy, 10, purpose: "again"), order(.sell, 100, purpose: "out")]
        var risk = RiskLimits.reference
        risk.dailyLossLimitBasisPoints = 100
        var o = lane(agent, risk: risk)
        try o.process(minuteBar(0, open: "100.00"))
        try o.process(minuteBar(1, open: "100.00"))                 // 100 bought at 100.01
        try o.process(minuteBar(2, open: "100.00", close: "80.00"))  // −$2 000: entries blocked at 09:33
        try o.process(minuteBar(3, open: "80.00"))
        try o.finish()
        let run = o.lanes[0].result
        #expect(run.riskEvents.map(\.kind) == ["daily_loss_limit", "daily_loss_limit"])
        #expect(run.riskEvents[1].detail == "again (buy 10 AAPL) not submitted: no new entries today")
        #expect(run.orders.map(\.purpose) == ["mine", "out"])
    }

    @Test("a position the agent opened with its own order gets no stop-loss from the orchestrator")
    func ownPositionsUnmanaged() throws {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [order(.buy, 100)]
        var o = lane(agent)
        try o.process(minuteBar(0, open: "100.00"))
        try o.process(minuteBar(1, open: "100.00"))
        try o.process(minuteBar(2, open: "100.00", close: "50.00"))  // −50 %: far past the 5 % stop
        try o.process(minuteBar(3, open: "50.00"))
        try o.finish()
        #expect(o.lanes[0].result.orders.map(\.purpose) == ["mine"])
        #expect(o.lanes[0].result.account.position("AAPL")?.quantity == 100)
    }

    @Test("the agent sees the minute's bars, windows, bar counts, positions, account facts and open orders")
    func view() throws {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [order(.buy, 5, .limit, limit: "90.00")]
        var o = lane(agent)
        for m in 0..<3 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.finish()
        let last = try #require(agent.views.last)
        #expect(last.time == sessionOpen.adding(minutes: 3))
        #expect(last.bars.map(\.start) == [sessionOpen.adding(minutes: 2)])
        #expect(last.window("AAPL")?.count == 3 && last.barCount("AAPL") == 3 && last.window("MSFT") == nil)
        #expect(last.openOrders.map(\.limitPrice) == [Fixed(90)])
        #expect(last.position("AAPL") == nil && last.sortedPositions.isEmpty)
        #expect(last.account.equity == Fixed(100_000) && last.account.dayStartEquity == Fixed(100_000) && last.account.status == .active)
    }

    @Test("orders the agent never placed are listed at the end as cancelled, with its reason")
    func unplaced() throws {
        let agent = ActionScript()
        agent.unplaced = [UnplacedOrder(request: OrderRequest(ticker: "AAPL", side: .sell, type: .market, quantity: 3, purpose: "late"),
                                        time: sessionOpen.adding(minutes: 400), reason: "no AAPL bar at or after its time")]
        var o = lane(agent)
        try o.process(minuteBar(0, open: "100.00"))
        try o.finish()
        let run = o.lanes[0].result
        #expect(run.orders.map(\.status) == [.cancelled])
        #expect(run.orders[0].rejectReason == "end_of_replay: never submitted: no AAPL bar at or after its time")
        #expect(run.orders[0].submittedAt == sessionOpen.adding(minutes: 400))
    }
}
