import Foundation
import Testing
@testable import TapebenchServer
import TapebenchCore

/// Random paths, methods, queries and bodies from a seeded generator: every answer is below 500, every
/// API answer is JSON, and the server still answers a good request at the end.
@Suite struct FuzzTests {
    static let pieces = ["api", "paper-trading", "agents", "vwap-mr", "account", "positions", "orders", "trades", "performance",
                         "graduation", "eligibility", "graduate", "openapi.json", "..", ".", "%00", "%2F", "%FF%FE", "%", "%zz",
                         "x", String(repeating: "a", count: 300), "é", "🙂", "-", "_", "?", "??", "#", ";", "'", "\"", "{}", "a b"]
    /// Methods HTTP knows (an unknown token such as `FOO` is refused by the HTTP parser, before any route, with
    /// a bare 400: the garbage test covers those).
    static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"]
    static let bodies = ["", "{}", "{\"force\": true}", "{\"force\": null}", "{\"force\": [true]}", "null", "true", "\"force\"",
                         "{\"force\": true, \"force\": false}", "{", "}", "[]", "{\"a\": {\"b\": {\"c\": []}}}", "\u{0}\u{1}\u{2}",
                         String(repeating: "[", count: 2_000), "{\"force\": 1e999}", "{\"force\": false}"]

    @Test("600 random requests: no 5xx, JSON answers under /api, the server still up")
    func randomRequests() async throws {
        let (server, _, _) = try await DefaultRun.serve()
        var random = SplitMix64(seed: 17)
        var statuses: [Int: Int] = [:]
        for _ in 0..<600 {
            let segments = (0..<(1 + random.below(7))).map { _ in Self.pieces[random.below(Self.pieces.count)] }
            var path = (random.below(4) == 0 ? "/api/paper-trading/agents/" : "/") + segments.joined(separator: "/")
            if random.below(3) == 0 { path += "?" + ["limit", "offset", "variant", "step", "x"][random.below(5)] + "=" + Self.pieces[random.below(Self.pieces.count)] }
            // Spaces and raw bytes are not valid in a request line; those go as they are in a few requests only.
            let raw = random.below(10) == 0
            if !raw { path = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.union(["?", "=", "&", "%"])) ?? path }
            let method = Self.methods[random.below(Self.methods.count)]
            let body = method == "GET" || method == "HEAD" ? nil : Self.bodies[random.below(Self.bodies.count)]
            let answer: HTTPAnswer
            do {
                answer = try await HTTP.request(port: server.port, method: method, path: path, body: body.map { Data($0.utf8) })
            } catch {
                // A request line the HTTP parser refuses may be closed without an answer; the next request shows the server is up.
                continue
            }
            statuses[answer.status, default: 0] += 1
            #expect(answer.status < 500, "\(method) \(path) \(body ?? ""): \(answer.status) \(answer.text.prefix(200))")
            // A raw request line (a space, a byte over 0x7F) is refused by the HTTP parser with a bare 400, before any route.
            if path.hasPrefix("/api"), method != "HEAD", answer.status >= 400, !raw {
                #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(method) \(path): \(answer.headers)")
            }
        }
        #expect(statuses.values.reduce(0, +) > 500)
        #expect(statuses[200, default: 0] > 0 && statuses[404, default: 0] > 0 && statuses[400, default: 0] > 0)
        #expect(try await HTTP.request(port: server.port, path: "/api/paper-trading/agents").status == 200)
        await server.stop()
    }

    @Test("garbage that is not HTTP closes its connection and leaves the server answering")
    func garbage() async throws {
        let (server, _, _) = try await DefaultRun.serve()
        var random = SplitMix64(seed: 3)
        for _ in 0..<50 {
            let bytes = Data((0..<(1 + random.below(400))).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            if let answer = try? await HTTP.exchange(port: server.port, bytes + Data("\r\n\r\n".utf8)) { #expect(answer.status < 500) }
        }
        #expect(try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/account").status == 200)
        await server.stop()
    }
}

extension SplitMix64 {
    /// A draw in 0..<n (the seeded requests: the same ones on every run).
    fileprivate mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
