import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchReports
import TapebenchStore

struct GraduateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graduate",
        abstract: "Decide whether a scenario's agents may graduate (learning → paper, paper → live).",
        discussion: """
            Replays the scenario under its fill models plus `conservative` and the first model with market \
            orders one bar later, judges every agent against the step's criteria under each, and writes \
            graduation.json (the eligibility answer per variant), graduation.md and the run's reports. The \
            verdict is robust only when the agent is eligible under conservative fills too. Exit 0 when every \
            agent graduates (robustly, or forced), 1 otherwise.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "paper (from learning) or live (from paper).")
    var to: String

    @Flag(help: "Graduate even when not eligible; the decision records that it was forced.")
    var force = false

    @Option(name: .shortAndLong, help: "Output folder (default: reports/runs/<scenario name>-graduate-<step>); replaced only when Tapebench wrote it.")
    var out: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: WriteLockOptions
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        guard let step = GraduationStep(rawValue: to) else { throw ValidationError("--to must be paper or live") }
        var scenario = try Scenario.load(path: self.scenario, agents: CommandContext.agents)
        let path = out ?? "reports/runs/\(scenario.name)-graduate-\(step.rawValue)"
        let folder = RunFolder(path: path, options: lock.options(for: path))
        try folder.checkReplaceable()  // before the replay, not after it
        scenario.fillModels = GraduationVerdict.addedVariants(to: scenario.fillModels)
        output.log("replaying under \(scenario.fillModels.map(\.name).joined(separator: ", "))")
        let result = try { () throws -> RunResult in
            defer { output.endProgress() }
            return try ScenarioRunner.run(scenario, threads: threading.threads, progress: output.progress())
        }()
        let base = scenario.fillModels[0].name
        let verdicts = scenario.agents.map(\.id).sorted().map { agent in
            GraduationVerdict.decide(agent: agent, lanes: result.lanes.filter { $0.config.id == agent }, baseVariant: base,
                                     step: step, settings: scenario.graduation, force: force)
        }
        let changes = verdicts.map { v in
            RunDatabase.StatusChange(
                agent: v.agent, status: v.graduates ? (step == .paper ? "paper_trading" : "live") : (step == .paper ? "learning" : "paper_trading"),
                step: step.rawValue, eligible: v.eligible, robust: v.robust, forced: v.forced && !v.robust, reason: v.reason,
                freshAccount: v.graduates && step == .paper)
        }
        let answer = GraduationReport.markdown(verdicts, scenario: scenario)
        try folder.write(result, extra: ["graduation.json": GraduationReport.json(verdicts, scenario: scenario), "graduation.md": answer],
                         statusChanges: changes, appendToMarkdown: "\n" + answer.replacingOccurrences(of: "\n## ", with: "\n### ").replacingOccurrences(of: "# Graduation:", with: "## Graduation:"))
        for v in verdicts where !output.quiet {
            let verdict = v.robust ? "graduates (robust)" : v.forced ? "graduates (forced)" : v.eligible ? "not robust" : "not eligible"
            print("\(v.agent) → \(step.rawValue): \(verdict): \(v.reason)")
            for w in v.warnings { print("  too good to be true? \(w)") }
        }
        print("wrote \(folder.path)/graduation.json")
        print("wrote \(folder.path)/graduation.md")
        print("wrote \(folder.database)")
        if !verdicts.allSatisfy(\.graduates) { throw ExitCode(1) }
    }
}
