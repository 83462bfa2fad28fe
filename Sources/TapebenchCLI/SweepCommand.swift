import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchReports

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Replay a scenario over a grid of fill-model and agent parameters.",
        discussion: """
            The grid varies the scenario's first fill model and, with agent.<id>.<parameter>, an agent's \
            parameters; the data is read once and every point replayed side by side. Writes sweep.csv and \
            sweep.svg (net return and Sharpe against each parameter), with two parameters or more \
            sweep-heatmap.svg, and prints each parameter's break-even value (where net return reaches zero).
            Fill-model parameters (docs/fill-model-parameters.md): \(SweepParameter.names.joined(separator: ", ")).
            Agent parameters: \(CommandContext.agents.kinds.filter { !$0.parameters.isEmpty }.map { "\($0.name): \($0.parameters.names.joined(separator: ", "))" }.joined(separator: "; ")).
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(name: .customLong("param"), help: "NAME=START:STOP:STEP or NAME=V1,V2,… (repeatable); NAME a fill-model parameter or agent.<id>.<parameter>.")
    var params: [String] = []

    @Option(name: .shortAndLong, help: "Output folder (default: reports/runs/<scenario name>-sweep); replaced only when Tapebench wrote it.")
    var out: String?

    @Option(help: "Replay only slice I of N (e.g. 2/8), stable and balanced by cost; writes the slice and shard.json for `tapebench merge` (default folder reports/runs/<name>-sweep-shard-I-of-N).")
    var shard: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: WriteLockOptions
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        guard !params.isEmpty else { throw ValidationError("give at least one --param") }
        var loaded = try Scenario.load(path: scenario, agents: CommandContext.agents)
        let grid = SweepGrid(base: loaded.fillModels[0], parameters: try params.map(SweepParameter.init(parsing:)))
        try grid.check()
        guard grid.points.count <= 2_000 else {
            throw InputError(file: "--param", message: "the grid has \(grid.points.count) points; at most 2 000")
        }
        if let shard { return try runShard(try ShardSpec(parsing: shard), scenario: loaded, grid: grid) }
        let path = out ?? "reports/runs/\(loaded.name)-sweep"
        let folder = try OutputFolder(path: path, options: lock.options(for: path))
        try folder.checkReplaceable()  // before the replay, not after it
        loaded = try grid.scenario(loaded, points: Array(grid.points.indices))
        output.log("replaying \(grid.points.count) grid points")
        let result = try { () throws -> ReplayedRun<DiscardingRecorder> in
            defer { output.endProgress() }
            // A sweep reports each lane's outcome only: its lanes keep no events.
            return try ScenarioRunner.replay(loaded, threads: threading.threads, progress: output.progress(for: loaded)) { _, _ in DiscardingRecorder() }
        }()
        let report = SweepReport(grid: grid, lanes: result.outcomes)
        try folder.replace(with: Self.files(report))
        Self.printReport(report, folder: folder.path, quiet: output.quiet)
    }

    /// The files a sweep writes, the same from one machine and from `merge`: the heatmap with two parameters or
    /// more (net return over the first two, with the break-even contour).
    static func files(_ report: SweepReport) -> [OutputFile] {
        let heatmap = report.heatmapSVG()
        return [.text("sweep.csv") { report.csv() }, .text("sweep.svg") { report.svg() }]
            + (heatmap.map { svg in [.text("sweep-heatmap.svg") { svg }] } ?? [])
    }

    /// What a sweep prints, the same from one machine and from `merge`.
    static func printReport(_ report: SweepReport, folder: String, quiet: Bool) {
        if !quiet {
            print("\(report.grid.points.count) points × \(report.agents.count) agent(s), base fill model '\(report.grid.base.name)'")
            print(report.summaryText(), terminator: "")
        }
        print("wrote \(folder)/sweep.csv")
        print("wrote \(folder)/sweep.svg")
        if report.grid.parameters.count >= 2 { print("wrote \(folder)/sweep-heatmap.svg") }
    }
}
