import Testing
import TapebenchCore
import TapebenchExecution
@testable import TapebenchEngine

/// An agent that fails at a given minute, or when it is told the end.
struct FailingAgent: Agent {
    var failAt: Timestamp?
    var failAtEnd = false

    func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction] {
        if view.time == failAt { throw AgentFailure("message 3 (bars): it broke") }
        return []
    }

    func finish() throws(AgentFailure) {
        if failAtEnd { throw AgentFailure("message 9 (end): the program exited with status 3") }
    }
}

@Suite struct AgentViewFillsTests {
    @Test("each view carries the fills booked since the agent was last asked, and the client ids of its orders")
    func fillsAndClientIDs() throws {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [order(.buy, 7, client: "first"), order(.buy, 3)]
        var o = lane(agent)
        for m in 0..<4 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.finish()
        // Decided at 09:31 (the first view), both filled in the 09:31 bar, seen at 09:32 (the second), nothing new after.
        #expect(agent.views.map(\.fills.count) == [0, 2, 0, 0])
        let seen = agent.views[1]
        #expect(seen.fills.map(\.fill.quantity) == [7, 3])
        #expect(seen.fills.map { seen.clientID(ofOrder: $0.fill.orderID) } == ["first", nil])
        #expect(seen.fills[0].fill.time == sessionOpen.adding(minutes: 2))
        #expect(seen.openOrders.isEmpty)
    }

    @Test("an agent that may not act in a minute is not asked; the fills booked meanwhile come with its next view")
    func notAskedWhenQuiet() throws {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1)] = [order(.buy, 7), order(.buy, 3)]
        agent.quiet = [sessionOpen.adding(minutes: 2)]
        var o = lane(agent)
        for m in 0..<4 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.finish()
        // Asked at 09:31, not at 09:32 (the fills of the 09:31 bar wait), then at 09:33 with both, and 09:34.
        #expect(agent.views.map(\.time) == [1, 3, 4].map { sessionOpen.adding(minutes: $0) })
        #expect(agent.views.map(\.fills.count) == [0, 2, 0])
        #expect(agent.views[1].fills.map(\.fill.quantity) == [7, 3])
    }

    func run(_ agent: FailingAgent, variants: [any FillModel] = [ConfigurableFillModel.seed]) throws {
        var o = Orchestrator(settings: OrchestratorSettings(),
                             agents: [(AgentConfig(id: "py", kind: "process", definition: VWAPMeanReversionParameters()), PreparedAgent(makeAgent: { agent }))],
                             variants: variants, risk: .reference, initialBalance: Fixed(100_000))
        for m in 0..<4 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.finish()
    }

    @Test("an agent's failure stops the replay, naming the agent, its fill model and the agent's message")
    func failure() {
        #expect(throws: ReplayHalt(ticker: "AAPL", barStart: sessionOpen.adding(minutes: 1), agent: "py", variant: "seed",
                                   reason: "message 3 (bars): it broke", cause: .agentFailed)) {
            try run(FailingAgent(failAt: sessionOpen.adding(minutes: 2)))
        }
        let halt = ReplayHalt(ticker: "AAPL", barStart: sessionOpen, agent: "py", variant: "seed", reason: "message 3 (bars): it broke", cause: .agentFailed)
        #expect(halt.description == "agent 'py' (fill model 'seed') stopped the replay: message 3 (bars): it broke")
    }

    @Test("an agent that fails as it ends stops the run too, with several lanes side by side")
    func failureAtEnd() {
        #expect(throws: ReplayHalt.self) { try run(FailingAgent(failAtEnd: true), variants: [ConfigurableFillModel.seed, ConfigurableFillModel.seed]) }
        #expect(throws: Never.self) { try run(FailingAgent()) }
    }
}
