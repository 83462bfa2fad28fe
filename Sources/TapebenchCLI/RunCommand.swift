import TapebenchCore
import ArgumentParser
import Foundation
import TapebenchEngine
import TapebenchReports

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a scenario and write its reports.",
        discussion: """
            Writes report.md, report.html, report.json, fills.csv, trades.csv, equity.csv, round_trips.csv, returns.csv and run.sqlite into the \
            output folder, all or nothing. An existing folder is replaced only when Tapebench wrote it.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(name: .shortAndLong, help: "Output folder (default: reports/runs/<scenario name>); replaced only when Tapebench wrote it.")
    var out: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: WriteLockOptions
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        output.log("reading \(scenario)")
        let loaded = try Scenario.load(path: scenario, agents: CommandContext.agents)
        let path = out ?? "reports/runs/\(loaded.name)"
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
