import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchReports

/// The signals an agent gave, as they were given (lanes replay on their own threads).
final class SignalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var signals: [(given: Timestamp, signal: Signal)] = []
    func append(_ new: [Signal], at time: Timestamp) { lock.withLock { signals += new.map { (time, $0) } } }
    var all: [(given: Timestamp, signal: Signal)] { lock.withLock { signals } }
}

/// The built-in VWAP agent, with every signal it gives written down: the recorder of a signal tape.
struct RecordingVWAPKind: AgentKind {
    let name = "recorded_vwap"
    let log: SignalLog

    func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        Definition(inner: try VWAPMeanReversionKind().configure(&params), log: log)
    }

    struct Definition: AgentDefinition {
        let inner: any AgentDefinition
        let log: SignalLog
        var parameterList: [(name: String, value: String)] { inner.parameterList }
        func prepare(_ context: AgentContext) throws -> PreparedAgent {
            let prepared = try inner.prepare(context)
            return PreparedAgent(makeLaneAgent: { lane in Recording(inner: prepared.makeAgent(for: lane), log: log) },
                                 checkDataPeriod: prepared.checkDataPeriod)
        }
    }

    struct Recording: Agent {
        var inner: any Agent
        let log: SignalLog
        mutating func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction] {
            let actions = try inner.decide(view)
            log.append(actions.compactMap { if case .signal(let s) = $0 { s } else { nil } }, at: view.time)
            return actions
        }
    }
}

@Suite struct SignalTapeTests {
    static func scenario(agent: String) -> String {
        """
        name: replayed
        data:
          paths: [\(Repository.root)/datasets/default]
          tickers: [AAPL, GOOGL, MSFT, ETSY, EBAY, CTSH, AMZN, NVDA]
          from: 2024-03-04
          to: 2024-03-15
        agents:
        \(agent)
        fill_model: seed
        """
    }

    /// A CSV field, quoted when it must be.
    static func field(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    @Test("the VWAP agent's signals, recorded from a run and replayed as a signal tape, make the same orders and fills")
    func sameFills() throws {
        let log = SignalLog()
        var registry = AgentRegistry.builtIn
        try registry.register(RecordingVWAPKind(log: log))
        let folder = try temporaryFolder()
        try Self.scenario(agent: "  - {id: vwap-mr, kind: recorded_vwap}").write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        let original = try ScenarioRunner.run(try Scenario.load(path: folder + "/a.yaml", agents: registry), parallel: false)

        let signals = log.all
        #expect(signals.count > 100, "a strong test needs many signals: \(signals.count)")
        // The scan gives a signal for each of the last five bars, so most are read from a bar before the minute
        // they are given in: bar_time keeps that, and the orchestrator counts their age from it.
        #expect(signals.contains { $0.given != $0.signal.time })
        let rows = signals.map { given, s in
            [given.iso8601, s.ticker, s.side.rawValue, Self.field(s.reason.text), s.strength.map { String($0) } ?? "", s.time.iso8601].joined(separator: ",")
        }
        try (["time,ticker,side,reason,strength,bar_time"] + rows).joined(separator: "\n").appending("\n")
            .write(toFile: folder + "/signals.csv", atomically: true, encoding: .utf8)
        try Self.scenario(agent: "  - {id: vwap-mr, kind: signal_tape, params: {file: signals.csv}}")
            .write(toFile: folder + "/b.yaml", atomically: true, encoding: .utf8)
        let replayed = try ScenarioRunner.run(try Scenario.load(path: folder + "/b.yaml", agents: .builtIn), parallel: false)

        let a = original.lanes[0], b = replayed.lanes[0]
        #expect(a.trades.count > 50)
        let fillsA = FillsCSV.render(original).split(separator: "\n"), fillsB = FillsCSV.render(replayed).split(separator: "\n")
        #expect(fillsA.count == fillsB.count)
        let firstDifference = zip(fillsA, fillsB).first { $0 != $1 }
        #expect(firstDifference == nil, "first differing fill: \(firstDifference.map { "\($0.0) became \($0.1)" } ?? "")")
        #expect(a.orders.map(\.signal) == b.orders.map(\.signal), "orders' signals differ")
        #expect(a.counts.signalsGenerated == b.counts.signalsGenerated && a.counts.signalsActedOn == b.counts.signalsActedOn)
        #expect(a.account.equity == b.account.equity)
    }

    @Test("signal tape rows are checked: one line naming file, line and field", arguments: [
        ("2024-03-11T09:31:00-04:00,TST,hold,x,", 2, "side", "expected buy or sell, got 'hold'"),
        ("2024-03-11T09:31:00,TST,buy,x,", 2, "time", "expected ISO 8601 with an offset (2024-03-11T09:45:00-04:00) or epoch nanoseconds, got '2024-03-11T09:31:00'"),
        ("2024-03-11T09:31:00-04:00,TST,buy,,", 2, "reason", "empty: say why the signal was given (vwap_deviation=-52bp)"),
        ("2024-03-11T09:31:00-04:00,TST,buy,x,1.5", 2, "strength", "expected a number from 0 to 1, got '1.5'"),
        ("2024-03-11T09:31:00-04:00,TST,buy,x,,2024-03-11T09:32:00-04:00", 2, "bar_time",
         "2024-03-11T13:32:00Z is after the signal's time 2024-03-11T13:31:00Z: a signal is read from a bar that has ended"),
    ])
    func errors(row: String, line: Int, field: String, message: String) throws {
        let folder = try temporaryFolder(#function + field)
        try ("time,ticker,side,reason,strength" + (row.split(separator: ",", omittingEmptySubsequences: false).count > 5 ? ",bar_time" : "") + "\n" + row + "\n").write(toFile: folder + "/s.csv", atomically: true, encoding: .utf8)
        #expect { try SignalTape.load(path: folder + "/s.csv") } throws: { error in
            "\(error)" == "\(folder)/s.csv:\(line): field '\(field)': \(message)"
        }
    }

    @Test("a signal tape's row outside the data's period, or naming a ticker not replayed, stops the run with its line")
    func outside() throws {
        let bars = [TestBar(minute: 0, open: "100", high: "100", low: "100", close: "100")]
        let yaml = "name: s\ndata: {paths: [data], tickers: [TST]}\nagents:\n  - {id: t, kind: signal_tape, params: {file: orders.csv}}\n"
        #expect { try runTestScenario(bars: bars, tape: "time,ticker,side,reason\n2024-03-11T09:31:00-04:00,TST,buy,x\n2024-03-13T09:31:00-04:00,TST,sell,y\n", yaml: yaml) }
            throws: { "\($0)".hasSuffix("orders.csv:3: field 'time': 2024-03-13T13:31:00Z is outside the data's period (2024-03-11 to 2024-03-11, America/New_York dates); a tape's signals must fall inside the data it replays on") }
        #expect { try runTestScenario(bars: bars, tape: "time,ticker,side,reason\n2024-03-11T09:31:00-04:00,XYZ,buy,x\n", yaml: yaml) }
            throws: { "\($0)".hasSuffix("orders.csv:2: field 'ticker': 'XYZ' is not in the scenario's data.tickers") }
    }

}
