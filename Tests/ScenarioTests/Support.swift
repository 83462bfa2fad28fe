import Foundation
import TapebenchTestSupport
import TapebenchEngine
import TapebenchReports

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let defaultScenario = root + "/scenarios/default.yaml"

    /// The `tapebench` binary built beside the test bundle.
    static var tapebench: String {
        BuiltTapebench.path
    }
}

func temporaryFolder(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = TestScratch.root + "tapebench-scenario-\(safe)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}


/// A hand-made minute bar for a test day file.
struct TestBar {
    var ticker = "TST"
    /// Minutes after 09:30 EDT on 2024-03-11 (a trading day of 2024-03-12 is 1 440 minutes later).
    var minute: Int64
    var open: String, high: String, low: String, close: String
    var volume = 1_000

    /// Polygon flat-file order: ticker,volume,open,close,high,low,window_start,transactions.
    var row: String {
        "\(ticker),\(volume),\(open),\(close),\(high),\(low),\((1_710_163_800 + minute * 60) * 1_000_000_000),"
    }
}

/// A scenario in a fresh folder: bars as Polygon flat files under data/ (a file per day), an optional
/// order tape as orders.csv, the scenario as s.yaml; replayed.
func runTestScenario(bars: [TestBar], tape: String? = nil, yaml: String, parallel: Bool = true, agents: AgentRegistry = .builtIn) throws -> RunResult {
    let folder = try writeTestScenario(bars: bars, tape: tape, yaml: yaml)
    return try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml", agents: agents), parallel: parallel)
}

/// A folder holding `s.yaml`, its bars as flat files under `data/` and its tape as `orders.csv`.
func writeTestScenario(bars: [TestBar], tape: String? = nil, yaml: String) throws -> String {
    let folder = try temporaryFolder()
    try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
    let days = Dictionary(grouping: bars) { $0.minute / 1_440 }
    for day in days.keys.sorted() {
        let name = ["2024-03-11", "2024-03-12"][Int(day)]
        let text = (["ticker,volume,open,close,high,low,window_start,transactions"] + days[day]!.map(\.row)).joined(separator: "\n") + "\n"
        try text.write(toFile: "\(folder)/data/\(name).csv", atomically: true, encoding: .utf8)
    }
    if let tape { try tape.write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8) }
    try yaml.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
    return folder
}
