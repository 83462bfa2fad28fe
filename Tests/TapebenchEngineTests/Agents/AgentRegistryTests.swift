import Testing
import TapebenchCore
@testable import TapebenchEngine

/// A kind a user's package could register: buys `quantity` shares of each ticker at its first bar.
struct BuyFirstBarKind: AgentKind {
    let name = "buy_first_bar"

    struct Definition: AgentDefinition {
        var quantity: Int64
        var parameterList: [(name: String, value: String)] { [("quantity", "\(quantity)")] }
        func prepare(_ context: AgentContext) throws -> PreparedAgent {
            let quantity = self.quantity
            return PreparedAgent(makeAgent: { BuyFirstBar(quantity: quantity) })
        }
    }

    struct BuyFirstBar: Agent {
        var quantity: Int64
        var bought: Set<String> = []
        mutating func decide(_ view: AgentView) -> [AgentAction] {
            view.bars.compactMap { bar in
                guard bought.insert(bar.ticker).inserted else { return nil }
                return .order(OrderRequest(ticker: bar.ticker, side: .buy, type: .market, quantity: quantity, purpose: "first_bar"))
            }
        }
    }

    func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        guard let quantity = try params.integer("quantity", range: 1...1_000) else { throw params.error(nil, "needs params: {quantity: N}") }
        try params.rejectUnknownKeys(known: ["quantity"])
        return Definition(quantity: quantity)
    }
}

@Suite struct AgentRegistryTests {
    static let head = "name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n"

    func parse(_ agent: String, registry: AgentRegistry) throws -> Scenario {
        try Scenario.parse(yaml: Self.head + agent, file: "s.yaml", contentHash: "", agents: registry)
    }

    func error(_ agent: String, registry: AgentRegistry) -> String? {
        do {
            _ = try parse(agent, registry: registry)
            return nil
        } catch let error as InputError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    func registry() throws -> AgentRegistry {
        var registry = AgentRegistry.builtIn
        try registry.register(BuyFirstBarKind())
        return registry
    }

    @Test("a kind registered next to the built-in ones is named by a scenario, its params read by it")
    func registered() throws {
        let s = try parse("    kind: buy_first_bar\n    params: {quantity: 7}\n", registry: try registry())
        #expect(s.agents.map(\.kind) == ["buy_first_bar"])
        #expect(s.agents[0].parameterList.map(\.value) == ["7"])
        // A kind that declares only text parameters is reported as text (typed ones are the kind's to declare).
        #expect(s.agents[0].parameters == [ParameterEntry("quantity", .text("7"))])
        #expect(try registry().names == ["vwap_mean_reversion", "volume_surge", "breakout", "order_tape", "signal_tape", "process", "buy_first_bar"])
    }

    @Test("errors in a registered kind's params name file, line and field, as the built-in kinds' do", arguments: [
        ("    kind: buy_first_bar\n", "s.yaml:6: field 'agents[0].params': needs params: {quantity: N}"),
        ("    kind: buy_first_bar\n    params: {quantity: 0}\n", "s.yaml:8: field 'agents[0].params.quantity': must be between 1 and 1000, got 0"),
        ("    kind: buy_first_bar\n    params: {quantity: 1, colour: red}\n", "s.yaml:8: field 'agents[0].params.colour': unknown key; expected one of: quantity"),
        ("    kind: sell_last_bar\n", "s.yaml:7: field 'agents[0].kind': unknown agent kind 'sell_last_bar'; expected one of: vwap_mean_reversion, volume_surge, breakout, order_tape, signal_tape, process, buy_first_bar"),
    ])
    func errors(agent: String, message: String) throws {
        #expect(error(agent, registry: try registry()) == message)
    }

    @Test("a name registered twice, or not a safe name, is refused")
    func refused() throws {
        var registry = AgentRegistry.builtIn
        #expect(throws: AgentRegistryError(message: "agent kind 'breakout' is registered twice")) { try registry.register(BreakoutKind()) }
        struct Odd: AgentKind {
            let name = "a/b"
            func configure(_ params: inout AgentParameters) throws -> any AgentDefinition { VWAPMeanReversionParameters() }
        }
        #expect(throws: AgentRegistryError.self) { try registry.register(Odd()) }
        #expect(registry.names.count == 6)
    }

    @Test("a kind that reads no params still refuses the ones it was given")
    func unreadParams() throws {
        struct Silent: AgentKind {
            let name = "silent"
            func configure(_ params: inout AgentParameters) throws -> any AgentDefinition { VWAPMeanReversionParameters() }
        }
        var registry = AgentRegistry()
        try registry.register(Silent())
        #expect(error("    kind: silent\n    params: {x: 1}\n", registry: registry) == "s.yaml:8: field 'agents[0].params.x': unknown key; none is expected here")
        #expect(try parse("    kind: silent\n", registry: registry).agents.count == 1)
    }
}
