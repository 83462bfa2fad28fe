import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchReports

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

    @OptionGroup var output: OutputOptions

    func run() throws {
        let files = scenarios.isEmpty ? try defaultScenarios() : scenarios
        var cases: [JUnitReport.Case] = []
        var rows: [[String]] = []
        var regressions = 0, errors = 0
        for file in files {
            let name = (file as NSString).deletingPathExtension.split(separator: "/").last.map(String.init) ?? file
            do {
                let scenario = try Scenario.load(path: file)
                output.log("replaying \(file)")
                let result = try ScenarioRunner.run(scenario, progress: output.progress())
                output.endProgress()
                let json = JSONReport.render(result), markdown = MarkdownReport.render(result), fills = FillsCSV.render(result)
                let folder = "\(baselines)/\(scenario.name)"
                let lanes = result.runs.map { "\($0.config.id) under \($0.variant)" }
                guard let oldJSON = FileManager.default.contents(atPath: folder + "/report.json"),
                      let oldFills = try? String(contentsOfFile: folder + "/fills.csv", encoding: .utf8) else {
                    if updateBaselines {
                        try write(folder, json, markdown, fills)
                        print("\(scenario.name): baseline created in \(folder)")
                        rows.append([scenario.name, "created", ""])
                        continue
                    }
                    throw InputError(file: folder, message: "no baseline (report.json and fills.csv); create it with --update-baselines")
                }
                let tolerances = scenario.checkTolerances.mapValues { t -> RegressionComparison.Tolerance in
                    t.absolute.map { .absolute($0) } ?? .relative(t.relative ?? 0)
                }
                let comparison = try RegressionComparison.compare(oldJSON: oldJSON, newJSON: Data(json.utf8), oldFills: oldFills,
                                                                  newFills: fills, tolerances: tolerances)
                if updateBaselines {
                    if !comparison.identical {
                        try write(folder, json, markdown, fills)
                        print("\(scenario.name): baseline updated")
                        for line in comparison.lines { print("  \(line)") }
                    } else {
                        print("\(scenario.name): unchanged")
                    }
                    rows.append([scenario.name, comparison.identical ? "unchanged" : "updated", comparison.identical ? "" : comparison.lines.joined(separator: "; ")])
                    continue
                }
                let failedLanes = Set(comparison.metricChanges.filter { !$0.withinTolerance }.map(\.lane))
                for lane in lanes {
                    let lines = comparison.metricChanges.filter { $0.lane == lane }.map { "\($0.metric) \($0.old) → \($0.new)" }
                    cases.append(JUnitReport.Case(suite: scenario.name, name: lane, failure: failedLanes.contains(lane) ? lines : nil))
                }
                let filesFailed = comparison.regressed && failedLanes.isEmpty
                cases.append(JUnitReport.Case(suite: scenario.name, name: "report files", failure: filesFailed ? comparison.lines : nil))
                if comparison.regressed {
                    regressions += 1
                    print("\(scenario.name): REGRESSION")
                    for line in comparison.lines { print("  \(line)") }
                } else if !output.quiet {
                    print("\(scenario.name): ok\(comparison.identical ? "" : " (within tolerances: \(comparison.lines.joined(separator: "; ")))")")
                }
                rows.append([scenario.name, comparison.regressed ? "regression" : "ok", comparison.identical ? "" : comparison.lines.joined(separator: "; ")])
            } catch let error as InputError {
                errors += 1
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                cases.append(JUnitReport.Case(suite: name, name: "scenario", failure: nil, error: error.description))
                rows.append([name, "error", error.description])
            }
        }
        if let junit { try AtomicFile.write(JUnitReport.render(cases), to: junit) }
        if let summary {
            let text = "## tapebench check\n\n" + Table(header: ["scenario", "result", "what changed"], rows: rows, leftAligned: [0, 1, 2]).markdown()
            try AtomicFile.write(text, to: summary)
        }
        print("\(files.count) scenario(s): \(regressions) regression(s), \(errors) error(s)")
        if errors > 0 { throw ExitCode(2) }
        if regressions > 0 { throw ExitCode(1) }
    }

    func defaultScenarios() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "scenarios")) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") }.sorted().map { "scenarios/" + $0 }
        guard !files.isEmpty else { fail("no scenarios: give scenario files, or run from a folder with scenarios/*.yaml") }
        return files
    }

    func write(_ folder: String, _ json: String, _ markdown: String, _ fills: String) throws {
        try AtomicFile.write(json, to: folder + "/report.json")
        try AtomicFile.write(markdown, to: folder + "/report.md")
        try AtomicFile.write(fills, to: folder + "/fills.csv")
    }
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare two report folders (or two report.json files) as check does.",
        discussion: "Exit 0 when identical, 1 when they differ, 2 on an error.")

    @Argument(help: "The old report folder or report.json.")
    var old: String

    @Argument(help: "The new report folder or report.json.")
    var new: String

    func run() throws {
        func load(_ path: String) throws -> (Data, String) {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let folder = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
            let jsonPath = isDirectory.boolValue ? folder + "/report.json" : path
            guard let json = FileManager.default.contents(atPath: jsonPath) else { throw InputError(file: jsonPath, message: "cannot read") }
            return (json, (try? String(contentsOfFile: folder + "/fills.csv", encoding: .utf8)) ?? "")
        }
        let comparison = try reportingInputErrors {
            let (a, fa) = try load(old), (b, fb) = try load(new)
            return try RegressionComparison.compare(oldJSON: a, newJSON: b, oldFills: fa, newFills: fb)
        }
        for line in comparison.lines { print(line) }
        if !comparison.identical { throw ExitCode(1) }
    }
}
