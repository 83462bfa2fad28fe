import Foundation
import Testing
import TapebenchTestSupport

/// `tapebench record` against the loopback Polygon mock, then `run` and `paper` over what it wrote.
@Suite("record command")
struct RecordCommandTests {
    static let key = "TbK3y-5ecret-9f2a7c"
    static let rest = URL(fileURLWithPath: Repository.root).deletingLastPathComponent().appendingPathComponent("shared/data/real/rest").path

    func scenario(name: String, paths: [String]) -> String {
        """
        name: \(name)
        data:
          paths: [\(paths.joined(separator: ", "))]
          tickers: [SPY, BAC, IBM]
        seed: 7
        agents:
          - id: vwap-mr
            kind: vwap_mean_reversion
            params:
              lookback_bars: 20
              entry_deviation_bps: 8
              min_session_bars: 10
        fill_model: seed
        """
    }

    @Test("record (429, 503, an omitted minute, DELAYED, an apiKey in next_url) then run gives the report of the REST pages; paper over it, the same fills; the key is printed nowhere")
    func recordThenReplay() throws {
        if let reason = MockPolygonServer.unavailableReason { try Test.cancel(Comment(rawValue: reason)) }
        let folder = try temporaryFolder()
        let plan = """
            {"faults": {"SPY": [{"status": 429, "retry_after": 1}, {"status": 503}]}, "omit": {"BAC": [1381152660000]},
             "delayed": ["IBM"], "next_url_key": "\(Self.key)"}
            """
        let mock = try MockPolygonServer(plan: plan, folder: folder)
        defer { mock.stop() }
        let record = try runTapebench(["record", "--tickers", "SPY,BAC,IBM", "--from", "2013-10-07", "--to", "2013-10-08", "--out", "rec",
                                       "--base-url", mock.baseURL, "--verbose"], in: folder, environment: ["POLYGON_API_KEY": Self.key])
        #expect(record.status == 0, "\(record.stderr)")
        #expect(record.stdout == """
            wrote rec/us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz
            wrote rec/us_stocks_sip/minute_aggs_v1/2013/10/2013-10-08.csv.gz
            note: Polygon answered DELAYED (see rec/.tapebench-record.json)

            """)
        #expect(record.stderr.contains("BAC 2013-10-07: 1 bar(s) found again in 1 missing minute(s)"))
        let manifest = try String(contentsOfFile: folder + "/rec/.tapebench-record.json", encoding: .utf8)
        for text in [record.stdout, record.stderr, manifest] { #expect(!text.contains(Self.key)) }
        #expect(mock.requests().allSatisfy { $0.authorization == "Bearer \(Self.key)" })

        let pages = ["SPY", "BAC", "IBM"].flatMap { t in ["07", "08"].map { "\(Self.rest)/\(t)/\(t)_1_minute_2013-10-\($0).json" } }
        try scenario(name: "recorded", paths: [folder + "/rec"]).write(toFile: folder + "/recorded.yaml", atomically: true, encoding: .utf8)
        try scenario(name: "pages", paths: pages).write(toFile: folder + "/pages.yaml", atomically: true, encoding: .utf8)
        #expect(try runTapebench(["run", "recorded.yaml", "-o", "a", "-q"], in: folder).status == 0)
        #expect(try runTapebench(["run", "pages.yaml", "-o", "b", "-q"], in: folder).status == 0)
        let trades = try String(contentsOfFile: folder + "/a/trades.csv", encoding: .utf8)
        #expect(trades.split(separator: "\n").count > 50)  // it trades: the comparison means something
        for file in ["fills.csv", "trades.csv", "equity.csv"] {
            #expect(FileManager.default.contents(atPath: "\(folder)/a/\(file)") == FileManager.default.contents(atPath: "\(folder)/b/\(file)"), "\(file)")
        }
        // report.json: the agents' results and the data's counts are the same; only file names differ.
        let a = try json(folder + "/a/report.json"), b = try json(folder + "/b/report.json")
        #expect(a["agents"] as? NSArray == b["agents"] as? NSArray)
        for key in ["bars_read", "bars_replayed", "bars_per_ticker", "first_bar_start", "last_bar_start", "trading_days"] {
            #expect((a["data"] as? NSDictionary)?[key] as? NSObject == (b["data"] as? NSDictionary)?[key] as? NSObject, "\(key)")
        }

        let paper = try runTapebench(["paper", "recorded.yaml", "--source", "replay", "--speed", "max", "--db", "paper.sqlite"], in: folder)
        #expect(paper.status == 0, "\(paper.stderr)")
        let fromPaper = try LedgerDump(folder + "/paper.sqlite"), fromRun = try LedgerDump(folder + "/a/run.sqlite")
        for table in ["paper_trades", "paper_orders", "paper_positions", "signals"] { #expect(fromPaper.rows[table] == fromRun.rows[table], "\(table)") }
    }

    @Test("without POLYGON_API_KEY: one line, exit 2, nothing asked")
    func missingKey() throws {
        let folder = try temporaryFolder()
        var environment = ProcessInfo.processInfo.environment
        environment["POLYGON_API_KEY"] = nil
        let result = try runTapebench(["record", "--tickers", "SPY", "--from", "2013-10-07", "--to", "2013-10-07", "--out", "rec",
                                       "--base-url", "http://127.0.0.1:9"], in: folder, replacing: environment)
        #expect(result.status == 2)
        #expect(result.stderr == "error: POLYGON_API_KEY: not set: the Polygon API key is read from this environment variable (never printed or written)\n")
    }

    @Test("an unreachable API fails after the tries with the URL, exit 2, and the key nowhere")
    func unreachable() throws {
        let folder = try temporaryFolder()
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        let result = try runTapebench(["record", "--tickers", "SPY", "--from", "2013-10-07", "--to", "2013-10-07", "--out", "rec",
                                       "--base-url", "http://127.0.0.1:9", "--tries", "1"], in: folder, environment: ["POLYGON_API_KEY": Self.key])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: http://127.0.0.1:9/v2/aggs/ticker/SPY/range/1/minute/2013-10-07/2013-10-07?adjusted=true&sort=asc&limit=50000: no complete response"))
        #expect(!(result.stdout + result.stderr).contains(Self.key))
    }

    @Test("the tapebench executable does not link libcurl or FoundationNetworking: `record` loads libcurl when it makes its client")
    func libcurlIsNotLinked() throws {
        guard let readelf = ["/usr/bin/readelf", "/bin/readelf"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            try Test.cancel("needs readelf (binutils) to list the executable's libraries")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: readelf)
        process.arguments = ["--dynamic", BuiltTapebench.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let needed = text.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(needed.contains { $0.contains("libc.so") })  // the listing is read at all
        #expect(!needed.contains { $0.contains("curl") || $0.contains("FoundationNetworking") })
    }

    func json(_ path: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! NSDictionary
    }
}

