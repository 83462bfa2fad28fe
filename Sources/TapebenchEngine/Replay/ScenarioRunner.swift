import Foundation
import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// Replays a scenario: opens its dataset, streams the selected bars through the orchestrator.
public enum ScenarioRunner {
    /// Every lane keeps its events in memory (`RunResult`): for tests and small replays.
    public static func run(_ scenario: Scenario, parallel: Bool = true, threads: Int? = nil, progress: ((ReplayProgress) -> Void)? = nil) throws -> RunResult {
        RunResult(try replay(scenario, parallel: parallel, threads: threads, progress: progress) { _, _ in InMemoryRecorder() })
    }

    /// The same replay, each lane telling its events to the recorder `recorder` makes for it (given the lane's
    /// agent and variant name, called in lane order: agents by id, each agent's variants in the scenario's
    /// order). `threads`: how many threads to use (default: the machine's cores). With one, everything runs
    /// on the calling thread; with more, the data is read (decompressed, parsed, validated, merged) on a
    /// thread of its own and the lanes are shared out among `threads` threads. The result is the same
    /// whatever the number. `parallel: false` is `threads: 1`. `progress` hears how far the replay has come every
    /// 50 000 bars (for a terminal's progress line).
    public static func replay<Recorder: LaneRecorder>(_ scenario: Scenario, parallel: Bool = true, threads: Int? = nil,
                                                      progress: ((ReplayProgress) -> Void)? = nil,
                                                      recorder: (AgentConfig, String) throws -> Recorder) throws -> ReplayedRun<Recorder> {
        let threads = parallel ? max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) : 1
        let dataset = try Dataset(paths: scenario.dataPaths, hints: scenario.dialect)
        let merged = try dataset.bars(scenario.selection, policy: scenario.validation)
        // Reading overlaps the replay on a thread of its own; bars, findings and errors come in the same order.
        // Not on one core (`taskset -c 0`, a cpuset of one CPU): there the two threads only took turns, the
        // switches and the reader's own malloc arena costing ≈ 8 % of the CPU time and 1 MB (200 × 13).
        let pipelined = threads > 1 && (ParallelJobs.coresAvailable ?? threads) > 1
        var stream: any BarStream = pipelined ? PipelinedBarStream(merged, depth: 8) : merged
        let agents: [(config: AgentConfig, agent: PreparedAgent)] = try scenario.agents.map { config in
            (config, try config.definition.prepare(AgentContext(agentID: config.id, tickers: scenario.tickers, tickerLines: scenario.tickerLines,
                                                                settings: scenario.orchestrator, calendar: scenario.calendar)))
        }
        try ContingentOrderCheck.check(agents, fillModels: scenario.fillModels)
        // Made before the replay, in lane order, so that a recorder that cannot start (a file it cannot
        // create) stops the run before any bar is read.
        var recorders: [Recorder] = []
        for (config, _) in agents.sorted(by: { $0.config.id < $1.config.id }) {
            for spec in scenario.fillModels { recorders.append(try recorder(config, spec.name)) }
        }
        var made = recorders.makeIterator()
        var orchestrator = Orchestrator(
            settings: scenario.orchestrator, calendar: scenario.calendar, clock: SimulatedClock(), agents: agents, variants: scenario.fillModels.map(ConfigurableFillModel.init),
            risk: scenario.risk, initialBalance: scenario.initialBalance, recorder: { _, _ in made.next()! })
        orchestrator.threads = threads
        do {
            // Lanes side by side with several threads (`Orchestrator.replay(from:)`); the per-bar loop is not generic.
            try orchestrator.replay(from: &stream, progressEvery: 50_000) { bars, time in progress?(ReplayProgress(bars: bars, time: time)) }
            try orchestrator.finish()
        } catch let halt as ReplayHalt {
            // An amount beyond what a run may hold: the scenario and its data cannot be replayed to the end.
            throw InputError(file: scenario.file, message: halt.description)
        }
        let barsPerTicker = orchestrator.statistics.barsPerTicker
        for ticker in scenario.tickers where barsPerTicker[ticker] == nil {
            let period = [scenario.from?.description, scenario.to?.description].map { $0 ?? "…" }.joined(separator: " to ")
            throw InputError(file: scenario.file, line: scenario.tickerLines[ticker], field: "data.tickers",
                                message: "unknown ticker '\(ticker)': no bars for it in \(scenario.dataPaths.joined(separator: ", ")) (\(period))")
        }
        if let first = orchestrator.statistics.firstBarStart, let last = orchestrator.statistics.lastBarStart {
            for (_, agent) in agents { try agent.checkDataPeriod(first, last) }
        }
        return ReplayedRun(scenario: scenario, toolVersion: TapebenchVersion.current, fillModels: scenario.fillModels.map(\.name),
                           lanes: orchestrator.lanes.map { ($0.outcome, $0.recorder) }, statistics: orchestrator.statistics, quality: stream.quality)
    }
}
