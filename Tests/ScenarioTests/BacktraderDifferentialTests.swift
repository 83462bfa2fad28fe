import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchTestSupport

/// Tapebench's `backtrader` preset against backtrader 1.9.78.123's own `BackBroker` (pinned in
/// `Tests/Python/backtesters/requirements.txt`): random tapes on random bars with missing minutes, replayed by
/// both, every fill compared (time, price within 1e-4, quantity, commission within 1e-6). Cancelled, with the
/// reason, where the Python environment cannot be built.
///
/// One behaviour of backtrader is not reproduced, by design: when a ticker has no bar in a minute where another
/// ticker has one, backtrader tries that ticker's open orders again against its previous bar, stamped with that
/// bar's time, so a limit, stop or stop-limit can fill on the bar it was decided on (look-ahead) or a stop-limit
/// triggered inside a bar can fill as a limit on that same bar, or its stop can trigger on the bar it was decided
/// on. The script marks such fills `stale` (the ticker had no new bar in the cycle that filled it) and such
/// triggers `stale_trigger`; those orders are counted and listed apart, never as matches.
@Suite struct BacktraderDifferentialTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var seed: UInt64
        /// The variant's YAML after `preset: backtrader`.
        var tapebench: String
        /// key=value arguments for backtrader_fills.py.
        var backtrader: [String]
        var testDescription: String { "seed \(seed): \(tapebench.isEmpty ? "defaults" : tapebench)" }
    }

    static let cases: [Case] = [
        Case(seed: 1, tapebench: "", backtrader: []),
        Case(seed: 2, tapebench: "backtrader: {slip_perc: 0.0001}", backtrader: ["slip_perc=0.0001"]),
        Case(seed: 3, tapebench: "backtrader: {slip_perc: 0.002, slip_open: true}, commission: {per_share: 0.005}",
             backtrader: ["slip_perc=0.002", "slip_open=true", "commission=0.005", "commtype=fixed"]),
        Case(seed: 4, tapebench: "backtrader: {slip_fixed: 0.03, slip_open: true, slip_match: false}, commission: {pct: 0.1}",
             backtrader: ["slip_fixed=0.03", "slip_open=true", "slip_match=false", "commission=0.001"]),
        Case(seed: 5, tapebench: "backtrader: {slip_perc: 0.003, slip_open: true, slip_match: false, slip_limit: false}",
             backtrader: ["slip_perc=0.003", "slip_open=true", "slip_match=false", "slip_limit=false"]),
        Case(seed: 6, tapebench: "backtrader: {slip_perc: 0.003, slip_open: true, slip_out: true}",
             backtrader: ["slip_perc=0.003", "slip_open=true", "slip_out=true"]),
    ]

    @Test("every fill equals backtrader's BackBroker", arguments: cases)
    func againstBacktrader(_ c: Case) async throws {
        let tape = RandomTape(seed: c.seed)
        let folder = try temporaryFolder("backtrader\(c.seed)")
        var keep = false  // a failing case leaves its files, to replay by hand
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
        try tape.write(to: folder)
        let text: String
        switch try await PythonEnvironment("backtesters").run("backtrader_fills.py", [folder + "/data", folder + "/orders.csv"] + c.backtrader) {
        case .output(let output): text = output
        case .unavailable(let reason): try Test.cancel(Comment(rawValue: reason))
        }
        // The same settings twice: backtrader's defects reproduced, and corrected.
        let settings = c.tapebench.isEmpty ? "" : ", " + c.tapebench
        let corrected = settings.contains("backtrader:") ? settings.replacingOccurrences(of: "backtrader: {", with: "backtrader: {defects: false, ")
            : settings + ", backtrader: {defects: false}"
        try tape.scenario(fillModels: "{name: bt, preset: backtrader\(settings)}", "{name: bt-corrected, preset: backtrader\(corrected)}")
            .write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let run = try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml"))
        let ours = run.tapeFills(lane: 0)
        let theirs = try ReferenceFills(text)
        let comparison = FillComparison(ours: ours.fills, theirs: theirs.fills, excluded: theirs.stale)
        let rules = Dictionary(grouping: ours.fills.values.joined(), by: \.rule).mapValues(\.count)
        print("backtrader seed \(c.seed): \(comparison.summary) (\(tape.orderCount) orders; \(theirs.source)); rules: "
            + rules.keys.sorted().map { "\($0) \(rules[$0]!)" }.joined(separator: ", "))

        // Corrected, exactly the fills under a defect's rule move, to a price inside their limit and the bar.
        let defectLines = Set(ours.fills.filter { $0.value.contains { $0.rule.hasPrefix("backtrader_") } }.keys)
        let fixed = run.tapeFills(lane: 1).fills
        #expect(Set(fixed.keys) == Set(ours.fills.keys))
        for (line, fills) in ours.fills {
            let same = fixed[line] == fills
            #expect(same != defectLines.contains(line), "tape line \(line): \(fills) corrected to \(fixed[line] ?? [])")
            if !same { #expect(fixed[line]!.allSatisfy { !$0.rule.hasPrefix("backtrader_") }) }
        }
        #expect(ours.rejected.isEmpty, "Tapebench rejected tape lines \(ours.rejected)")
        #expect(theirs.rejected.isEmpty, "backtrader rejected tape lines \(theirs.rejected)")
        #expect(comparison.matched > 150, "too few fills compared to mean anything")
        keep = !comparison.differences.isEmpty
        #expect(comparison.differences.count == 0, """
            \(comparison.differences.count) fills differ from backtrader (files in \(folder)):
            \(comparison.differences.prefix(30).joined(separator: "\n"))
            """)
    }
}

/// A reference script's output: `# versions`, then `line,bar start ns,price,size,commission,tag` per fill.
struct ReferenceFills {
    var source = ""
    var fills: [Int: [ComparedFill]] = [:]
    var stale: Set<Int> = []
    var rejected: [Int] = []
    /// backtesting.py's fills of an entry's stop-loss, take-profit and close orders (kind `sl`, `tp`, `close`),
    /// by the entry's tape line: compared apart from the line's own fill.
    var contingent: [Int: [(kind: String, fill: ComparedFill)]] = [:]

    /// Every fill keyed line × 10 + kind (0 the line's own order, 1 its trade's SL, 2 TP, 3 close orders).
    var byKind: [Int: [ComparedFill]] {
        var all: [Int: [ComparedFill]] = [:]
        for (line, fills) in fills { all[line * 10] = fills }
        for (line, fills) in contingent {
            for (kind, fill) in fills { all[line * 10 + ["sl": 1, "tp": 2, "close": 3][kind]!, default: []].append(fill) }
        }
        return all
    }

    struct Malformed: Error, CustomStringConvertible { let description: String }

    init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# ") { source = String(line.dropFirst(2)); continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, let number = Int(f[0]), let start = Int64(f[1]), let price = Double(f[2]),
                  let size = Double(f[3]), let commission = Double(f[4]) else { throw Malformed(description: "unreadable line '\(line)'") }
            switch f[5] {
            case "rejected": rejected.append(number); continue
            case "stale_trigger": stale.insert(number); continue
            case "stale": stale.insert(number)
            case "sl", "tp", "close":
                contingent[number, default: []].append((f[5], ComparedFill(line: number, time: start + Timestamp.nanosecondsPerMinute,
                                                                           price: price, quantity: Int64(size), commission: commission)))
                continue
            case "": break
            default: throw Malformed(description: "unknown fill kind '\(f[5])' in '\(line)'")
            }
            fills[number, default: []].append(ComparedFill(line: number, time: start + Timestamp.nanosecondsPerMinute, price: price,
                                                           quantity: Int64(size), commission: commission))
        }
    }
}

/// Two engines' fills of one tape, order by order.
struct FillComparison {
    var matched = 0
    var excluded = 0
    var differences: [String] = []

    init(ours: [Int: [ComparedFill]], theirs: [Int: [ComparedFill]], excluded lines: Set<Int>, name: (Int) -> String = { "tape line \($0)" }) {
        for line in Set(ours.keys).union(theirs.keys).sorted() {
            if lines.contains(line) { excluded += 1; continue }
            let a = ours[line] ?? [], b = theirs[line] ?? []
            let same = a.count == b.count && zip(a, b).allSatisfy { x, y in
                x.time == y.time && x.quantity == y.quantity && abs(x.price - y.price) <= 1e-4 && abs(x.commission - y.commission) <= 1e-6
            }
            if same { matched += 1 } else { differences.append("\(name(line)): Tapebench \(a.map(Self.text)), reference \(b.map(Self.text))") }
        }
    }

    static func text(_ f: ComparedFill) -> String {
        "\(Timestamp(nanoseconds: f.time).iso8601) \(f.quantity) @ \(f.price) comm \(f.commission)"
    }

    var summary: String {
        let total = matched + differences.count
        return "\(matched) of \(total) filled orders equal" + (excluded > 0 ? ", \(excluded) filled or triggered by the reference on a stale bar, left out" : "")
    }
}
