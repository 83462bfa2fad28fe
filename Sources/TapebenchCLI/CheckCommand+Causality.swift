import ArgumentParser
import Foundation
import TapebenchEngine
import TapebenchReports

extension CheckCommand {
    /// `check --causality`: each scenario through `CausalityCheck`; one line per scenario, one per leak.
    func checkCausality(_ files: [String]) throws {
        guard (1...100).contains(cuts) else { throw ValidationError("--cuts must be between 1 and 100, got \(cuts)") }
        var leaks = 0, errors = 0
        for file in files {
            do {
                let scenario = try Scenario.load(path: file, agents: CommandContext.agents)
                output.log("checking causality of \(file)")
                let report = try CausalityCheck.run(scenario, cuts: cuts)
                for leak in report.leaks { print("\(scenario.name): \(MarkdownText.terminal(leak.description))") }
                leaks += report.leaks.isEmpty ? 0 : 1
                let cutsText = report.cuts.map(\.iso8601).joined(separator: ", ")
                if report.leaks.isEmpty && !output.quiet {
                    print("\(scenario.name): causal (\(report.comparisons) comparisons, \(report.eventsCompared) events at or before the cuts \(cutsText))")
                }
            } catch {
                guard let message = ErrorReport.message(for: error) else { throw error }
                errors += 1
                FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            }
        }
        print("\(files.count) scenario(s): \(leaks) with a leak, \(errors) error(s)")
        if errors > 0 { throw ExitCode(2) }
        if leaks > 0 { throw ExitCode(1) }
    }
}
