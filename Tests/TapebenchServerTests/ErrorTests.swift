import Foundation
import Testing
@testable import TapebenchServer

/// Every refusal is a 4xx with a JSON body naming the problem; nothing a client sends gets a 5xx.
@Suite struct ErrorTests {
    @Test("bad requests get the 4xx and message the API documents", arguments: [
        ("GET", "/api/paper-trading/agents/bad%20id/account", nil, 400, "agent id 'bad id'"),
        ("GET", "/api/paper-trading/agents/-x/account", nil, 400, "must start with a letter or a digit"),
        ("GET", "/api/paper-trading/agents/nobody/account", nil, 404, "no agent 'nobody'"),
        ("GET", "/api/paper-trading/agents/vwap-mr/account?variant=conservative", nil, 404, "has no account under variant 'conservative'"),
        ("GET", "/api/paper-trading/agents/vwap-mr/orders?limit=0", nil, 400, "limit must be a whole number from 1 to 1000"),
        ("GET", "/api/paper-trading/agents/vwap-mr/orders?limit=abc", nil, 400, "limit must be"),
        ("GET", "/api/paper-trading/agents/vwap-mr/trades?offset=-1", nil, 400, "offset must be"),
        ("GET", "/api/paper-trading/agents/vwap-mr/account?limit=5", nil, 400, "unknown query parameter 'limit'"),
        ("GET", "/api/paper-trading/agents?variant=a&variant=b", nil, 400, "unknown query parameter 'variant'"),
        ("GET", "/api/agents/vwap-mr/graduation/eligibility?step=moon", nil, 400, "step must be paper or live"),
        ("GET", "/nope", nil, 404, "no route GET /nope"),
        ("DELETE", "/api/paper-trading/agents", nil, 405, "DELETE is not allowed"),
        ("GET", "/api/agents/vwap-mr/graduate", nil, 405, "use POST"),
        ("POST", "/api/agents/vwap-mr/graduate", "[1", 400, "the body is not JSON"),
        ("POST", "/api/agents/vwap-mr/graduate", "[true]", 400, "must be a JSON object"),
        ("POST", "/api/agents/vwap-mr/graduate", #"{"force": 1}"#, 400, "field 'force' must be true or false"),
        ("POST", "/api/agents/vwap-mr/graduate", #"{"force": "yes"}"#, 400, "field 'force' must be true or false"),
        ("POST", "/api/agents/vwap-mr/graduate", #"{"forse": true}"#, 400, "unknown field 'forse'"),
        ("POST", "/api/agents/nobody/graduate", "{}", 404, "no agent 'nobody'"),
    ] as [(String, String, String?, Int, String)])
    func refusals(method: String, path: String, body: String?, status: Int, message: String) async throws {
        let (server, _, _) = try await DefaultRun.serve()
        let answer = try await HTTP.request(port: server.port, method: method, path: path, body: body.map { Data($0.utf8) })
        await server.stop()
        #expect(answer.status == status)
        #expect(answer.headers["content-type"] == "application/json; charset=utf-8")
        let json = try answer.json()
        #expect((json["message"] as? String)?.contains(message) == true, "\(answer.text)")
        #expect(json["error"] as? String != nil)
        if status == 405 { #expect(answer.headers["allow"] != nil) }
    }

    @Test("a body over 4 KiB is refused with 413")
    func tooLarge() async throws {
        let (server, _, _) = try await DefaultRun.serve()
        let body = Data(("{\"force\": false, \"pad\": \"" + String(repeating: "x", count: 10_000) + "\"}").utf8)
        let answer = try await HTTP.request(port: server.port, method: "POST", path: "/api/agents/vwap-mr/graduate", body: body)
        await server.stop()
        #expect(answer.status == 413)
        #expect(try answer.json()["error"] as? String == "content_too_large")
    }

    @Test("a foreign file as the registry is refused before the server starts")
    func foreignRegistry() async throws {
        let (database, registry) = try DefaultRun.copy()
        try FileManager.default.createDirectory(atPath: (registry as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "not a registry".write(toFile: registry, atomically: true, encoding: .utf8)
        await #expect(throws: (any Error).self) {
            _ = try await TapebenchServe.start(ServeConfiguration(database: database, registry: registry, port: 0))
        }
        #expect(try String(contentsOfFile: registry, encoding: .utf8) == "not a registry")
    }

    @Test("a missing file, a folder, or a database that is not a run database is one error before listening")
    func badDatabase() async throws {
        let folder = try temporaryFolder()
        try "x".write(toFile: folder + "/text.sqlite", atomically: true, encoding: .utf8)
        for path in [folder + "/missing.sqlite", folder, folder + "/text.sqlite"] {
            await #expect(throws: (any Error).self) {
                _ = try await TapebenchServe.start(ServeConfiguration(database: path, registry: folder + "/r.sqlite", port: 0))
            }
        }
    }
}
