import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchReports

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the folders of `sweep`, `check` or `run` `--shard I/N` into what one machine writes.",
        discussion: """
            Run shards give OUT/<scenario name> for every scenario, as `run` over all of them writes; \
            sweep shards give sweep.csv and sweep.svg and the break-even lines; check shards give junit.xml and \
            summary.md, the check's last line and its exit code (0 ok, 1 a regression, 2 an error). Shards that are \
            missing, given twice, or of another scenario, data, grid, shard count or Tapebench version are refused \
            with one line naming them (exit 2).
            """)

    @Argument(help: "The shard folders (all N of them, any order).")
    var shards: [String] = []

    @Option(name: .shortAndLong, help: "The output folder; replaced only when Tapebench wrote it.")
    var out: String

    @Option(help: "Check shards: also write the JUnit XML to this file.")
    var junit: String?

    @Option(help: "Check shards: also write the Markdown summary to this file.")
    var summary: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: WriteLockOptions

    func run() throws {
        let validated = try ShardMerge.validate(shards)
        if validated[0].manifest.kind == "run" {
            for path in try RunShard.merge(validated, into: out, options: { lock.options(for: $0) }) { print("wrote \(path)") }
            return
        }
        let folder = try OutputFolder(path: out, options: lock.options(for: out))
        try folder.checkReplaceable()
        if validated[0].manifest.kind == "sweep" {
            let report = try ShardMerge.sweep(validated)
            try folder.replace(with: SweepCommand.files(report))
            SweepCommand.printReport(report, folder: folder.path, quiet: output.quiet)
            return
        }
        let outcomes = try ShardMerge.check(validated)
        let junitText = JUnitReport.render(outcomes.flatMap(\.cases)), summaryText = CheckSummary.markdown(outcomes.flatMap(\.rows))
        try folder.replace(with: [.text("junit.xml") { junitText }, .text("summary.md") { summaryText }])
        if let junit { try AtomicFile.write(junitText, to: junit) }
        if let summary { try AtomicFile.write(summaryText, to: summary) }
        let totals = CheckShard.totals(outcomes, scenarios: validated[0].manifest.items.count)
        print("wrote \(folder.path)/junit.xml")
        print("wrote \(folder.path)/summary.md")
        print(totals.line)
        if totals.exitCode != 0 { throw ExitCode(totals.exitCode) }
    }
}
