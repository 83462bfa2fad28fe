import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// Replays a scenario: opens its dataset, streams the selected bars through the orchestrator.
public enum ScenarioRunner {
    /// `parallel: false` replays the lanes one after the other (for checking that it changes nothing).
    /// `progress` hears the number of bars read every 50 000 bars (for a terminal's progress line).
    public static func run(_ scenario: Scenario, parallel: Bool = true, progress: ((Int) -> Void)? = nil) throws -> RunResult {
        let dataset = try Dataset(paths: scenario.dataPaths, hints: scenario.dialect)
        var stream = try dataset.bars(scenario.selection, policy: scenario.validation)
        let agents: [(config: AgentConfig, agent: any Agent)] = try scenario.agents.map { ($0, try makeAgent($0, scenario: scenario)) }
        var orchestrator = Orchestrator(
            settings: scenario.orchestrator, agents: agents, variants: scenario.fillModels.map(ConfigurableFillModel.init),
            risk: scenario.risk, initialBalance: scenario.initialBalance)
        orchestrator.parallel = parallel
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
        for ticker in scenario.tickers where orchestrator.statistics.barsPerTicker[ticker] == nil {
            let period = [scenario.from?.description, scenario.to?.description].map { $0 ?? "…" }.joined(separator: " to ")
            throw InputError(file: scenario.file, line: scenario.tickerLines[ticker], field: "data.tickers",
                                message: "unknown ticker '\(ticker)': no bars for it in \(scenario.dataPaths.joined(separator: ", ")) (\(period))")
        }
        if let first = orchestrator.statistics.firstBarStart, let last = orchestrator.statistics.lastBarStart {
            for case let tape as OrderTapeAgent in agents.map(\.agent) { try tape.tape.checkPeriod(firstBar: first, lastBar: last) }
        }
        return RunResult(scenario: scenario, toolVersion: TapebenchVersion.current, fillModels: scenario.fillModels.map(\.name),
                         lanes: orchestrator.results, statistics: orchestrator.statistics, quality: stream.quality)
    }

    static func makeAgent(_ config: AgentConfig, scenario: Scenario) throws -> any Agent {
        switch config.kind {
        case .vwapMeanReversion:
            return VWAPMeanReversionAgent(id: config.id, parameters: config.vwap)
        case .volumeSurge:
            return VolumeSurgeAgent(id: config.id, parameters: config.volumeSurge)
        case .breakout:
            return BreakoutAgent(id: config.id, parameters: config.breakout)
        case .orderTape:
            let tape = try OrderTape.load(path: config.tapeFile!)
            for ticker in tape.orders.keys.sorted() where scenario.tickerLines[ticker] == nil {
                let line = tape.orders[ticker]!.first!.line
                throw InputError(file: tape.file, line: line, field: "ticker", message: "'\(ticker)' is not in the scenario's data.tickers")
            }
            return OrderTapeAgent(id: config.id, tape: tape)
        }
    }
}
