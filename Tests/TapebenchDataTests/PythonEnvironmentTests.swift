import Testing
import TapebenchTestSupport

/// Differential tests may skip only for want of Python; anything else that goes wrong must fail them.
@Suite struct PythonEnvironmentTests {
    @Test("an environment with no requirements file is a failure, not a skip")
    func unknownEnvironment() async throws {
        await #expect(throws: PythonEnvironment.Failure.self) {
            _ = try await PythonEnvironment("no-such-environment").run("any.py")
        }
    }

    @Test("a script that exits non-zero is a failure carrying its error output")
    func failingScript() async throws {
        let environment = PythonEnvironment("exchange-calendars")
        // Python must be there to get as far as the script; without it this test has nothing to check.
        if case .unavailable(let reason) = try await environment.run("xnys_sessions.py", ["2024-01-02", "2024-01-05"]) {
            try Test.cancel(Comment(rawValue: reason))
        }
        let failure = await #expect(throws: PythonEnvironment.Failure.self) {
            _ = try await environment.run("xnys_sessions.py", ["2024-01-02", "not-a-date"])
        }
        #expect(failure?.description.contains("not-a-date") == true)
    }

    @Test("the script's standard output comes back whole, beyond a pipe's 64 KiB")
    func largeOutput() async throws {
        let outcome = try await PythonEnvironment("exchange-calendars").run("xnys_sessions.py", ["1998-01-01", "2040-12-31"])
        guard case .output(let text) = outcome else {
            if case .unavailable(let reason) = outcome { try Test.cancel(Comment(rawValue: reason)) }
            return
        }
        let lines = text.split(separator: "\n")
        #expect(text.utf8.count > 65_536)
        #expect(lines.first?.hasPrefix("# exchange_calendars 4.13.2") == true)
        #expect(lines.dropFirst().first == "1998-01-02,1998-01-02T14:30:00Z,1998-01-02T21:00:00Z")
        #expect(lines.last == "2040-12-31,2040-12-31T14:30:00Z,2040-12-31T21:00:00Z")
    }
}
