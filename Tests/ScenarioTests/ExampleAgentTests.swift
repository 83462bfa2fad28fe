import Foundation
import Testing
import TapebenchTestSupport

/// The agents in examples/agents against the built-in they rewrite, through the built binary.
@Suite struct ExampleAgentTests {
    /// fills.csv without its agent column (the second): the ids differ, nothing else may.
    func fillsWithoutAgent(_ folder: String) throws -> [String] {
        let text = try String(contentsOfFile: folder + "/fills.csv", encoding: .utf8)
        return text.split(separator: "\n").map { line in
            var cells = line.split(separator: ",", omittingEmptySubsequences: false)
            cells.remove(at: 1)
            return cells.joined(separator: ",")
        }
    }

    func run(_ scenario: String) throws -> String {
        let out = try temporaryFolder() + "/out"
        let result = try runTapebench(["run", scenario, "--out", out, "--quiet"], in: Repository.root)
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    func expectSameFillsAsBuiltIn(_ scenario: String) throws {
        let builtIn = try fillsWithoutAgent(run("scenarios/default.yaml"))
        let rewritten = try fillsWithoutAgent(run(scenario))
        #expect(builtIn.count > 1_000)
        #expect(rewritten.count == builtIn.count)
        for (index, (a, b)) in zip(rewritten, builtIn).enumerated() where a != b {
            Issue.record("fills.csv line \(index + 1): \(a) ≠ built-in \(b)")
            break
        }
    }

    @Test("the Python rewrite of the VWAP agent makes the built-in's fills on the default scenario, row for row")
    func pythonSameFills() throws {
        if programOnPath("python3") == nil { try Test.cancel("needs python3 on PATH to run examples/agents/vwap_mean_reversion.py") }
        try expectSameFillsAsBuiltIn("examples/agents/vwap-python.yaml")
    }

    @Test("the JavaScript rewrite makes the same fills too")
    func nodeSameFills() throws {
        if programOnPath("node") == nil { try Test.cancel("needs node (18 or later) on PATH to run examples/agents/node/vwap_mean_reversion.mjs") }
        try expectSameFillsAsBuiltIn("examples/agents/node/vwap-node.yaml")
    }

    @Test("the same agent program gives the same reports, byte for byte, with two lanes (two programs) side by side")
    func deterministic() throws {
        if programOnPath("python3") == nil { try Test.cancel("needs python3 on PATH to run examples/agents/vwap_mean_reversion.py") }
        // Three days under two fill models: the example and its helper copied into a fresh folder.
        let folder = try temporaryFolder()
        for file in ["tapebench_agent.py", "vwap_mean_reversion.py"] {
            try FileManager.default.copyItem(atPath: Repository.root + "/examples/agents/" + file, toPath: folder + "/" + file)
        }
        let text = try String(contentsOfFile: Repository.root + "/examples/agents/vwap-python.yaml", encoding: .utf8)
            .replacingOccurrences(of: "to: 2024-04-02", with: "to: 2024-03-06")
            .replacingOccurrences(of: "fill_model: seed", with: "fill_models: [seed, conservative]")
            .replacingOccurrences(of: "../../datasets/default", with: Repository.root + "/datasets/default")
        let scenario = folder + "/s.yaml"
        try text.write(toFile: scenario, atomically: true, encoding: .utf8)
        let a = try run(scenario), b = try run(scenario)
        for file in ["report.json", "report.md", "report.html", "fills.csv", "trades.csv", "equity.csv"] {
            let first = try #require(FileManager.default.contents(atPath: "\(a)/\(file)"))
            #expect(first.count > 500)
            #expect(first == FileManager.default.contents(atPath: "\(b)/\(file)"), "\(file) differs between runs")
        }
        #expect(try String(contentsOfFile: a + "/fills.csv", encoding: .utf8).contains(",conservative,"))
    }
}
