import Foundation
import TapebenchData
import TapebenchCore

/// The benchmarks' input: Polygon flat files (per-day `.csv.gz`) of 200 generated tickers over 13 trading
/// days, cut to exactly 1 000 000 rows so that the metrics scaled by `.mega` read per bar (time per bar,
/// mallocs per bar, bars/s). Made once with the project's generator and kept in
/// `$TAPEBENCH_BENCH_DIR/package-benchmark` (default `/tmp/tapebench-bench`); a stamp file says what was made,
/// and another stamp remakes it.
struct Fixture {
    /// Rows in the day files, headers not counted: every one is a bar every reader has to get through.
    static let bars = 1_000_000
    static let tickerCount = 200
    static let days = 13
    static let stamp = "v1: 200 tickers × 13 days from 2024-03-04, seed 1, cut to 1000000 rows"

    let directory: String
    var data: String { directory + "/data" }
    let dayFiles: [String]

    static func prepare() throws -> Fixture {
        let base = ProcessInfo.processInfo.environment["TAPEBENCH_BENCH_DIR"] ?? "/tmp/tapebench-bench"
        let directory = base + "/package-benchmark"
        let stampFile = directory + "/fixture.stamp"
        if (try? String(contentsOfFile: stampFile, encoding: .utf8)) != stamp {
            try make(in: directory)
            try stamp.write(toFile: stampFile, atomically: true, encoding: .utf8)
        }
        let fixture = Fixture(directory: directory, dayFiles: try dayFiles(under: directory + "/data"))
        try fixture.writeScenarios()
        return fixture
    }

    /// The scenario file for a lane (see `writeScenarios`).
    func scenario(_ name: String) -> String { "\(directory)/scenarios/\(name).yaml" }

    // MARK: - making the data

    private static func make(in directory: String) throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(atPath: directory)
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let tickers = (1...tickerCount).map(ticker)
        let files = try SyntheticDataset(tickers: tickers, start: CivilDate(iso: "2024-03-04")!, days: days, seed: 1)
            .write(to: directory + "/data").sorted()
        // Cut the last day so that the files hold exactly `bars` rows: the other days are kept whole.
        var before = 0
        for file in files.dropLast() {
            try PolygonFlatFileReader.forEachBar(path: file, tickers: nil) { _, _ in before += 1 }
        }
        let keep = bars - before
        guard keep > 0 else { throw FixtureError("the first \(days - 1) days already hold \(before) bars") }
        try shell("gzip -dc '\(files.last!)' | head -n \(keep + 1) | gzip -n > '\(files.last!).cut' && mv '\(files.last!).cut' '\(files.last!)'")
        var total = 0
        for file in files { try PolygonFlatFileReader.forEachBar(path: file, tickers: nil) { _, _ in total += 1 } }
        guard total == bars else { throw FixtureError("made \(total) bars, expected \(bars)") }
    }

    static func ticker(_ number: Int) -> String {
        let digits = String(number)
        return "T" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    private static func dayFiles(under path: String) throws -> [String] {
        guard let names = FileManager.default.enumerator(atPath: path)?.compactMap({ $0 as? String }) else {
            throw FixtureError("cannot list \(path)")
        }
        return names.filter { $0.hasSuffix(".csv.gz") }.map { path + "/" + $0 }.sorted()
    }

    private static func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("'\(command)' exited with \(process.terminationStatus)") }
    }

    // MARK: - scenarios

    /// One lane each (one agent, `seed` fills), over the whole fixture:
    /// - `tape-empty`: an order tape with no orders: the orchestrator's own work per bar, no agent scans;
    /// - `vwap-silent`: the VWAP agent with an entry 100 % below VWAP: it scans and never signals;
    /// - `vwap`: the default VWAP agent (the default scenario's parameters): scans, orders, fills, ledger.
    private func writeScenarios() throws {
        let folder = directory + "/scenarios"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "time,ticker,side,type,quantity,limit_price,stop_price\n".write(toFile: folder + "/empty-tape.csv", atomically: true, encoding: .utf8)
        let agents = [
            "tape-empty": "kind: order_tape\n    params: {file: empty-tape.csv}",
            "vwap-silent": "kind: vwap_mean_reversion\n    params: {entry_deviation_bps: 10000}",
            "vwap": "kind: vwap_mean_reversion\n    params: {lookback_bars: 30, entry_deviation_bps: 40, exit_deviation_bps: 0, min_session_bars: 15}",
        ]
        let tickers = (1...Fixture.tickerCount).map(Fixture.ticker).joined(separator: ", ")
        for (name, agent) in agents {
            let yaml = """
                # Written by the benchmarks package (Fixture.swift).
                name: bench-\(name)
                data:
                  paths: [../data]
                  tickers: [\(tickers)]
                seed: 7
                agents:
                  - id: \(name)
                    \(agent)
                fill_model: seed

                """
            try yaml.write(toFile: scenario(name), atomically: true, encoding: .utf8)
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "benchmark fixture: " + description }
}
