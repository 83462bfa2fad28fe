import Testing
import TapebenchCore
import TapebenchData
import TapebenchExecution
@testable import TapebenchEngine

/// Trades on what comes next: at each minute it looks up the bar ending 5 minutes later (in the bars it was
/// handed, the replay's whole input) and buys 10 shares when that bar closes higher than now, sells when lower.
/// A test-only cheat, for `CausalityCheck` to catch.
struct PeekingAgent: Agent {
    let future: [Timestamp: Price]

    init(bars: [Bar]) {
        future = Dictionary(bars.map { ($0.end, $0.close) }, uniquingKeysWith: { a, _ in a })
    }

    mutating func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction] {
        guard let now = view.bars.first, let later = future[view.time.adding(minutes: 5)], later != now.close else { return [] }
        let held = view.position(now.ticker)?.quantity ?? 0
        if later > now.close && held == 0 {
            return [.order(OrderRequest(ticker: now.ticker, side: .buy, type: .market, quantity: 10, purpose: "peek"))]
        }
        if later < now.close && held > 0 {
            return [.order(OrderRequest(ticker: now.ticker, side: .sell, type: .market, quantity: held, purpose: "peek"))]
        }
        return []
    }
}

/// Buys at 09:40 and sells at 10:10, whatever the prices: honest.
struct ClockAgent: Agent {
    mutating func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction] {
        guard let bar = view.bars.first else { return [] }
        if view.time == sessionOpen.adding(minutes: 10) {
            return [.order(OrderRequest(ticker: bar.ticker, side: .buy, type: .limit, quantity: 10, limitPrice: bar.close, purpose: "entry"))]
        }
        if view.time == sessionOpen.adding(minutes: 40), let held = view.position(bar.ticker)?.quantity {
            return [.order(OrderRequest(ticker: bar.ticker, side: .sell, type: .market, quantity: held, purpose: "exit"))]
        }
        return []
    }
}

@Suite struct CausalityCheckTests {
    /// 90 minutes of AAPL from 09:30 on 2024-03-11, a zig-zag around 100.
    static let bars: [Bar] = (0..<90).map { m in
        let price = Fixed(100) + Fixed(raw: Int64((m * 37) % 23 - 11) * 10_000_000)
        return Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: Int64(m)), open: price, high: price + Fixed(raw: 5_000_000),
                   low: price - Fixed(raw: 5_000_000), close: price, volume: 10_000)
    }

    static func check(_ make: @escaping @Sendable ([Bar]) -> any Agent, cuts: [Timestamp]) throws -> CausalityCheck.Report {
        let config = AgentConfig(id: "a", kind: "test", definition: VWAPMeanReversionParameters())
        return try CausalityCheck.check(bars: bars, cuts: cuts, settings: OrchestratorSettings(),
                                        agents: { bars in [(config, PreparedAgent(makeAgent: { make(bars) }))] },
                                        variants: [ConfigurableFillModel.seed, ConfigurableFillModel(.conservative)],
                                        risk: .reference, initialBalance: Fixed(100_000))
    }

    @Test("cut times are spread over the data, inside a session")
    func cutTimes() {
        let cuts = CausalityCheck.cutTimes(Self.bars, count: 3)
        // 89 bar ends inside the session (the last is not followed by another of its day): at 89/4, 89/2, 3·89/4.
        #expect(cuts == [23, 45, 67].map { sessionOpen.adding(minutes: $0) })
    }

    @Test("an agent that reads only what has happened passes: nothing at or before a cut changes")
    func honest() throws {
        let report = try Self.check({ _ in ClockAgent() }, cuts: CausalityCheck.cutTimes(Self.bars, count: 3))
        #expect(report.leaks.isEmpty)
        #expect(report.comparisons == 12)  // 2 lanes × 3 cuts × (cut, perturbed)
        #expect(report.eventsCompared > 0)
    }

    @Test("a peeking agent is caught, under both replays, with the first difference in one line")
    func peeking() throws {
        let cut = sessionOpen.adding(minutes: 45)
        let report = try Self.check({ PeekingAgent(bars: $0) }, cuts: [cut])
        #expect(Set(report.leaks.map(\.variant)) == [.cut, .perturbed])
        #expect(Set(report.leaks.map(\.fillModel)) == ["seed", "conservative"])
        let leak = try #require(report.leaks.first { $0.variant == .cut && $0.fillModel == "seed" })
        // Within 5 minutes of the cut the agent sees no future bar there: its last orders before the cut go missing.
        #expect(leak.time > cut.adding(minutes: -5) && leak.time <= cut)
        #expect(leak.description.hasPrefix("leak: agent 'a' under 'seed', cut at 2024-03-11T14:15:00Z (data cut after it): at "))
        #expect(!leak.description.contains("\n"))
    }

    @Test("perturbed bars are changed only after the cut, and stay valid bars")
    func perturbed() {
        let cut = sessionOpen.adding(minutes: 45)
        let changed = CausalityCheck.perturb(Self.bars, after: cut)
        #expect(Array(changed.prefix(45)) == Array(Self.bars.prefix(45)))
        for (a, b) in zip(changed.dropFirst(45), Self.bars.dropFirst(45)) {
            #expect(a.close != b.close && a.volume == b.volume * 3)
            #expect(a.low <= min(a.open, a.close) && a.high >= max(a.open, a.close))
        }
    }
}
