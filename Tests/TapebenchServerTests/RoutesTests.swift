import Foundation
import GRDB
import Testing
@testable import TapebenchServer

/// The seed's routes over the default scenario's run.sqlite (vwap-mr, variant seed: equity 100,998.73,
/// 1,275 orders and 1,275 fills over 21 trading days, one NVDA position of 29 shares left open).
@Suite struct RoutesTests {
    @Test("the agents route lists vwap-mr with its seed account and the run")
    func agents() async throws {
        let (server, _, _) = try await DefaultRun.serve()
        let answer = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents")
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"] == "application/json; charset=utf-8")
        let json = try answer.json()
        let agents = try #require(json["agents"] as? [[String: Any]])
        #expect(agents.count == 1)
        #expect(agents[0]["id"] as? String == "vwap-mr")
        #expect(agents[0]["lifecycle_status"] as? String == "learning")
        let account = try #require((agents[0]["accounts"] as? [[String: Any]])?.first)
        #expect(account["variant"] as? String == "seed")
        #expect(account["equity"] as? Double == 100_998.729038)
        #expect((json["run"] as? [String: Any])?["scenario_name"] as? String == "default")
        await server.stop()
    }

    @Test("account, positions and performance give the run's figures; the equity curve ends at the account's equity")
    func account() async throws {
        let (server, _, _) = try await DefaultRun.serve()
        let account = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/account").json()
        #expect(account["agent_id"] as? String == "vwap-mr")
        #expect(account["current_cash"] as? Double == 91_164.249038)
        #expect(account["total_pnl"] as? Double == 998.729038)
        #expect(account["commissions"] as? Double == 637.5)  // 1,275 fills × $0.50
        let positions = try #require(try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/positions").json()["positions"] as? [[String: Any]])
        #expect(positions.count == 1)
        #expect(positions.first?["ticker"] as? String == "NVDA")
        #expect(positions.first?["quantity"] as? Int == 29)
        let performance = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/performance").json()
        let snapshots = try #require(performance["snapshots"] as? [[String: Any]])
        #expect(snapshots.count == 21)  // trading days from 2024-03-04 to 2024-04-02 (Good Friday closed)
        #expect(snapshots.last?["equity"] as? Double == 100_998.729038)
        #expect(performance["closing_trades"] as? Int == 637)
        #expect(performance["return_pct"] as? Double == 0.998729038)
        await server.stop()
    }

    @Test("orders and trades come newest first, in pages: offset 1 limit 2 are the 2nd and 3rd of limit 3")
    func pages() async throws {
        let (server, _, _) = try await DefaultRun.serve()
        for (route, key) in [("orders", "orders"), ("trades", "trades")] {
            let three = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/\(route)?limit=3").json()
            let two = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/\(route)?limit=2&offset=1&variant=seed").json()
            #expect(three["total"] as? Int == 1_275)
            let ids3 = (three[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            let ids2 = (two[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            #expect(ids3.count == 3)
            #expect(ids3 == ids3.sorted(by: >))
            #expect(ids2 == Array(ids3.dropFirst()))
        }
        let all = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/orders").json()
        #expect((all["orders"] as? [Any])?.count == Page.defaultLimit)
        await server.stop()
    }

    @Test("the OpenAPI document is 3.1 and lists exactly the routes the server has")
    func openAPI() async throws {
        let (server, _, _) = try await DefaultRun.serve()
        let document = try await HTTP.request(port: server.port, path: "/openapi.json").json()
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let served = Set(APIRoutes.table.map { "\($0.method) \($0.path.replacingOccurrences(of: ":id", with: "{id}"))" })
        #expect(documented == served)
        await server.stop()
    }

    @Test("the database is never written: its bytes are the same after every route and a graduation")
    func readOnly() async throws {
        let (server, database, registry) = try await DefaultRun.serve()
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        for path in ["/api/paper-trading/agents", "/api/paper-trading/agents/vwap-mr/performance", "/api/agents/vwap-mr/graduation/eligibility"] {
            #expect(try await HTTP.request(port: server.port, path: path).status == 200)
        }
        let graduated = try await HTTP.request(port: server.port, method: "POST", path: "/api/agents/vwap-mr/graduate", body: Data(#"{"force": true}"#.utf8))
        #expect(graduated.status == 200)
        await server.stop()
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(FileManager.default.fileExists(atPath: registry))
    }
}

/// Paper mode's database (docs/paper-mode.md): its checkpoint shows in the agents route.
@Suite struct PaperDatabaseTests {
    @Test("a paper database's checkpoint is served under 'paper'; a run's database has null there")
    func checkpoint() async throws {
        let (database, registry) = try DefaultRun.copy()
        let before = try await ServedProcess.start(database: database, registry: registry)
        #expect(try await HTTP.request(port: before.port, path: "/api/paper-trading/agents").json()["paper"] is NSNull)
        await before.stop()
        let writer = try DatabaseQueue(path: database)
        try await writer.write { db in
            try db.execute(sql: """
                CREATE TABLE paper_checkpoint (id INTEGER PRIMARY KEY, scenario_sha256 TEXT, source TEXT, minute TEXT, minutes INTEGER, state TEXT, delayed INTEGER);
                INSERT INTO paper_checkpoint VALUES (1, 'x', 'replay', '2024-04-02T19:59:00Z', 8000, 'running', 0);
                """)
        }
        try await writer.close()
        let server = try await ServedProcess.start(database: database, registry: registry)
        let paper = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents").json()["paper"] as? [String: Any]
        await server.stop()
        #expect(paper?["minute"] as? String == "2024-04-02T19:59:00Z")
        #expect(paper?["state"] as? String == "running")
        #expect(paper?["minutes"] as? Int == 8000)
    }
}
