import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchReports
import TapebenchStore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Replay scenarios and compare each with its baseline under reports/baselines/<name>/.",
        discussion: "Exit 0: all match; 1: a regression; 2: an error (bad input, a missing baseline).")

    @Argument(help: "Scenario files (default: every scenarios/*.yaml).")
    var scenarios: [String] = []

    @Option(help: "The folder of baselines.")
    var baselines = "reports/baselines"

    @Flag(help: "Rewrite the baselines with this run's reports, and print what changed.")
    var updateBaselines = false

    @Option(help: "Write JUnit XML (one test case per scenario and lane).")
    var junit: String?

    @Option(help: "Write a Markdown summary (for a CI step summary).")
    var summary: String?

    @Flag(help: "Judge only the headline metrics (return, Sharpe, max drawdown, fills, win rate, total P&L); list the derived ones.")
    var headlineOnly = false

    @Flag(help: "Instead of comparing with baselines, prove each scenario causal: replay it cut after several times T and with the bars after T perturbed; every order and fill at or before T must not change. Exit 1 on a leak.")
    var causality = false

    @Option(help: "With --causality: how many cut times, spread over the data.")
    var cuts = 3

    @Option(help: "Check only slice I of N of the scenarios (e.g. 2/8), stable and balanced by cost; writes shard.json for `tapebench merge`.")
    var shard: String?

    @Option(help: "With --shard: the shard's folder (default reports/check-shard-I-of-N).")
    var out: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: WriteLockOptions
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        let files = scenarios.isEmpty ? try defaultScenarios() : scenarios
        if causality { return try checkCausality(files) }
        let sharding = try shard.map { try CheckShardRun(spec: ShardSpec(parsing: $0), files: files, out: out, lock: lock,
                                                            options: ["--baselines=\(baselines)"] + (headlineOnly ? ["--headline-only"] : []) + (updateBaselines ? ["--update-baselines"] : [])) }
        var cases: [JUnitReport.Case] = []
        var rows: [CheckSummary.Row] = []
        var regressions = 0, errors = 0
        var outcomes: [CheckShard.Outcome] = []
        for (item, file) in files.enumerated() where sharding?.runs(item) ?? true {
            let name = PathText.stem(file)
            // What this scenario added, for a shard's results (`merge` puts them back in the scenarios' order).
            let before = (cases: cases.count, rows: rows.count, regressions: regressions, errors: errors)
            defer {
                outcomes.append(CheckShard.Outcome(item: item, cases: Array(cases[before.cases...]), rows: Array(rows[before.rows...]),
                                                   regression: regressions > before.regressions, error: errors > before.errors))
            }
            do {
                let scenario = try Scenario.load(path: file, agents: CommandContext.agents)
                let folder = "\(baselines)/\(scenario.name)"
                let baseline = try OutputFolder(path: folder, marked: false, options: lock.options(for: folder))
                if updateBaselines { try baseline.checkReplaceable() }
                output.log("replaying \(file)")
                let (result, json, markdown, fills) = try { () throws -> (RunDigest, String, String, String) in
                    defer { output.endProgress() }
                    return try replay(scenario)
                }()
                let write = { try baseline.replace(with: [.text("report.json") { json }, .text("report.md") { markdown }, .text("fills.csv") { fills }]) }
                let lanes = result.lanes.map { "\($0.config.id) under \($0.variant)" }
                guard FileManager.default.fileExists(atPath: folder + "/report.json") else {
                    if updateBaselines {
                        try write()
                        print("\(scenario.name): baseline created in \(folder)")
                        rows.append(CheckSummary.Row(scenario: scenario.name, result: "created"))
                        continue
                    }
                    throw InputError(file: folder, message: "no baseline (report.json and fills.csv); create it with --update-baselines")
                }
                let old: ReportFiles
                do {
                    old = try ReportFiles.read(folder)
                } catch let error where updateBaselines && ErrorReport.message(for: error) != nil {
                    // Accepting this run is what was asked; a baseline that cannot be read is replaced, saying why.
                    try write()
                    print("\(scenario.name): baseline replaced; the old one could not be read (\(ErrorReport.message(for: error)!))")
                    rows.append(CheckSummary.Row(scenario: scenario.name, result: "replaced", changes: ["the old baseline could not be read"]))
                    continue
                }
                func tolerance(_ t: (absolute: Double?, relative: Double?)) -> RegressionComparison.Tolerance {
                    t.absolute.map { .absolute($0) } ?? .relative(t.relative ?? 0)
                }
                let policy = RegressionComparison.Policy(tolerances: scenario.checkTolerances.mapValues(tolerance),
                                                         defaultTolerance: scenario.checkDefaultTolerance.map(tolerance),
                                                         headlineOnly: headlineOnly || scenario.checkHeadlineOnly)
                let comparison = try RegressionComparison.compare(oldJSON: old.json, newJSON: Data(json.utf8), oldFills: old.fills ?? "",
                                                                  newFills: fills, policy: policy, oldName: old.jsonPath)
                if updateBaselines {
                    if !comparison.identical {
                        try write()
                        print("\(scenario.name): baseline updated")
                        for line in comparison.lines { print("  \(MarkdownText.terminal(line))") }
                    } else {
                        print("\(scenario.name): unchanged")
                    }
                    rows.append(CheckSummary.Row(scenario: scenario.name, result: comparison.identical ? "unchanged" : "updated", comparison: comparison))
                    continue
                }
                let failedLanes = Set(comparison.metricChanges.filter { $0.judged && !$0.withinTolerance }.map(\.lane))
                for lane in lanes {
                    let lines = comparison.metricChanges.filter { $0.lane == lane }.map { "\($0.metric) \($0.old) → \($0.new)" }
                    cases.append(JUnitReport.Case(suite: scenario.name, name: lane, failure: failedLanes.contains(lane) ? lines : nil))
                }
                let filesFailed = comparison.regressed && failedLanes.isEmpty
                cases.append(JUnitReport.Case(suite: scenario.name, name: "report files", failure: filesFailed ? comparison.lines : nil))
                if comparison.regressed {
                    regressions += 1
                    print("\(scenario.name): REGRESSION")
                    for line in comparison.lines { print("  \(MarkdownText.terminal(line))") }
                } else if !output.quiet {
                    print("\(scenario.name): ok\(comparison.identical ? "" : " (within tolerances: \(MarkdownText.terminal(comparison.lines.joined(separator: "; "))))")")
                }
                rows.append(CheckSummary.Row(scenario: scenario.name, result: comparison.regressed ? "regression" : "ok", comparison: comparison))
            } catch {
                // One scenario's bad input or full disk is reported, and the others are still checked.
                guard let message = ErrorReport.message(for: error) else { throw error }
                errors += 1
                FileHandle.standardError.write(Data("error: \(message)\n".utf8))
                cases.append(JUnitReport.Case(suite: name, name: "scenario", failure: nil, error: message))
                rows.append(CheckSummary.Row(scenario: name, result: "error", changes: [message]))
            }
        }
        if let junit { try AtomicFile.write(JUnitReport.render(cases), to: junit) }
        if let summary {
            try AtomicFile.write(CheckSummary.markdown(rows), to: summary)
        }
        if let sharding { try sharding.write(outcomes, quiet: output.quiet) }
        print("\(sharding.map { "\($0.ran.count) of " } ?? "")\(files.count) scenario(s): \(regressions) regression(s), \(errors) error(s)")
        if errors > 0 { throw ExitCode(2) }
        if regressions > 0 { throw ExitCode(1) }
    }

    /// Replays `scenario` as `run` does, into a run folder of its own in a fresh temporary folder (removed
    /// after), and reads back the files a baseline keeps: report.json, report.md and fills.csv.
    func replay(_ scenario: Scenario) throws -> (RunDigest, json: String, markdown: String, fills: String) {
        var template = Array((NSTemporaryDirectory() + "tapebench-check-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw FileSystemError(path: NSTemporaryDirectory(), action: "cannot create a temporary folder", errno: errno)
        }
        let temporary = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let folder = RunFolder(path: temporary + "/run")
        let digest = try folder.run(scenario, threads: threading.threads, progress: output.progress(for: scenario))
        func read(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw FileSystemError(path: path, action: "cannot read", errno: errno)
            }
            return String(decoding: data, as: UTF8.self)
        }
        return (digest, try read(folder.reportJSON), try read(folder.reportMarkdown), try read(folder.fillsCSV))
    }

    func defaultScenarios() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "scenarios")) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") }.sorted().map { "scenarios/" + $0 }
        guard !files.isEmpty else { fail("no scenarios: give scenario files, or run from a folder with scenarios/*.yaml") }
        return files
    }
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare two report folders (or two report.json files) as check does.",
        discussion: "Exit 0 when identical (with --headline-only: when no headline metric moved), 1 when they differ, 2 on an error.")

    @Argument(help: "The old report folder or report.json.")
    var old: String

    @Argument(help: "The new report folder or report.json.")
    var new: String

    @Flag(help: "Exit 1 only when a headline metric moved (return, Sharpe, max drawdown, fills, win rate, total P&L).")
    var headlineOnly = false

    func run() throws {
        let a = try ReportFiles.read(old), b = try ReportFiles.read(new)
        switch (a.fills, b.fills) {
        case (nil, nil):
            print("note: no fills.csv beside either report.json; fills not compared")
        case (nil, _):
            throw InputError(file: a.fillsPath, message: "missing, while \(b.fillsPath) exists: fills cannot be compared")
        case (_, nil):
            throw InputError(file: b.fillsPath, message: "missing, while \(a.fillsPath) exists: fills cannot be compared")
        default:
            break
        }
        // A run folder's database is checked too: a damaged run.sqlite is an error, not an unnoticed file.
        for path in [old, new] where FileManager.default.isFolder(path) && FileManager.default.fileExists(atPath: path + "/run.sqlite") {
            try RunDatabase.verify(path: path + "/run.sqlite")
        }
        let comparison = try RegressionComparison.compare(oldJSON: a.json, newJSON: b.json, oldFills: a.fills ?? "", newFills: b.fills ?? "",
                                                          policy: .init(headlineOnly: headlineOnly), oldName: a.jsonPath, newName: b.jsonPath)
        for line in comparison.lines { print(MarkdownText.terminal(line)) }
        if comparison.regressed { throw ExitCode(1) }
    }
}
