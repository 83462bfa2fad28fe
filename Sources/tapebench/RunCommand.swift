import TapebenchCore
import ArgumentParser
import Foundation
import TapebenchEngine
import TapebenchReports

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a scenario and write its reports.",
        discussion: "Writes report.json, report.md, fills.csv and run.sqlite into the output folder, all or nothing.")

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(name: .shortAndLong, help: "Output folder (default: reports/runs/<scenario name>).")
    var out: String?

    func run() throws {
        let result = try reportingInputErrors {
            try ScenarioRunner.run(try Scenario.load(path: scenario))
        }
        let folder = RunFolder(path: out ?? "reports/runs/\(result.scenario.name)")
        try folder.write(result)
        print(SummaryTable.table(result).plain())
        print("wrote \(folder.reportJSON)")
        print("wrote \(folder.reportMarkdown)")
        print("wrote \(folder.fillsCSV)")
        print("wrote \(folder.database)")
    }
}
