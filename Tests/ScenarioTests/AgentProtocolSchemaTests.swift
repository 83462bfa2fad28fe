import Foundation
import Testing
import TapebenchTestSupport

/// The messages Tapebench writes, and answers it accepts, validate against docs/schemas: a recording agent
/// keeps every line of a replay with signals, orders, fills, positions, open orders and a cancel, and
/// python-jsonschema (pinned, .ci/python-env) checks them.
@Suite struct AgentProtocolSchemaTests {
    static let recorder = """
        import json, sys
        folder = sys.argv[1]
        messages = open(folder + "/messages.jsonl", "w")
        answers = open(folder + "/answers.jsonl", "w")
        def answer(text):
            answers.write(text + "\\n")
            print(text, flush=True)
        n = 0
        for line in sys.stdin:
            messages.write(line)
            message = json.loads(line)
            if message["type"] == "hello":
                answer('{"type":"ready"}')
            elif message["type"] == "bars":
                n += 1
                actions = []
                if n == 1:
                    actions = [{"type": "order", "ticker": "AAPL", "side": "buy", "order_type": "market", "quantity": 10, "client_id": "a-1"},
                               {"type": "order", "ticker": "AAPL", "side": "buy", "order_type": "limit", "quantity": 5, "limit_price": 1.25, "client_id": "low"},
                               {"type": "signal", "ticker": "MSFT", "side": "buy", "strength": 0.75, "reason": "test=1"}]
                elif n == 8:
                    actions = [{"type": "cancel", "client_id": "low"},
                               {"type": "order", "ticker": "AAPL", "side": "sell", "order_type": "stop_limit", "quantity": 10,
                                "limit_price": 1.5, "stop_price": 2, "client_id": "s-1"},
                               {"type": "signal", "ticker": "MSFT", "side": "sell", "time": message["time"], "reason": None}]
                answer(json.dumps({"actions": actions}))
            else:
                break
        messages.close()
        answers.close()
        """

    @Test("every message of a replay, and the answers, validate against docs/schemas; the schemas refuse what Tapebench refuses")
    func validates() async throws {
        if programOnPath("python3") == nil { try Test.cancel("needs python3 on PATH to run the recording agent") }
        let folder = try processAgentScenario(agent: AgentProtocolSchemaTests.recorder, file: "record.py", command: "[python3, record.py, .]")
        let run = try runTapebench(["run", "s.yaml", "--out", "out", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        switch try await PythonEnvironment("jsonschema").run("validate_messages.py", [Repository.root + "/docs/schemas", folder]) {
        case .output(let summary):
            // Two days of two tickers, minute by minute; positions, fills and open orders all seen.
            #expect(summary.contains("end=1 hello=1"), "\(summary)")
            for key in ["bars with fills=", "bars with open_orders=", "bars with positions="] { #expect(summary.contains(key), "\(summary)") }
        case .unavailable(let reason):
            try Test.cancel(Comment(rawValue: reason))
        }
    }
}
