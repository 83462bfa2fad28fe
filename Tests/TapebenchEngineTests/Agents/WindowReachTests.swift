import Testing
import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

/// A lane keeps of each ticker only the bars its agent reads (`SignalScanner.barsRead`,
/// `PreparedAgent.windowBarsRead`): the same actions as with the whole `window_bars`, in less memory.
@Suite struct WindowReachTests {
    /// Drives two lanes' worth of windows over the same seeded minutes, one keeping `window_bars` (100) bars
    /// a ticker, one keeping what the scanner reads; every asked minute must give the same actions (and the
    /// whole-window rule over the short window the same as over the long one). Returns the signals compared.
    static func compare<Scanner: SignalScanner>(_ scanner: Scanner, every: Int, seed: UInt64, minutes: Int = 1_500) -> Int {
        let kept = scanner.barsRead(recent: every)!
        #expect(kept < 100, "the case must keep fewer bars than window_bars")
        var long = ScanDriver(scanner, every: every, capacity: 100), short = ScanDriver(scanner, every: every, capacity: kept)
        var tape = RandomTape(seed: seed, outOfOrder: seed % 2 == 0)
        var held: [String: Int64] = [:]
        var pausedFor = 0, signals = 0
        for m in 0..<minutes {
            // Paused now and then, sometimes for longer than the short window holds (its state starts over).
            if pausedFor == 0, tape.roll(150) == 0 { pausedFor = Int(tape.roll(UInt64(kept) * 3 + 2)) }
            let asked = pausedFor == 0
            if pausedFor > 0 { pausedFor -= 1 }
            for ticker in tape.tickers where tape.roll(40) == 0 { held[ticker] = [0, 0, 10, -10][Int(tape.roll(4))] }
            let bars = tape.next()
            let a = long.minute(bars, held: held, asked: asked), b = short.minute(bars, held: held, asked: asked)
            guard let a, let b else { continue }
            #expect(b.incremental == a.incremental, "minute \(m)")
            #expect(b.wholeWindow == a.wholeWindow, "minute \(m)")
            signals += a.incremental.count
            if b.incremental != a.incremental { break }
        }
        return signals
    }

    @Test("VWAP: a window of recent + max(lookback, min session) bars signals as one of 100",
          arguments: [(30, 15, 5), (3, 3, 1), (2, 40, 5), (30, 1, 7), (12, 6, 5)])
    func vwap(lookback: Int, minBars: Int, every: Int) {
        var p = VWAPMeanReversionParameters()
        p.lookbackBars = lookback
        p.minSessionBars = minBars
        p.entryDeviationBasisPoints = 10
        p.exitDeviationBasisPoints = -5
        let agent = VWAPMeanReversionAgent(id: "v", parameters: p)
        #expect(agent.barsRead(recent: every) == every + max(lookback, minBars))
        for seed: UInt64 in 1...4 { #expect(Self.compare(agent, every: every, seed: seed) > 0, "seed \(seed)") }
    }

    @Test("breakout: a window of recent + max(lookback, exit lookback) bars signals as one of 100",
          arguments: [(30, 15, 5), (2, 2, 1), (15, 30, 7), (5, 9, 5)])
    func breakout(lookback: Int, exitLookback: Int, every: Int) {
        var p = BreakoutParameters()
        p.lookbackBars = lookback
        p.exitLookbackBars = exitLookback
        p.breakoutBasisPoints = 1
        let agent = BreakoutAgent(id: "b", parameters: p)
        #expect(agent.barsRead(recent: every) == every + max(lookback, exitLookback))
        for seed: UInt64 in 1...3 { #expect(Self.compare(agent, every: every, seed: seed) > 0, "seed \(seed)") }
    }

    @Test("volume surge: a window of recent + lookback bars signals as one of 100", arguments: [(20, 5), (2, 1), (20, 7), (5, 5)])
    func volumeSurge(lookback: Int, every: Int) {
        var p = VolumeSurgeParameters()
        p.lookbackBars = lookback
        p.surgeMultiplePercent = 150
        p.minMoveBasisPoints = 1
        let agent = VolumeSurgeAgent(id: "s", parameters: p)
        #expect(agent.barsRead(recent: every) == every + lookback)
        for seed: UInt64 in 1...3 { #expect(Self.compare(agent, every: every, seed: seed) > 0, "seed \(seed)") }
    }

    @Test("a lane keeps what its agent reads, all window_bars when its own rules read the window, at least 2")
    func barsKept() {
        var settings = OrchestratorSettings()
        settings.windowBars = 100
        #expect(TickerWindows.barsKept(agentReads: 35, settings: settings, risk: .reference) == 35)
        #expect(TickerWindows.barsKept(agentReads: nil, settings: settings, risk: .reference) == 100)
        #expect(TickerWindows.barsKept(agentReads: 1, settings: settings, risk: .reference) == 2)
        #expect(TickerWindows.barsKept(agentReads: 500, settings: settings, risk: .reference) == 100)
        var risk = RiskLimits.reference
        risk.minCorrelation = 0.8  // correlation groups: the returns over the whole window
        #expect(TickerWindows.barsKept(agentReads: 35, settings: settings, risk: risk) == 100)
        settings.volatilityTargetBasisPoints = 100  // volatility sizing: σ over the whole window
        #expect(TickerWindows.barsKept(agentReads: 35, settings: settings, risk: .reference) == 100)
    }

    /// A lane's events, every one (signals and marks too).
    struct EventLog: LaneRecorder {
        var events: [LaneEvent] = []
        mutating func record(_ event: LaneEvent) { events.append(event) }
    }

    /// The VWAP agent over seeded minutes of three tickers under two fill models: every lane's events.
    static func replay(keepingWholeWindows: Bool, seed: UInt64) throws -> (events: [[LaneEvent]], capacities: [Int]) {
        var p = VWAPMeanReversionParameters()
        p.entryDeviationBasisPoints = 10
        let settings = OrchestratorSettings()
        var prepared = try p.prepare(AgentContext(agentID: "v", tickers: ["AAA", "BBB", "CCC"], tickerLines: [:], settings: settings))
        if keepingWholeWindows { prepared.windowBarsRead = nil }
        var o = Orchestrator(settings: settings, clock: SimulatedClock(), agents: [(AgentConfig(id: "v", kind: "vwap_mean_reversion", definition: p), prepared)],
                             variants: [ConfigurableFillModel.seed, ConfigurableFillModel(FillModelSpec.preset("conservative")!)], risk: .reference, initialBalance: Fixed(100_000),
                             recorder: { _, _ in EventLog() })
        o.threads = 1
        var tape = RandomTape(seed: seed)
        for _ in 0..<3_000 { for bar in tape.next() { try o.process(bar) } }
        try o.finish()
        return (o.lanes.map(\.recorder.events), o.lanes.map { $0.state.windows.window("AAA")!.capacity })
    }

    @Test("a replay keeping 35 bars a ticker records every event of one keeping 100, signals included", arguments: [UInt64(1), 2])
    func replay(seed: UInt64) throws {
        let short = try Self.replay(keepingWholeWindows: false, seed: seed), long = try Self.replay(keepingWholeWindows: true, seed: seed)
        #expect(short.capacities == [35, 35])
        #expect(long.capacities == [100, 100])
        let signals = long.events[0].filter { if case .signal = $0 { true } else { false } }.count
        #expect(signals > 10)
        #expect(short.events == long.events)
    }
}
