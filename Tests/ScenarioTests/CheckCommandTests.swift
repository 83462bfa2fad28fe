import Foundation
import Testing

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
        #expect(result.stdout.contains("first differing fill: 2024-03-04T15:11:00Z EBAY buy at 174.027401 (seed) became 2024-03-04T15:16:00Z EBAY buy at 173.367335; 1261 more fill rows differ"))
        let junit = try String(contentsOfFile: folder + "/j.xml", encoding: .utf8)
        #expect(junit.contains("<testcase classname=\"default\" name=\"vwap-mr under seed\">\n      <failure message=\"average_loss"))
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
