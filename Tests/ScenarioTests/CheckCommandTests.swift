import Foundation
import Testing
import TapebenchTestSupport

@Suite struct CheckCommandTests {
    /// A copy of the default scenario in a fresh folder, with its baseline, and `change` applied to the copy.
    func setUp(_ change: (String) -> String = { $0 }) throws -> String {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/scenarios", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/reports/baselines", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/datasets", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.root + "/datasets/default", toPath: folder + "/datasets/default")
        let text = try String(contentsOfFile: Repository.defaultScenario, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Repository.root + "/reports/baselines/default", toPath: folder + "/reports/baselines/default")
        try change(text).write(toFile: folder + "/scenarios/default.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    @Test("an unchanged scenario matches its baseline: exit 0, JUnit and summary written")
    func matches() throws {
        let folder = try setUp()
        let result = try runTapebench(["check", "--junit", "j.xml", "--summary", "s.md"], in: folder)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("default: ok"))
        let junit = try String(contentsOfFile: folder + "/j.xml", encoding: .utf8)
        #expect(junit.contains("<testcase classname=\"default\" name=\"vwap-mr under seed\"/>"))
        #expect(try String(contentsOfFile: folder + "/s.md", encoding: .utf8).contains("| default  | ok     |"))
    }

    @Test("a changed agent is a regression: exit 1, the metrics that moved and the first fill that differs")
    func regression() throws {
        let folder = try setUp { $0.replacingOccurrences(of: "entry_deviation_bps: 40", with: "entry_deviation_bps: 45") }
        let result = try runTapebench(["check", "--junit", "j.xml"], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("vwap-mr under seed: return 0.009987 → 0.007242"))
        // The scenario changed, so that is said first; headline metrics lead; the fill names its changed columns.
        #expect(result.stdout.contains("default: REGRESSION\n  the scenario file changed (sha256 f6ef9ac76288 → "))
        #expect(result.stdout.contains("the differences may come from it, not from the code\n  vwap-mr under seed: return 0.009987 → 0.007242\n  vwap-mr under seed: sharpe"))
        #expect(result.stdout.contains("first differing fill: 2024-03-04T15:11:00Z EBAY buy, order 6 (vwap-mr under seed): time 2024-03-04T15:11:00Z → 2024-03-04T15:16:00Z, price 174.027401 → 173.367335, slippage 0.991857 → 0.988095 (fills: 1064 changed, 198 gone)"))
        let junit = try String(contentsOfFile: folder + "/j.xml", encoding: .utf8)
        #expect(junit.contains("<testcase classname=\"default\" name=\"vwap-mr under seed\">\n      <failure message=\"return 0.009987 → 0.007242"))
        #expect(junit.contains("return 0.009987 → 0.007242"))
    }

    @Test("tolerances let small moves pass; --update-baselines rewrites and says what changed")
    func tolerancesAndUpdate() throws {
        let folder = try setUp {
            $0.replacingOccurrences(of: "entry_deviation_bps: 40", with: "entry_deviation_bps: 41")
                + "check:\n  tolerances: {return: {abs: 1}, sharpe: {rel: 10}}\n"
        }
        let strict = try runTapebench(["check"], in: folder)
        #expect(strict.status == 1)  // metrics without a tolerance still may not move
        let updated = try runTapebench(["check", "--update-baselines"], in: folder)
        #expect(updated.status == 0)
        #expect(updated.stdout.contains("default: baseline updated"))
        #expect(try runTapebench(["check"], in: folder).status == 0)
    }

    /// The case: a cent more commission per fill moved equity, cash, CAGR, Calmar, Sortino, total P&L
    /// and volatility, and failed a check whose tolerances covered Sharpe and return only.
    @Test("a cent of commission: exact fails; headline-only with a default tolerance passes and lists the derived moves")
    func headlineOnlyCommission() throws {
        let cent = { (text: String) in text.replacingOccurrences(of: "fill_model: seed", with: "fill_models:\n  - {name: seed, preset: seed, commission: {per_fill: 0.51}}") }
        let exact = try runTapebench(["check"], in: try setUp(cent))
        #expect(exact.status == 1)
        let folder = try setUp { cent($0) + "check:\n  headline_only: true\n  tolerance: {rel: 0.05}\n" }
        let lenient = try runTapebench(["check", "--summary", "s.md"], in: folder)
        #expect(lenient.status == 0, "\(lenient.stdout)\(lenient.stderr)")
        #expect(lenient.stdout.contains("(within tolerance"))
        #expect(lenient.stdout.contains("vwap-mr under seed: cagr"))
        #expect(lenient.stdout.contains("(derived, not judged)"))
        let summary = try String(contentsOfFile: folder + "/s.md", encoding: .utf8)
        #expect(summary.contains("| default  | ok     | scenario file changed; 4 headline and"))
        #expect(summary.contains("<details><summary>default: "))
        #expect(summary.split(separator: "\n").allSatisfy { $0.count < 400 }, "every line of the CI summary stays short")
        // The same on the command line, for diff.
        let diff = try runTapebench(["diff", "--headline-only", Repository.root + "/reports/baselines/default", folder + "/reports/baselines/default"], in: folder)
        #expect(diff.status == 0)
    }

    @Test("a missing baseline is an error: exit 2")
    func missing() throws {
        let folder = try setUp()
        try FileManager.default.removeItem(atPath: folder + "/reports/baselines/default")
        let result = try runTapebench(["check"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no baseline"))
    }

    @Test("diff compares two report folders")
    func diff() throws {
        let folder = try setUp()
        #expect(try runTapebench(["diff", Repository.root + "/reports/baselines/default", folder + "/reports/baselines/default"], in: folder).status == 0)
        let other = try runTapebench(["diff", Repository.root + "/reports/baselines/default", Repository.root + "/reports/baselines/order-tape"], in: folder)
        #expect(other.status == 1)
        #expect(other.stdout.contains("vwap-mr under seed is gone"))
    }

    @Test("check --causality replays each scenario cut and perturbed at several times: causal, exit 0; bad --cuts, exit 2")
    func causality() throws {
        let result = try runTapebench(["check", "--causality", "--cuts", "2", "scenarios/order-tape.yaml"], in: Repository.root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("order-tape: causal (16 comparisons, "))
        #expect(result.stdout.hasSuffix("1 scenario(s): 0 with a leak, 0 error(s)\n"))
        let bad = try runTapebench(["check", "--causality", "--cuts", "0", "scenarios/order-tape.yaml"], in: Repository.root)
        #expect(bad.status == 2)
    }
}
