import Foundation
import Testing
import TapebenchTestSupport
@testable import TapebenchServer

/// schemathesis (pinned in Tests/Python/schemathesis/requirements.txt) against the running server and its
/// /openapi.json: every check (status codes, content types, response schemas, 5xx, 405s), the coverage,
/// fuzzing and stateful phases, once with random ids and once with the real agent's.
@Suite struct SchemathesisTests {
    @Test("schemathesis finds no issue in the API and its OpenAPI document")
    func schemathesis() async throws {
        let (server, _, _) = try await DefaultRun.serve()
        let outcome = try await PythonEnvironment("schemathesis").run("check_api.py", ["http://127.0.0.1:\(server.port)", "vwap-mr"])
        await server.stop()
        switch outcome {
        case .unavailable(let reason):
            print("schemathesis skipped: \(reason)")
            try Test.cancel(Comment(rawValue: reason))
        case .output(let text):
            #expect(text.contains("No issues found"), "\(text.suffix(3_000))")
        }
    }
}
