import Foundation
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchTestSupport

/// `graduate` through the registry that lasts across runs: learning → paper_trading → live, one step at a
/// time, forced or not; the answers in the reference system's shape.
@Suite struct GraduationLifecycleTests {
    /// The default scenario over its first week (quick), with thresholds the seed result does not meet.
    func scenario(in folder: String) throws -> String {
        let text = try String(contentsOfFile: Repository.defaultScenario, encoding: .utf8)
            .replacingOccurrences(of: "../datasets/default", with: Repository.root + "/datasets/default")
            .replacingOccurrences(of: "to: 2024-04-02", with: "to: 2024-03-08")
        try text.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        return "s.yaml"
    }

    func registryRows(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT agent_id, from_status, to_status, decided_at, forced, scenario_sha256, criteria FROM agent_status_history ORDER BY id").map { row in
                let criteria: String = row["criteria"]
                return "\(row["agent_id"] as String) \(row["from_status"] as String)→\(row["to_status"] as String) \(row["decided_at"] as String) forced=\(row["forced"] as Bool) sha=\((row["scenario_sha256"] as String).count) criteria_met=\(criteria.contains("\"criteria_met\""))"
            }
        }
    }

    @Test("--to live --force from learning is refused with one line, exit 2, before the replay, and nothing is written")
    func noSkipping() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["graduate", try scenario(in: folder), "--to", "live", "--force", "--out", "out"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr == "error: reports/agents.sqlite: agent 'vwap-mr' is learning; --to live graduates from paper_trading only: graduate it --to paper first (--force skips the criteria, never a step)\n")
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["s.yaml"])
    }

    @Test("forced to paper, then refused a second paper step, then forced to live: statuses and history in the registry, answers in graduation.json")
    func lifecycle() throws {
        let folder = try temporaryFolder()
        let path = try scenario(in: folder)
        let sha = try Scenario.load(path: folder + "/" + path).contentHash
        let paper = try runTapebench(["graduate", path, "--to", "paper", "--force", "--out", "out"], in: folder)
        #expect(paper.status == 0, "\(paper.stderr)")
        #expect(paper.stdout.contains("vwap-mr → paper: graduates (forced)"))
        #expect(paper.stdout.contains("  status: paper_trading (was learning)"))
        #expect(paper.stdout.contains("recorded in reports/agents.sqlite"))
        let markdown = try String(contentsOfFile: folder + "/out/graduation.md", encoding: .utf8)
        #expect(markdown.contains("Status: `paper_trading` (graduated); paper account `paper-vwap-mr-\(sha.prefix(12))`."), "\(markdown)")
        // report.html carries the same answer in its graduation section, each criterion under each variant.
        let html = try String(contentsOfFile: folder + "/out/report.html", encoding: .utf8)
        #expect(html.contains("<h2 id=\"graduation\">Graduation</h2>\n<p class=\"verdict pass\"><code>vwap-mr</code> → paper: graduates (forced). "))
        #expect(html.contains("Status: paper_trading (graduated); paper account paper-vwap-mr-\(sha.prefix(12)).</p>"))
        #expect(html.contains("<tr><th>criterion</th><th>seed</th><th>conservative</th><th>seed-delayed</th></tr>\n<tr><td>iterations</td><td class=\"num\">✗ 5 (≥ 20)</td>"))
        // Decided at the end of the replay: the data's last bar (after hours, 19:56 EST) ends at 00:57Z.
        #expect(try registryRows(folder + "/reports/agents.sqlite") == ["vwap-mr learning→paper_trading 2024-03-09T00:57:00Z forced=true sha=64 criteria_met=true"])

        let again = try runTapebench(["graduate", path, "--to", "paper", "--out", "out"], in: folder)
        #expect(again.status == 2)
        #expect(again.stderr == "error: reports/agents.sqlite: agent 'vwap-mr' is paper_trading; --to paper graduates from learning only: its next step is --to live (--force skips the criteria, never a step)\n")

        let live = try runTapebench(["graduate", path, "--to", "live", "--force", "--json", "--out", "out-live"], in: folder)
        #expect(live.status == 0, "\(live.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(live.stdout.utf8)) as? [String: Any])
        let agent = try #require((document["agents"] as? [[String: Any]])?.first)
        let graduate = try #require(agent["graduate"] as? [String: Any])
        #expect(graduate["success"] as? Bool == true)
        #expect(graduate["new_status"] as? String == "live")
        #expect((graduate["message"] as? String)?.hasPrefix("Agent graduated to live (forced; not eligible under seed: ") == true, "\(graduate)")
        #expect(graduate["paper_account_id"] as? String == "paper-vwap-mr-" + sha.prefix(12))
        // stdout is graduation.json, byte for byte.
        #expect(live.stdout == (try String(contentsOfFile: folder + "/out-live/graduation.json", encoding: .utf8)))
        #expect(try registryRows(folder + "/reports/agents.sqlite") == [
            "vwap-mr learning→paper_trading 2024-03-09T00:57:00Z forced=true sha=64 criteria_met=true",
            "vwap-mr paper_trading→live 2024-03-09T00:57:00Z forced=true sha=64 criteria_met=true",
        ])
        let beyond = try runTapebench(["graduate", path, "--to", "live", "--force", "--out", "out-live"], in: folder)
        #expect(beyond.status == 2)
        #expect(beyond.stderr.contains("agent 'vwap-mr' is live; --to live graduates from paper_trading only: it cannot graduate further"))
    }

    @Test("not graduating: exit 1, success false, the status unchanged, nothing recorded; the registry is not even created")
    func notGraduating() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["graduate", try scenario(in: folder), "--to", "paper", "--json", "--out", "out"], in: folder)
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let agent = try #require((document["agents"] as? [[String: Any]])?.first)
        let graduate = try #require(agent["graduate"] as? [String: Any])
        #expect(graduate["success"] as? Bool == false)
        #expect(graduate["new_status"] as? String == "learning")
        #expect(graduate["paper_account_id"] is NSNull)
        #expect((graduate["message"] as? String)?.hasPrefix("Agent not graduated: not eligible under seed: not met: iterations 5 < 20") == true, "\(graduate)")
        let stats = try #require(agent["stats"] as? [String: Any])
        #expect(stats.keys.sorted() == ["avg_return", "avg_sharpe", "avg_win_rate", "closing_trades", "recent_consistency", "return", "sharpe",
                                        "total_iterations", "total_signals", "win_rate"])
        #expect(stats["total_iterations"] as? Int == 5 && stats["recent_consistency"] as? Bool == false)
        #expect(!FileManager.default.fileExists(atPath: folder + "/reports/agents.sqlite"))
    }

    @Test("a --registry that is not Tapebench's is refused before the replay and left as it was")
    func foreignRegistry() throws {
        let folder = try temporaryFolder()
        try DatabaseQueue(path: folder + "/mine.sqlite").write { try $0.execute(sql: "CREATE TABLE trading_agents (id TEXT, status TEXT)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/mine.sqlite"))
        let result = try runTapebench(["graduate", try scenario(in: folder), "--to", "paper", "--force", "--registry", "mine.sqlite", "--out", "out"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr == "error: mine.sqlite: a SQLite database of another program, not an agent registry Tapebench created; Tapebench changes only its own: choose another --registry, or move this file away\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/mine.sqlite")) == before)
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    @Test("graduation.json validates against reports/graduation.schema.json, which refuses an answer without its graduate key")
    func schema() async throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["graduate", try scenario(in: folder), "--to", "paper", "--force", "--out", "out"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        for broken in ["agents/0/graduate", "agents/0/stats/avg_sharpe", "agents/0/variants/1/criteria_met/consistency"] {
            switch try await PythonEnvironment("jsonschema").run("validate_document.py", [Repository.root + "/reports/graduation.schema.json",
                                                                                        folder + "/out/graduation.json", broken]) {
            case .output(let text): #expect(text.hasPrefix("valid"), "\(text)")
            case .unavailable(let reason): try Test.cancel(Comment(rawValue: reason))
            }
        }
    }
}
