import TapebenchCore
import ArgumentParser
import Foundation
import TapebenchEngine
import TapebenchReports

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a scenario (or several) and write its reports.",
        discussion: """
            Writes report.md, report.html, report.json, fills.csv, trades.csv, equity.csv, round_trips.csv, returns.csv and run.sqlite into the \
            output folder, all or nothing. An existing folder is replaced only when Tapebench wrote it. Several \
            scenarios (files, or folders of *.yaml) each write OUT/<scenario name> (OUT: reports/runs); with \
            --shard I/N only slice I of N runs, into its own folder with shard.json, and `tapebench merge` joins \
            the N folders into what one machine writes.
            """)

    @Argument(help: "The scenario file (YAML); or several, or folders of them.")
    var scenarios: [String]

    @Option(name: .shortAndLong, help: "Output folder (default: reports/runs/<scenario name>); with several scenarios or --shard, the folder their run folders go into (default: reports/runs, or reports/run-shard-I-of-N).")
    var out: String?

    @Option(help: "Run slice I of N of the scenarios (e.g. 2/8); `tapebench merge` joins the N shard folders.")
    var shard: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: WriteLockOptions
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        guard scenarios.count == 1, shard == nil, !FileManager.default.isFolder(PathText.trimmed(scenarios[0])) else { return try runSeveral() }
        let scenario = scenarios[0]
        output.log("reading \(scenario)")
        let loaded = try Scenario.load(path: scenario, agents: CommandContext.agents)
        try runOne(loaded, path: out ?? "reports/runs/\(loaded.name)")
    }

    /// One scenario into the run folder `path`.
    func runOne(_ loaded: Scenario, path: String) throws {
        let folder = RunFolder(path: path, options: lock.options(for: path))
        try folder.checkReplaceable()  // before the replay, not after it
        output.log("replaying \(loaded.agents.count) agent(s) × \(loaded.fillModels.count) fill model(s) over \(loaded.dataPaths.joined(separator: ", "))")
        let result = try { () throws -> RunDigest in
            defer { output.endProgress() }
            // Rows stream into the folder's staging copy as the replay runs; the reports follow.
            return try folder.run(loaded, threads: threading.threads, progress: output.progress(for: loaded))
        }()
        output.log("replayed \(result.statistics.barsReplayed) bars")
        if !output.quiet { print(SummaryTable.table(result.summaries).plain()) }
        for file in [folder.reportMarkdown, folder.reportHTML, folder.reportJSON, folder.fillsCSV, folder.tradesCSV, folder.equityCSV, folder.roundTripsCSV,
                     folder.returnsCSV, folder.database] {
            print("wrote \(file)")
        }
    }
}
