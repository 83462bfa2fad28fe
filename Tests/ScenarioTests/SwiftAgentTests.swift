import Testing
import TapebenchCore
import TapebenchEngine

/// A user's Swift agent: buys `quantity` of each ticker at the close of its second bar.
struct SecondBarKind: AgentKind {
    let name = "second_bar"

    struct Definition: AgentDefinition {
        var quantity: Int64
        var parameterList: [(name: String, value: String)] { [("quantity", "\(quantity)")] }
        func prepare(_ context: AgentContext) throws -> PreparedAgent {
            let quantity = self.quantity
            return PreparedAgent(makeAgent: { Agent(quantity: quantity) })
        }
    }

    struct Agent: TapebenchEngine.Agent {
        var quantity: Int64
        mutating func decide(_ view: AgentView) -> [AgentAction] {
            view.bars.filter { view.barCount($0.ticker) == 2 }.map {
                .order(OrderRequest(ticker: $0.ticker, side: .buy, type: .market, quantity: quantity, purpose: "second_bar"))
            }
        }
    }

    func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        let quantity = try params.integer("quantity", range: 1...1_000) ?? 1
        try params.rejectUnknownKeys(known: ["quantity"])
        return Definition(quantity: quantity)
    }
}

@Suite struct SwiftAgentTests {
    @Test("a Swift agent registered through the library replays a scenario like a built-in one, each lane with its own agent")
    func registered() throws {
        var agents = AgentRegistry.builtIn
        try agents.register(SecondBarKind())
        let bars = (0..<4).map { TestBar(minute: Int64($0), open: "10.00", high: "10.00", low: "10.00", close: "10.00") }
        let result = try runTestScenario(bars: bars, yaml: """
            name: swift-agent
            data: {paths: [data], tickers: [TST]}
            agents:
              - id: mine
                kind: second_bar
                params: {quantity: 3}
            fill_models: [seed, conservative]
            """, agents: agents)
        // Decided at the close of the 09:31 bar (09:32), filled at the 09:32 bar's open, in both lanes.
        #expect(result.lanes.map(\.variant) == ["seed", "conservative"])
        for lane in result.lanes {
            #expect(lane.config.kind == "second_bar")
            #expect(lane.orders.map(\.purpose) == ["second_bar"])
            #expect(lane.orders[0].submittedAt.iso8601 == "2024-03-11T13:32:00Z")
            #expect(lane.trades.map(\.fill.quantity) == [3])
            #expect(lane.trades[0].fill.time.iso8601 == "2024-03-11T13:33:00Z")
        }
    }
}
