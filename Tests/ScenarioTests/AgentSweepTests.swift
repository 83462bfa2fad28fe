import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import TapebenchReports
import TapebenchTestSupport

/// A sweep that varies an agent's parameter beside fill-model parameters.
@Suite struct AgentSweepTests {
    static func defaultYAML() throws -> String { try String(contentsOfFile: Repository.defaultScenario, encoding: .utf8) }

    /// The default scenario with the VWAP agent's lookback and the fill models replaced, parsed as if it were a file
    /// beside default.yaml (so its data path resolves the same).
    static func scenario(lookback: Int, fillModels: String) throws -> Scenario {
        var text = try defaultYAML()
        text = text.replacingOccurrences(of: "lookback_bars: 30", with: "lookback_bars: \(lookback)")
        text = text.replacingOccurrences(of: "fill_model: seed", with: fillModels)
        return try Scenario.parse(yaml: text, file: Repository.root + "/scenarios/lookback-\(lookback).yaml", contentHash: "h")
    }

    @Test("each point of an agent × slippage grid equals a single run with that lookback written in the YAML, and the points differ")
    func matchesSingleRuns() throws {
        let loaded = try Scenario.load(path: Repository.defaultScenario)
        let grid = SweepGrid(base: loaded.fillModels[0], parameters: [try SweepParameter(parsing: "agent.vwap-mr.lookback_bars=10,20,30"),
                                                                     try SweepParameter(parsing: "slippage.bps=0,2")])
        try grid.check()
        let swept = try ScenarioRunner.replay(try grid.scenario(loaded, points: Array(grid.points.indices))) { _, _ in DiscardingRecorder() }
        let report = SweepReport(grid: grid, lanes: swept.outcomes)
        #expect(report.rows.count == 6)
        for (i, lookback) in [10, 20, 30].enumerated() {
            let single = try ScenarioRunner.run(try Self.scenario(lookback: lookback, fillModels: """
                fill_models:
                  - {name: bps0, preset: seed, slippage: {bps: 0}}
                  - {name: bps2, preset: seed, slippage: {bps: 2}}
                """))
            for (j, lane) in single.lanes.enumerated() {
                let row = report.rows[i * 2 + j]
                #expect(row.values == [.number(Fixed(Int64(lookback))), .number(Fixed(Int64(j * 2)))])
                #expect(row.summary == SweepReport.Figures(lane.outcome.summary), "lookback \(lookback), \(lane.outcome.variant)")
            }
        }
        // The lookback changes what the agent does: each lookback's zero-slippage P&L is its own.
        let pnl = [0, 2, 4].map { report.rows[$0].summary.totalPnL }
        #expect(Set(pnl).count == 3, "\(pnl)")
        // Hand-checked anchor: lookback 30 with 2 bp is the default agent at 2 bp (README: −303.59).
        #expect(report.rows[5].summary.totalPnL == Fixed(parsing: "-303.590168")!)
    }

    func message(_ scenario: Scenario, _ params: [String]) -> String? {
        do {
            let grid = SweepGrid(base: scenario.fillModels[0], parameters: try params.map(SweepParameter.init(parsing:)))
            try grid.check()
            _ = try grid.scenario(scenario, points: Array(grid.points.indices))
            return nil
        } catch let error as InputError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test("an unknown agent or parameter, a fraction or a value the kind refuses: one line naming the --param")
    func errors() throws {
        let loaded = try Scenario.load(path: Repository.defaultScenario)
        #expect(message(loaded, ["agent.vwap.lookback_bars=10"]) == "--param: 'agent.vwap.lookback_bars': no agent 'vwap' in the scenario; did you mean 'vwap-mr'?")
        #expect(message(loaded, ["agent.momentum.lookback_bars=10"]) == "--param: 'agent.momentum.lookback_bars': no agent 'momentum' in the scenario; expected one of: vwap-mr")
        #expect(message(loaded, ["agent.vwap-mr.lookbak_bars=10"])
            == "--param: 'agent.vwap-mr.lookbak_bars': agent 'vwap-mr' (kind vwap_mean_reversion) has no parameter 'lookbak_bars'; did you mean 'lookback_bars'?")
        #expect(message(loaded, ["agent.vwap-mr.threshold=1"])
            == "--param: 'agent.vwap-mr.threshold': agent 'vwap-mr' (kind vwap_mean_reversion) has no parameter 'threshold'; expected one of: lookback_bars, entry_deviation_bps, exit_deviation_bps, min_session_bars")
        #expect(message(loaded, ["agent.vwap-mr.lookback_bars=10.5"]) == "--param: 'agent.vwap-mr.lookback_bars': lookback_bars takes whole numbers, got 10.5")
        #expect(message(loaded, ["agent.vwap-mr.lookback_bars=10,500"])
            == "--param: 'agent.vwap-mr.lookback_bars': with lookback_bars=500, lookback_bars must be between 2 and 100, got 500")
        // A rule between two parameters, as the kind states it.
        #expect(message(loaded, ["agent.vwap-mr.exit_deviation_bps=-40"])
            == "--param: 'agent.vwap-mr.exit_deviation_bps': with exit_deviation_bps=-40, exit_deviation_bps must be above -entry_deviation_bps (-40), or every entry is also an exit")
        var undeclared = loaded
        undeclared.agents[0].declaredParameters = []
        undeclared.agents[0].kind = "order_tape"
        #expect(message(undeclared, ["agent.vwap-mr.file=1"])
            == "--param: 'agent.vwap-mr.file': agent 'vwap-mr' (kind order_tape) has no parameter 'file'; kind order_tape declares no parameters a sweep can vary")
    }

    @Test("a sweep over flags and words: values as written, a heatmap of their combinations, no break-even between them")
    func flagsAndWords() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["sweep", Repository.defaultScenario, "--param", "slippage_on_open=true,false", "--param", "market_timing=next_open,next_close",
                                       "--out", "out"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("vwap-mr · slippage_on_open: no break-even between flags or words (net return true: 1.00%, false: 2.28%)"))
        let rows = try String(contentsOfFile: folder + "/out/sweep.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
        // The seed point is the default run; without slippage at the open its market orders pay none, as with slippage.bps=0 (2279.93).
        #expect(rows == ["agent,slippage_on_open,market_timing,net_pnl", "vwap-mr,true,next_open,998.729038", "vwap-mr,true,next_close," + rows[2].split(separator: ",")[3],
                         "vwap-mr,false,next_open,2279.93", "vwap-mr,false,next_close," + rows[4].split(separator: ",")[3]])
        #expect(rows[2] != rows[1].replacingOccurrences(of: "next_open", with: "next_close"))
        let heatmap = try String(contentsOfFile: folder + "/out/sweep-heatmap.svg", encoding: .utf8)
        #expect(heatmap.contains("<title>slippage_on_open false, market_timing next_open: 2.28 %</title>"))
    }

    @Test("sweep over an agent and a fill-model parameter: CSV columns, heatmap axes, and 2 shards merged byte for byte")
    func commandLineAndShards() throws {
        let whole = try temporaryFolder(), sharded = try temporaryFolder()
        let grid = ["--param", "agent.vwap-mr.lookback_bars=20,30", "--param", "slippage.bps=1,2"]
        let one = try runTapebench(["sweep", Repository.defaultScenario] + grid + ["--out", "out"], in: whole)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("vwap-mr · agent.vwap-mr.lookback_bars: "))
        let csv = try String(contentsOfFile: whole + "/out/sweep.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "agent,agent.vwap-mr.lookback_bars,slippage.bps,net_pnl,return,sharpe,max_drawdown,win_rate,fills,commissions,slippage")
        #expect(csv[3].hasPrefix("vwap-mr,30,1,998.729038,"))  // the default run
        let heatmap = try String(contentsOfFile: whole + "/out/sweep-heatmap.svg", encoding: .utf8)
        #expect(heatmap.contains("<title>agent.vwap-mr.lookback_bars 30, slippage.bps 1: 1.00 %</title>"))
        for i in 1...2 {
            let shard = try runTapebench(["sweep", Repository.defaultScenario] + grid + ["--shard", "\(i)/2", "--out", "s\(i)"], in: sharded)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merged = try runTapebench(["merge", "s2", "s1", "--out", "out"], in: sharded)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == one.stdout)
        for file in ["sweep.csv", "sweep.svg", "sweep-heatmap.svg"] {
            #expect(try String(contentsOfFile: sharded + "/out/" + file, encoding: .utf8) == String(contentsOfFile: whole + "/out/" + file, encoding: .utf8), "\(file)")
        }
        let bad = try runTapebench(["sweep", Repository.defaultScenario, "--param", "agent.vwap-mr.lookbak_bars=1", "--shard", "1/2"], in: sharded)
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: --param: 'agent.vwap-mr.lookbak_bars': agent 'vwap-mr' (kind vwap_mean_reversion) has no parameter 'lookbak_bars'; did you mean 'lookback_bars'?\n")
    }
}
