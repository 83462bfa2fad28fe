import Foundation
import Testing
import TapebenchCore
import TapebenchData
import TapebenchExecution
@testable import TapebenchEngine

/// `Orchestrator.replay(from:)` with several threads: lanes replay side by side, a lane up to
/// `pipelineDepth` batches ahead of another, and the result is the one of a single thread, event by event;
/// a lane's stop is the same error.
@Suite struct LanePipelineTests {
    /// Two tickers over eight weekdays from 2024-03-11, regular hours only: 3,120 one-minute steps, four
    /// batches of at most `replayBatchSteps` steps.
    static func bars(seed: UInt64) -> [Bar] {
        var random = SplitMix64(seed: seed)
        var bars: [Bar] = []
        var prices: [Int64] = [100_000_000_000, 40_000_000_000]
        for day in [0, 1, 2, 3, 4, 7, 8, 9] as [Int64] {
            for minute in 0..<390 as Range<Int64> {
                for (index, ticker) in ["AAA", "BBB"].enumerated() {
                    let step = Int64(random.next() % 2_000_001) - 1_000_000
                    let o = prices[index], c = max(1_000_000_000, o + step * 60)
                    prices[index] = c
                    bars.append(Bar(ticker: ticker, start: sessionOpen.adding(minutes: day * 1_440 + minute), open: Fixed(raw: o),
                                    high: Fixed(raw: max(o, c) + 10_000_000), low: Fixed(raw: min(o, c) - 10_000_000), close: Fixed(raw: c),
                                    volume: Double(100 + random.next() % 5_000)))
                }
            }
        }
        return bars
    }

    /// The VWAP agent, made to trade within a few bars; `slow` sleeps 4 ms every 100th minute it is asked (a
    /// lane many times slower than the others).
    struct Scanning: Agent {
        var inner: ScanningAgent<VWAPMeanReversionAgent>
        var slow: Bool
        var asked = 0

        mutating func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction] {
            asked += 1
            if slow, asked % 100 == 0 { Thread.sleep(forTimeInterval: 0.004) }
            return try inner.decide(view)
        }
    }

    static func agent(_ id: String, slow: Bool = false, failAt: Timestamp? = nil) -> (config: AgentConfig, agent: PreparedAgent) {
        var parameters = VWAPMeanReversionParameters()
        parameters.minSessionBars = 5
        let vwap = parameters
        let config = AgentConfig(id: id, kind: "vwap_mean_reversion", definition: vwap)
        if let failAt { return (config, PreparedAgent(makeAgent: { FailingAgent(failAt: failAt) })) }
        return (config, PreparedAgent(makeAgent: { Scanning(inner: ScanningAgent(scanner: VWAPMeanReversionAgent(id: id, parameters: vwap), every: 5), slow: slow) }))
    }

    static let variants: [any FillModel] = [ConfigurableFillModel.seed, ConfigurableFillModel(.conservative), ConfigurableFillModel(.backtrader)]

    static func replay(_ bars: [Bar], agents: [(config: AgentConfig, agent: PreparedAgent)], threads: Int, cores: Int? = 4) throws
        -> Orchestrator<SimulatedClock, InMemoryRecorder> {
        var o = Orchestrator(settings: OrchestratorSettings(), agents: agents, variants: variants, risk: .reference, initialBalance: Fixed(100_000))
        o.threads = threads
        o.cores = cores
        var stream: any BarStream = StreamIntakeTests.CountingStream(bars: bars)
        try o.replay(from: &stream, progressEvery: 1_000)
        try o.finish()
        return o
    }

    @Test("2 and 4 threads replay every lane as one thread does: the same orders, trades and snapshots", arguments: [2, 4])
    func sameAsOneThread(threads: Int) throws {
        let bars = Self.bars(seed: UInt64(threads))
        let agents = [Self.agent("a"), Self.agent("b")]
        let one = try Self.replay(bars, agents: agents, threads: 1)
        let many = try Self.replay(bars, agents: agents, threads: threads)
        #expect(one.lastSchedule == nil)
        #expect(many.lastSchedule != nil)
        #expect(one.results.count == 6)
        #expect(one.results.contains { !$0.orders.isEmpty })  // not a comparison of empty runs
        for (a, b) in zip(one.results, many.results) {
            #expect(a.orders == b.orders)
            #expect(a.trades == b.trades)
            #expect(a.snapshots == b.snapshots)
        }
        #expect(one.statistics.barsReplayed == many.statistics.barsReplayed)
        #expect(many.statistics.barsReplayed == bars.count)
    }

    @Test("no more threads than the cores the process may run on, and none for a single lane: the lanes replay on the calling thread")
    func coresAndOneLane() throws {
        let bars = Self.bars(seed: 2)
        let one = try Self.replay(bars, agents: [Self.agent("a")], threads: 1)
        // Three lanes, 4 threads asked, one core: no schedule.
        #expect(try Self.replay(bars, agents: [Self.agent("a")], threads: 4, cores: 1).lastSchedule == nil)
        // A single lane (one agent, one variant) on 4 cores: none either, and the same events.
        var o = Orchestrator(settings: OrchestratorSettings(), agents: [Self.agent("a")], variants: [ConfigurableFillModel.seed], risk: .reference,
                             initialBalance: Fixed(100_000))
        o.threads = 4
        o.cores = 4
        var stream: any BarStream = StreamIntakeTests.CountingStream(bars: bars)
        try o.replay(from: &stream)
        try o.finish()
        #expect(o.lastSchedule == nil)
        #expect(o.results[0].orders == one.results[0].orders)
        #expect(!o.results[0].orders.isEmpty)
        // What this machine allows: at least one core, at most its processors.
        let cores = try #require(ParallelJobs.coresAvailable)
        #expect(cores >= 1 && cores <= ProcessInfo.processInfo.processorCount)
    }

    @Test("lanes run ahead of a slow one instead of waiting for it at each batch, with the same result")
    func runAhead() throws {
        let bars = Self.bars(seed: 11)
        let agents = [Self.agent("fast"), Self.agent("slow", slow: true)]
        let one = try Self.replay(bars, agents: agents, threads: 1)
        let many = try Self.replay(bars, agents: agents, threads: 2)
        let schedule = try #require(many.lastSchedule)
        // The fast lanes took a batch while the slow lane had not finished the one before it …
        #expect(schedule.maxLead >= 1)
        // … and never more than the slots allow.
        #expect(schedule.maxLead < Orchestrator<SimulatedClock, InMemoryRecorder>.pipelineDepth)
        for (a, b) in zip(one.results, many.results) {
            #expect(a.orders == b.orders)
            #expect(a.snapshots == b.snapshots)
        }
    }

    /// The stop `body` threw (nil when it threw nothing; a test failure when it threw something else).
    static func halt(_ body: () throws -> Void) -> ReplayHalt? {
        do {
            try body()
            return nil
        } catch let halt as ReplayHalt {
            return halt
        } catch {
            Issue.record("not a stop: \(error)")
            return nil
        }
    }

    @Test("a lane failing mid-run stops the replay with the same error on 1, 2 and 4 threads", arguments: [2, 4])
    func failingLane(threads: Int) throws {
        let bars = Self.bars(seed: 5)
        // Day 3, 11:00: in the third batch of 1,024 steps, while the other lanes may already be a batch ahead.
        let failAt = sessionOpen.adding(minutes: 3 * 1_440 + 91)
        let agents = [Self.agent("a"), Self.agent("b", failAt: failAt), Self.agent("c", slow: true)]
        let one = try #require(Self.halt { _ = try Self.replay(bars, agents: agents, threads: 1) })
        // The first lane of agent b (its three variants fail at the same bar), at the bar before the failing view.
        #expect(one.agent == "b" && one.variant == "seed" && one.cause == .agentFailed)
        #expect(one.barStart == failAt.adding(minutes: -1))
        #expect(Self.halt { _ = try Self.replay(bars, agents: agents, threads: threads) } == one)
    }

    @Test("a stream error after a lane's stop: the stop is thrown, as with one thread", arguments: [1, 2])
    func stopBeforeStreamError(threads: Int) throws {
        struct Broken: Error, Equatable {}
        /// Fails when asked for bar `failAt`.
        struct FailingStream: BarStream {
            var bars: [Bar]
            var failAt: Int
            var position = 0
            var quality: DataQualityReport { DataQualityReport() }
            var tickers: TickerTable { TickerTable() }
            mutating func next() throws -> Bar? {
                if position == failAt { throw Broken() }
                guard position < bars.count else { return nil }
                defer { position += 1 }
                return bars[position]
            }
        }
        let bars = Self.bars(seed: 3)
        let failAt = sessionOpen.adding(minutes: 10)
        let agents = [Self.agent("a", slow: true), Self.agent("b", failAt: failAt)]
        func run(breakAt: Int) throws {
            var o = Orchestrator(settings: OrchestratorSettings(), agents: agents, variants: Self.variants, risk: .reference, initialBalance: Fixed(100_000))
            o.threads = threads
            o.cores = 4
            var stream: any BarStream = FailingStream(bars: bars, failAt: breakAt)
            try o.replay(from: &stream)
            try o.finish()
        }
        // The stream breaks in the third batch (after 2 × 1,024 two-bar steps); the stop was in the first.
        let stop = try #require(Self.halt { try run(breakAt: 4_500) })
        #expect(stop.agent == "b" && stop.variant == "seed" && stop.barStart == failAt.adding(minutes: -1))
        // A stream that breaks in the first batch, before any step was replayed: its own error.
        #expect(throws: Broken()) { try run(breakAt: 100) }
    }
}

@Suite struct LaneScheduleTests {
    @Test("jobs come earliest batch first, then lane order; a lane replays its batches in order, one at a time")
    func order() {
        let schedule = LaneSchedule(lanes: 3, depth: 2)
        #expect(schedule.tryTake() == nil)  // nothing handed over yet
        schedule.submit()
        schedule.submit()
        let a = schedule.tryTake(), b = schedule.tryTake()
        #expect(a == LaneSchedule.Job(lane: 0, batch: 0))
        #expect(b == LaneSchedule.Job(lane: 1, batch: 0))
        schedule.finished(a!, halted: false)
        // Lane 2 has not replayed batch 0: it comes before lane 0's batch 1.
        #expect(schedule.tryTake() == LaneSchedule.Job(lane: 2, batch: 0))
        #expect(schedule.tryTake() == LaneSchedule.Job(lane: 0, batch: 1))
        // Lane 0 is busy, lane 1 and 2 too: nothing else.
        #expect(schedule.tryTake() == nil)
        #expect(schedule.maxLead == 1)
    }

    @Test("a slot is free once every lane has replayed its batch")
    func room() {
        let schedule = LaneSchedule(lanes: 2, depth: 2)
        schedule.submit()
        schedule.submit()
        #expect(!schedule.hasRoom)
        #expect(schedule.nextSlot == 0)
        let first = schedule.tryTake()!
        schedule.finished(first, halted: false)
        #expect(!schedule.hasRoom)  // lane 1 has still to replay batch 0
        let second = schedule.tryTake()!
        #expect(second == LaneSchedule.Job(lane: 1, batch: 0))
        schedule.finished(second, halted: false)
        #expect(schedule.hasRoom)
        schedule.submit()
        #expect(schedule.nextSlot == 1)  // batch 3's slot
    }
}
