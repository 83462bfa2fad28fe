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
            graduation.json (the eligibility answer per variant and the graduate answer), graduation.md and the \
            run's reports. The verdict is robust only when the agent is eligible under conservative fills too. \
            Each agent's status (learning → paper_trading → live) lasts in the registry (--registry); a step \
            the agent does not stand at is refused before the replay, --force included (exit 2). Exit 0 when \
            every agent graduates (robustly, or forced), 1 otherwise.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "paper (from learning) or live (from paper).")
    var to: String

    @Flag(help: "Graduate even when not eligible; the decision records that it was forced.")
    var force = false

    @Option(name: .shortAndLong, help: "Output folder (default: reports/runs/<scenario name>-graduate-<step>); replaced only when Tapebench wrote it.")
    var out: String?

    @Option(help: "The agent registry that lasts across runs (SQLite; created when missing; only a registry Tapebench created is changed).")
    var registry = "reports/agents.sqlite"

    @Flag(help: "Print graduation.json (the eligibility and graduate answers) on stdout instead of the summary lines.")
    var json = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: WriteLockOptions
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        guard let step = GraduationStep(rawValue: to), let (from, next) = AgentLifecycleStatus.transition(to: to) else {
            throw ValidationError("--to must be paper or live")
        }
        var scenario = try Scenario.load(path: self.scenario, agents: CommandContext.agents)
        let path = out ?? "reports/runs/\(scenario.name)-graduate-\(step.rawValue)"
        let folder = RunFolder(path: path, options: lock.options(for: path))
        try folder.checkReplaceable()  // before the replay, not after it
        // Each agent must stand where the step starts: --force skips the criteria, never a step.
        let registry = AgentStatusRegistry(path: self.registry)
        let agents = scenario.agents.map(\.id).sorted()
        let statuses = try registry.statuses(of: agents)
        for agent in agents where statuses[agent] != from {
            throw InputError(file: registry.path, message: Self.refusal(agent: agent, status: statuses[agent]!, step: step, from: from))
        }
        scenario.fillModels = GraduationVerdict.addedVariants(to: scenario.fillModels)
        output.log("replaying under \(scenario.fillModels.map(\.name).joined(separator: ", "))")
        let base = scenario.fillModels[0].name
        var verdicts: [GraduationVerdict] = []
        var answers: [String: GraduateAnswer] = [:]
        var document = ""
        var time = ""
        try { () throws in
            defer { output.endProgress() }
            try folder.run(scenario, threads: threading.threads, progress: output.progress(for: scenario)) { result in
                verdicts = agents.map { agent in
                    GraduationVerdict.decide(agent: agent, lanes: result.outcomes.filter { $0.config.id == agent }, baseVariant: base,
                                             step: step, settings: scenario.graduation, force: force)
                }
                for v in verdicts {
                    answers[v.agent] = GraduateAnswer.answer(v, from: from.rawValue, to: next.rawValue, scenarioSHA256: scenario.contentHash,
                                                             existingPaperAccount: try registry.paperAccountID(of: v.agent))
                }
                let changes = verdicts.map { v in
                    RunDatabase.StatusChange(
                        agent: v.agent, status: v.graduates ? next.rawValue : from.rawValue,
                        step: step.rawValue, eligible: v.eligible, robust: v.robust, forced: v.forced && !v.robust, reason: v.reason,
                        freshAccount: v.graduates && step == .paper)
                }
                time = result.statistics.lastBarStart.map { $0.adding(minutes: 1).iso8601 } ?? ""
                document = GraduationReport.json(verdicts, scenario: scenario, answers: answers)
                let answer = GraduationReport.markdown(verdicts, scenario: scenario, answers: answers)
                return RunFolder.Additions(
                    files: ["graduation.json": document, "graduation.md": answer], statusChanges: changes,
                    appendToMarkdown: "\n" + answer.replacingOccurrences(of: "\n## ", with: "\n### ").replacingOccurrences(of: "# Graduation:", with: "## Graduation:"),
                    html: HTMLReportExtras(graduation: HTMLReport.Graduation(verdicts: verdicts, answers: answers)))
            }
        }()
        // The registry changes after the reports are in place: a failed write leaves every agent where it was.
        try registry.record(verdicts.filter(\.graduates).map { v in
            StatusTransition(agent: v.agent, from: from, to: next, time: time, forced: !v.robust,
                             criteria: GraduationReport.json([v], scenario: scenario), scenario: scenario.name,
                             scenarioSHA256: scenario.contentHash, paperAccountID: answers[v.agent]!.paperAccountID)
        })
        if json {
            print(document, terminator: document.hasSuffix("\n") ? "" : "\n")
        } else {
            for v in verdicts where !output.quiet {
                let verdict = v.robust ? "graduates (robust)" : v.forced ? "graduates (forced)" : v.eligible ? "not robust" : "not eligible"
                print("\(v.agent) → \(step.rawValue): \(verdict): \(v.reason)")
                for w in v.warnings { print("  too good to be true? \(w)") }
                print("  status: \(answers[v.agent]!.newStatus)\(v.graduates ? " (was \(from.rawValue))" : "")")
            }
            // Every file the folder holds, as run lists them, and the graduation answer.
            for file in ["\(folder.path)/graduation.json", "\(folder.path)/graduation.md", folder.reportMarkdown, folder.reportHTML,
                         folder.reportJSON, folder.fillsCSV, folder.tradesCSV, folder.equityCSV, folder.database] {
                print("wrote \(file)")
            }
            if verdicts.contains(where: \.graduates) { print("recorded in \(registry.path)") }
        }
        if !verdicts.allSatisfy(\.graduates) { throw ExitCode(1) }
    }

    /// Why an agent cannot take the step from where it stands, with what to do instead.
    static func refusal(agent: String, status: AgentLifecycleStatus, step: GraduationStep, from: AgentLifecycleStatus) -> String {
        let next: String
        switch status {
        case .learning: next = "graduate it --to paper first"
        case .paperTrading: next = "its next step is --to live"
        case .live: next = "it cannot graduate further"
        }
        return "agent '\(agent)' is \(status.rawValue); --to \(step.rawValue) graduates from \(from.rawValue) only: \(next) (--force skips the criteria, never a step)"
    }
}
