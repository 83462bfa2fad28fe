import Foundation
import Testing
import TapebenchStore
import TapebenchTestSupport
@testable import TapebenchServer

@Suite struct GraduationRouteTests {
    @Test("eligibility from the database equals tapebench graduate's answer for the same replay, variant by variant")
    func sameAsGraduate() async throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["graduate", Repository.root + "/scenarios/default.yaml", "--to", "paper", "--out", folder + "/g",
                                       "--registry", folder + "/cli-registry.sqlite", "--quiet"], in: folder)
        #expect(result.status == 1)  // not eligible: return 1.0% < 5.0%
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/g/graduation.json"))) as? [String: Any])
        let expected = try #require((document["agents"] as? [[String: Any]])?.first)
        let server = try await ServedProcess.start(database: folder + "/g/run.sqlite", registry: folder + "/r.sqlite")
        let served = try await HTTP.request(port: server.port, path: "/api/agents/vwap-mr/graduation/eligibility?step=paper").json()
        await server.stop()
        // Three variants judged (seed, conservative, seed-delayed), each criterion's value to six decimals.
        #expect((served["variants"] as? [Any])?.count == 3)
        for key in ["to", "eligible", "robust", "forced", "graduates", "reason", "warnings", "criteria_met", "stats", "variants"] {
            let a = try JSONSerialization.data(withJSONObject: ["k": served[key] ?? NSNull()], options: [.sortedKeys])
            let b = try JSONSerialization.data(withJSONObject: ["k": expected[key] ?? NSNull()], options: [.sortedKeys])
            #expect(a == b, "\(key): served \(String(decoding: a, as: UTF8.self).prefix(400)) expected \(String(decoding: b, as: UTF8.self).prefix(400))")
        }
    }

    @Test("graduate: refused without force (registry untouched), forced to paper, then judged for live; a live agent gets 409")
    func graduate() async throws {
        let (server, _, registryPath) = try await DefaultRun.serve()
        let url = "/api/agents/vwap-mr/graduate"
        let refused = try await HTTP.request(port: server.port, method: "POST", path: url, body: Data("{}".utf8)).json()
        #expect(refused["success"] as? Bool == false)
        #expect(refused["new_status"] as? String == "learning")
        #expect((refused["message"] as? String)?.hasPrefix("Agent not graduated: not eligible under seed") == true)
        #expect(!FileManager.default.fileExists(atPath: registryPath))

        let forced = try await HTTP.request(port: server.port, method: "POST", path: url, body: Data(#"{"force": true}"#.utf8)).json()
        #expect(forced["success"] as? Bool == true)
        #expect(forced["new_status"] as? String == "paper_trading")
        #expect(forced["paper_account_id"] as? String == "paper-vwap-mr-f6ef9ac76288")
        #expect((forced["message"] as? String)?.hasPrefix("Agent graduated to paper_trading (forced; not eligible under seed") == true)
        let registry = AgentStatusRegistry(path: registryPath)
        #expect(try registry.statuses(of: ["vwap-mr"])["vwap-mr"] == .paperTrading)
        let history = try registry.history(of: "vwap-mr")
        #expect(history.count == 1 && history[0].forced && history[0].time == "2024-04-02T20:00:00Z" && history[0].scenario == "default")

        let eligibility = try await HTTP.request(port: server.port, path: "/api/agents/vwap-mr/graduation/eligibility").json()
        #expect(eligibility["to"] as? String == "live")
        #expect(eligibility["current_status"] as? String == "paper_trading")
        let agents = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents").json()
        #expect((agents["agents"] as? [[String: Any]])?.first?["lifecycle_status"] as? String == "paper_trading")

        #expect(try await HTTP.request(port: server.port, method: "POST", path: url, body: Data(#"{"force": true}"#.utf8)).status == 200)
        let live = try await HTTP.request(port: server.port, method: "POST", path: url, body: Data(#"{"force": true}"#.utf8))
        #expect(live.status == 409)
        #expect((try live.json()["message"] as? String)?.contains("live already") == true)
        await server.stop()
    }
}
