import Foundation
import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// Replays a scenario: opens its dataset, streams the selected bars through the orchestrator.
public enum ScenarioRunner {
    /// `threads`: how many threads to use (default: the machine's cores). With one, everything runs on the
    /// calling thread; with more, the data is read (decompressed, parsed, validated, merged) on a thread of
    /// its own and the lanes are shared out among `threads` threads. The result is the same whatever the
    /// number. `parallel: false` is `threads: 1`. `progress` hears the number of bars read every 50 000 bars
    /// (for a terminal's progress line).
    public static func run(_ scenario: Scenario, parallel: Bool = true, threads: Int? = nil, progress: ((Int) -> Void)? = nil) throws -> RunResult {
        let threads = parallel ? max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) : 1
        let dataset = try Dataset(paths: scenario.dataPaths, hints: scenario.dialect)
        let merged = try dataset.bars(scenario.selection, policy: scenario.validation)
        // Reading overlaps the replay on a thread of its own; bars, findings and errors come in the same order.
        var stream: any BarStream = threads > 1 ? PipelinedBarStream(merged, depth: 8) : merged
        let agents: [(config: AgentConfig, agent: PreparedAgent)] = try scenario.agents.map { config in
            (config, try config.definition.prepare(AgentContext(agentID: config.id, tickers: scenario.tickers, tickerLines: scenario.tickerLines,
                                                                settings: scenario.orchestrator)))
        }
        var orchestrator = Orchestrator(
            settings: scenario.orchestrator, agents: agents, variants: scenario.fillModels.map(ConfigurableFillModel.init),
            risk: scenario.risk, initialBalance: scenario.initialBalance)
        orchestrator.threads = threads
        var read = 0
        do {
            while let bar = try stream.next() {
                try orchestrator.process(bar)
                read += 1
                if read % 50_000 == 0 { progress?(read) }
            }
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
        return RunResult(scenario: scenario, toolVersion: TapebenchVersion.current, fillModels: scenario.fillModels.map(\.name),
                         lanes: orchestrator.results, statistics: orchestrator.statistics, quality: stream.quality)
    }
}
