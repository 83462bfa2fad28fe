import Testing
import TapebenchCore
@testable import TapebenchEngine

@Suite struct ProcessAgentKindTests {
    static let head = "name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: process\n"

    func definition(_ lines: String) throws -> ProcessAgentDefinition {
        let scenario = try Scenario.parse(yaml: Self.head + lines, file: "folder/s.yaml", contentHash: "")
        return try #require(scenario.agents[0].definition as? ProcessAgentDefinition)
    }

    func error(_ lines: String) -> String? {
        do {
            _ = try Scenario.parse(yaml: Self.head + lines, file: "folder/s.yaml", contentHash: "")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("command, params and timeout_ms: the program found on PATH, run in the scenario's folder, params as JSON in file order")
    func configured() throws {
        let d = try definition("    command: [sh, agents/my agent.sh, --fast]\n    params: {z: 1, a: [x, 2.50, yes, null, '3'], m: {k: v}}\n    timeout_ms: 250\n")
        #expect(d.launch.program.hasSuffix("/sh"))
        #expect(d.launch.arguments == ["sh", "agents/my agent.sh", "--fast"])
        #expect(d.launch.folder == "folder")
        #expect(d.params == #"{"z":1,"a":["x",2.50,true,null,"3"],"m":{"k":"v"}}"#)
        #expect(d.timeoutMilliseconds == 250)
        #expect(d.startupTimeoutMilliseconds == 30_000)
        #expect(d.parameterList.map(\.name) == ["command", "timeout_ms", "startup_timeout_ms", "params"])
        // Typed for report.json: the command as its arguments, numbers as numbers, params as the JSON value, digits as written.
        #expect(d.parameters == [
            ParameterEntry("command", .list([.text("sh"), .text("agents/my agent.sh"), .text("--fast")])),
            ParameterEntry("timeout_ms", .integer(250)), ParameterEntry("startup_timeout_ms", .integer(30_000)),
            ParameterEntry("params", .object([ParameterEntry("z", .number("1")),
                                              ParameterEntry("a", .list([.text("x"), .number("2.50"), .bool(true), .null, .text("3")])),
                                              ParameterEntry("m", .object([ParameterEntry("k", .text("v"))]))])),
        ])
        let plain = try definition("    command: sh\n")
        #expect(plain.params == "{}")
        #expect(plain.timeoutMilliseconds == 5_000)
        // The start is never bounded tighter than an answer.
        #expect(try definition("    command: sh\n    timeout_ms: 60000\n").startupTimeoutMilliseconds == 60_000)
        #expect(try definition("    command: sh\n    startup_timeout_ms: 200\n").startupTimeoutMilliseconds == 200)
    }

    @Test("what a process agent's keys may not be", arguments: [
        ("    params: {a: 1}\n", "folder/s.yaml:6: field 'agents[0].command': required: the program and its arguments, e.g. [python3, agents/my_agent.py]"),
        ("    command: [sh]\n    comand: [x]\n", "folder/s.yaml:9: field 'agents[0].comand': unknown key; expected one of: id, kind, params, command, timeout_ms, startup_timeout_ms"),
        ("    command: [sh]\n    timeout_ms: 0\n", "folder/s.yaml:9: field 'agents[0].timeout_ms': must be between 1 and 3600000, got 0"),
        ("    command: [sh]\n    params: {n: 1_000}\n", "folder/s.yaml:9: field 'agents[0].params.n': '1_000' is not a number as JSON writes it (write it plainly, like 1000 or 0.5, or quote it as text)"),
        ("    command: [sh]\n    params: {n: .inf}\n", "folder/s.yaml:9: field 'agents[0].params.n': '.inf' is not a number as JSON writes it (write it plainly, like 1000 or 0.5, or quote it as text)"),
        ("    command: [./nowhere/agent]\n", "folder/s.yaml:8: field 'agents[0].command': './nowhere/agent' is not an executable file (relative to the scenario's folder)"),
    ])
    func refused(lines: String, message: String) {
        #expect(error(lines) == message)
    }

    @Test("a built-in kind has no command: the key is unknown there")
    func builtInHasNoCommand() {
        let yaml = "name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: breakout\n    command: [sh]\n"
        #expect(throws: InputError(file: "s.yaml", line: 8, field: "agents[0].command", message: "unknown key; expected one of: id, kind, params")) {
            try Scenario.parse(yaml: yaml, file: "s.yaml", contentHash: "")
        }
    }

    @Test("JSON's number grammar decides which plain YAML numbers pass through as numbers", arguments: [
        ("0", true), ("-12", true), ("2.50", true), ("1e-3", true), ("1E+9", true),
        ("01", false), ("1.", false), (".5", false), ("+1", false), ("1_000", false), ("0x1F", false), ("", false), ("-", false),
    ])
    func jsonNumbers(text: String, valid: Bool) {
        #expect(YAMLFields.isJSONNumber(text) == valid)
    }
}
