import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchTestSupport

/// Tapebench's `backtesting` preset against backtesting.py 0.6.6's own `_Broker` (pinned in
/// `Tests/Python/backtesters/requirements.txt`), one `Backtest` per ticker: random tapes on random bars with
/// missing minutes, every fill compared (time, price within 1e-4, quantity, commission within 1e-6). Cancelled,
/// with the reason, where the Python environment cannot be built.
@Suite struct BacktestingDifferentialTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var seed: UInt64
        var tapebench: String
        var backtesting: [String]
        var types = ["market", "limit", "stop", "stop_limit"]
        var testDescription: String { "seed \(seed): \(tapebench.isEmpty ? "defaults" : tapebench)" }
    }

    static let cases: [Case] = [
        Case(seed: 11, tapebench: "", backtesting: []),
        Case(seed: 12, tapebench: "backtesting: {spread: 0.0005}, commission: {pct: 0.2}", backtesting: ["spread=0.0005", "commission=0.002"]),
        // With trade_on_close backtesting.py fills a triggered stop at the previous bar's close or the stop (rule
        // backtesting_stop_previous_close), and a market order in its place in the next bar's queue.
        Case(seed: 13, tapebench: "backtesting: {spread: 0.0002, trade_on_close: true}, commission: {pct: 0.1}",
             backtesting: ["spread=0.0002", "commission=0.001", "trade_on_close=true"]),
    ]

    /// Writes the tape into `folder` and replays it through backtesting.py (pinned); cancels the test with the
    /// reason where the environment cannot be had.
    static func backtestingFills(_ tape: RandomTape, in folder: String, arguments: [String]) async throws -> String {
        try tape.write(to: folder)
        switch try await PythonEnvironment("backtesters").run("backtesting_fills.py", [folder + "/data", folder + "/orders.csv"] + arguments) {
        case .output(let output): return output
        case .unavailable(let reason): try Test.cancel(Comment(rawValue: reason))
        }
    }

    @Test("every fill equals backtesting.py's broker", arguments: cases)
    func againstBacktesting(_ c: Case) async throws {
        let tape = RandomTape(seed: c.seed, types: c.types)
        let folder = try temporaryFolder("backtesting\(c.seed)")
        var keep = false  // a failing case leaves its files, to replay by hand
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
        let text = try await BacktestingDifferentialTests.backtestingFills(tape, in: folder, arguments: c.backtesting)
        let settings = c.tapebench.isEmpty ? "" : ", " + c.tapebench
        let corrected = settings.contains("backtesting:") ? settings.replacingOccurrences(of: "backtesting: {", with: "backtesting: {defects: false, ")
            : settings + ", backtesting: {defects: false}"
        try tape.scenario(fillModels: "{name: bt, preset: backtesting\(settings)}", "{name: bt-corrected, preset: backtesting\(corrected)}")
            .write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let run = try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml"))
        let ours = run.tapeFills(lane: 0)
        let theirs = try ReferenceFills(text)
        let comparison = FillComparison(ours: ours.fills, theirs: theirs.fills, excluded: [])
        let rules = Dictionary(grouping: ours.fills.values.joined(), by: \.rule).mapValues(\.count)
        print("backtesting.py seed \(c.seed): \(comparison.summary) (\(tape.orderCount) orders; \(theirs.source)); rules: "
            + rules.keys.sorted().map { "\($0) \(rules[$0]!)" }.joined(separator: ", "))
        #expect(ours.rejected.isEmpty, "Tapebench rejected tape lines \(ours.rejected)")
        // These tapes give no sl/tp and no exclusive_orders: backtesting.py must not have filled any order of a trade's own.
        #expect(theirs.contingent.isEmpty, "backtesting.py filled SL/TP/close orders: \(theirs.contingent.keys.sorted())")
        #expect(comparison.matched > 150, "too few fills compared to mean anything")
        keep = !comparison.differences.isEmpty
        #expect(comparison.differences.count == 0, """
            \(comparison.differences.count) fills differ from backtesting.py (files in \(folder)):
            \(comparison.differences.prefix(30).joined(separator: "\n"))
            """)

        // Corrected, exactly the stop-limits filled at a gapped-through stop move, to the open held at the limit.
        let defectLines = Set(ours.fills.filter { $0.value.contains { $0.rule.hasPrefix("backtesting_") } }.keys)
        let fixed = run.tapeFills(lane: 1).fills
        for (line, fills) in ours.fills where defectLines.contains(line) == (fixed[line] == fills) {
            Issue.record("tape line \(line): \(fills) corrected to \(fixed[line] ?? [])")
        }
    }
}

/// The same against backtesting.py with contingent orders: a share of the tape's orders carry a stop-loss and/or
/// take-profit (`sl`, `tp`), under `exclusive_orders` and `trade_on_close` and without; EVERY fill compared,
/// the SL, TP and close orders of each trade included (by their entry's line and kind).
@Suite struct BacktestingContingentDifferentialTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var seed: UInt64
        var tapebench: String
        var backtesting: [String]
        var testDescription: String { "seed \(seed): \(tapebench)" }
    }

    static let cases: [Case] = [
        Case(seed: 21, tapebench: "backtesting: {}", backtesting: []),
        Case(seed: 22, tapebench: "backtesting: {spread: 0.0005}, commission: {pct: 0.2}", backtesting: ["spread=0.0005", "commission=0.002"]),
        Case(seed: 23, tapebench: "backtesting: {exclusive_orders: true}", backtesting: ["exclusive_orders=true"]),
        Case(seed: 24, tapebench: "backtesting: {spread: 0.0002, exclusive_orders: true}, commission: {pct: 0.1}",
             backtesting: ["spread=0.0002", "commission=0.001", "exclusive_orders=true"]),
        Case(seed: 25, tapebench: "backtesting: {trade_on_close: true}", backtesting: ["trade_on_close=true"]),
        Case(seed: 26, tapebench: "backtesting: {spread: 0.0002, trade_on_close: true}, commission: {pct: 0.1}",
             backtesting: ["spread=0.0002", "commission=0.001", "trade_on_close=true"]),
        Case(seed: 27, tapebench: "backtesting: {exclusive_orders: true, trade_on_close: true}",
             backtesting: ["exclusive_orders=true", "trade_on_close=true"]),
    ]

    @Test("every fill, contingent ones included, equals backtesting.py's broker", arguments: cases)
    func againstBacktesting(_ c: Case) async throws {
        let tape = RandomTape(seed: c.seed, contingent: 0.4)
        let folder = try temporaryFolder("backtesting-contingent\(c.seed)")
        var keep = false  // a failing case leaves its files, to replay by hand
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
        let text = try await BacktestingDifferentialTests.backtestingFills(tape, in: folder, arguments: c.backtesting)
        let corrected = c.tapebench.replacingOccurrences(of: "backtesting: {", with: "backtesting: {defects: false, ")
            .replacingOccurrences(of: ", }", with: "}")
        try tape.scenario(fillModels: "{name: bt, preset: backtesting, \(c.tapebench)}", "{name: bt-corrected, preset: backtesting, \(corrected)}")
            .write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let run = try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml"))
        let ours = run.tapeFillsByKind(lane: 0)
        let theirs = try ReferenceFills(text)
        let kinds = ["", " (stop-loss)", " (take-profit)", " (close)"]
        let comparison = FillComparison(ours: ours.fills, theirs: theirs.byKind, excluded: [], name: { "tape line \($0 / 10)\(kinds[$0 % 10])" })
        let rules = Dictionary(grouping: ours.fills.values.joined(), by: \.rule).mapValues(\.count)
        let legs = ours.fills.filter { $0.key % 10 != 0 }.values.map(\.count).reduce(0, +)
        print("backtesting.py contingent seed \(c.seed) [\(c.tapebench)]: \(comparison.summary), \(legs) of them SL/TP/close fills "
            + "(\(tape.orderCount) orders; \(theirs.source)); rules: " + rules.keys.sorted().map { "\($0) \(rules[$0]!)" }.joined(separator: ", "))
        #expect(ours.rejected.isEmpty, "Tapebench rejected tape lines \(ours.rejected)")
        #expect(legs > 30, "too few SL/TP/close fills compared to mean anything")
        #expect(comparison.matched > 150, "too few fills compared to mean anything")
        keep = !comparison.differences.isEmpty
        #expect(comparison.differences.count == 0, """
            \(comparison.differences.count) fills differ from backtesting.py (files in \(folder)):
            \(comparison.differences.prefix(30).joined(separator: "\n"))
            """)
        // Corrected, no fill is made by a backtesting.py defect (which fills move depends on the path from there).
        let defects = run.tapeFillsByKind(lane: 1).fills.values.joined().filter { $0.rule.hasPrefix("backtesting_") }
        #expect(defects.isEmpty, "corrected lane still fills by \(Set(defects.map(\.rule)).sorted())")
    }
}
