import Testing
import TapebenchCore
import TapebenchData
import TapebenchExecution
@testable import TapebenchEngine

/// A lane hands its events to its recorder every `eventsHandedOver` or so, not once per batch of up to
/// 1,024 steps: its buffer is bounded by that and one step's events, whatever the batch.
@Suite struct EventHandOverTests {
    /// Every event, and the size of each hand-over.
    struct ChunkLog: LaneRecorder {
        var events: [LaneEvent] = []
        var chunks: [Int] = []
        mutating func record(_ event: LaneEvent) { events.append(event) }
        mutating func record(contentsOf events: LaneEvents) {
            chunks.append(events.count)
            self.events += events.all
        }
    }

    @Test("3,000 minutes of three signalling tickers: hand-overs of at most 512 events and one step's, none lost")
    func bounded() throws {
        var p = VWAPMeanReversionParameters()
        p.entryDeviationBasisPoints = 10
        let settings = OrchestratorSettings()
        let prepared = try p.prepare(AgentContext(agentID: "v", tickers: ["AAA", "BBB", "CCC"], tickerLines: [:], settings: settings))
        var o = Orchestrator(settings: settings, clock: SimulatedClock(), agents: [(AgentConfig(id: "v", kind: "vwap_mean_reversion", definition: p), prepared)],
                             variants: [ConfigurableFillModel.seed], risk: .reference, initialBalance: Fixed(100_000), recorder: { _, _ in ChunkLog() })
        o.threads = 1
        var tape = RandomTape(seed: 3)
        for _ in 0..<3_000 { for bar in tape.next() { try o.process(bar) } }
        try o.finish()
        let log = o.lanes[0].recorder
        // A step records its mark, at most 5 signals a ticker, and a few orders and fills: far below 64.
        #expect(log.chunks.max()! < Lane<SimulatedClock, ChunkLog>.eventsHandedOver + 64)
        #expect(log.chunks.reduce(0, +) == log.events.count)
        // Before: one hand-over per batch of 1,024 steps, each with a mark a step.
        #expect(log.events.filter { if case .mark = $0 { true } else { false } }.count > 1_024)
        #expect(log.events.contains { if case .signal = $0 { true } else { false } })
    }
}
