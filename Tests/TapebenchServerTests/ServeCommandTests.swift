import Foundation
import Testing
import TapebenchTestSupport

/// `tapebench serve` as a user runs it.
@Suite struct ServeCommandTests {
    @Test("another address without --allow-remote: one line, exit 2, nothing served")
    func remoteRefused() throws {
        let (database, _) = try DefaultRun.copy()
        let result = try runTapebench(["serve", database, "--host", "0.0.0.0", "--port", "0"], in: NSTemporaryDirectory())
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: --host: '0.0.0.0' is not a loopback address"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test("a missing database: one line, exit 2")
    func missing() throws {
        let result = try runTapebench(["serve", "/nonexistent/run.sqlite", "--port", "0"], in: NSTemporaryDirectory())
        #expect(result.status == 2)
        #expect(result.stderr == "error: /nonexistent/run.sqlite: no such file (give a run's run.sqlite or paper mode's database)\n")
    }

    @Test("serves on the port it prints, and stops on SIGINT with exit 0")
    func servesAndStops() async throws {
        let (database, registry) = try DefaultRun.copy()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.tapebench)
        process.arguments = ["serve", database, "--port", "0", "--registry", registry]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = try await ServedProcess.firstLine(of: out)
        #expect(text.hasPrefix("serving \(database) on http://127.0.0.1:"))
        let port = try #require(text.split(separator: ":").dropFirst(2).first.flatMap { Int($0.prefix { $0.isNumber }) })
        #expect(try await HTTP.request(port: port, path: "/api/paper-trading/agents").status == 200)
        process.interrupt()
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}
