import Foundation
import Testing
import TapebenchTestSupport

@Suite struct DataCommandTests {
    static let shared = URL(fileURLWithPath: Repository.root).deletingLastPathComponent().appendingPathComponent("shared/data").path
    static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: shared + "/SOURCES.md") }

    @Test("data inspect lists tickers, bars and periods per member, and the dialect", .enabled(if: sharedAvailable, "needs ../shared/data"))
    func inspect() throws {
        let result = try runTapebench(["data", "inspect", Self.shared + "/bundles/us_equity_minute_2013-10_iso-et.tar"], in: NSTemporaryDirectory())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("us_equity_minute_2013-10_iso-et.tar[SPY.csv]  csv     SPY     4839  2013-10-04T08:06:00Z"))
        // Its times are written with -04:00: the exchange-time default does not apply to them, and is not claimed.
        #expect(result.stdout.contains("[AIG.csv]: separator ',', header, date-time text in column 1, times with their own UTC offset"))
    }

    @Test("an input that cannot be read prints its error line only, not an empty table; errors suggest flags")
    func inspectError() throws {
        let folder = try temporaryFolder()
        try "TIMESTAMP,BID,ASK\n2010-03-02 16:53:50,0.5346,0.5347\n".write(toFile: folder + "/q.csv", atomically: true, encoding: .utf8)
        let result = try runTapebench(["data", "inspect", "q.csv"], in: folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "error: q.csv:1: cannot tell the dialect: no close or price column in 'TIMESTAMP,BID,ASK'; name it: --column close=Last\n")
    }

    @Test("data validate: a summary, the findings as JSON, exit 1 at error level")
    func validate() throws {
        let folder = try temporaryFolder()
        try """
            timestamp,open,high,low,close,volume
            2024-03-11 09:30:00,10,10.2,9.9,10.1,100
            2024-03-11 09:31:00,10.1,10.1,10.1,10.1,0
            2024-03-11 09:32:00,10.1,10.0,10.3,10.2,50
            """.write(toFile: folder + "/ABC.csv", atomically: true, encoding: .utf8)
        let relaxed = try runTapebench(["data", "validate", "ABC.csv", "--json", "v.json"], in: folder)
        #expect(relaxed.status == 0, "\(relaxed.stderr)")
        #expect(relaxed.stdout.contains("bad_ohlc         drop        1"))
        #expect(relaxed.stdout.contains("zero_volume      keep        1"))
        let strict = try runTapebench(["data", "validate", "ABC.csv", "--json", "v.json", "--policy", "zero_volume=error"], in: folder)
        #expect(strict.status == 1)
        let json = try String(contentsOfFile: folder + "/v.json", encoding: .utf8)
        #expect(json.contains("\"kind\": \"zero_volume\""))
        #expect(json.contains("\"origin\": \"ABC.csv:3\""))
        #expect(json.contains("\"action\": \"error\""))
    }

    @Test("data convert writes Polygon flat files that replay like the original", .enabled(if: sharedAvailable, "needs ../shared/data"))
    func convert() throws {
        let folder = try temporaryFolder()
        let converted = try runTapebench(["data", "convert", Self.shared + "/bundles/us_equity_minute_2013-10_iso-et.tar", "--to", "flat"], in: folder)
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(converted.stdout == "wrote 13429 bars in 6 day files under flat\n")
        #expect(FileManager.default.fileExists(atPath: folder + "/flat/us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz"))
        for (name, path) in [("bundle", Self.shared + "/bundles/us_equity_minute_2013-10_iso-et.tar"), ("flat", folder + "/flat")] {
            try """
                name: \(name)
                data:
                  paths: [\(path)]
                  tickers: [AIG, BAC, IBM, SPY]
                agents:
                  - id: mr
                    kind: vwap_mean_reversion
                """.write(toFile: "\(folder)/\(name).yaml", atomically: true, encoding: .utf8)
            let run = try runTapebench(["run", "\(name).yaml", "--out", "out-\(name)"], in: folder)
            #expect(run.status == 0, "\(run.stderr)")
        }
        // The same trades from the bundle and from its conversion.
        let a = try String(contentsOfFile: folder + "/out-bundle/fills.csv", encoding: .utf8)
        let b = try String(contentsOfFile: folder + "/out-flat/fills.csv", encoding: .utf8)
        #expect(a == b)
        #expect(a.split(separator: "\n").count > 1)
    }

    @Test("a scenario states a dialect and a validation policy for a CSV file")
    func scenarioDialect() throws {
        let folder = try temporaryFolder()
        var rows = "when;px;qty\n"
        for m in 0..<30 { rows += "11/03/2024 \(9 + (30 + m) / 60):\(String(format: "%02d", (30 + m) % 60)):00;\(100 + m % 3);\(m == 7 ? 0 : 100)\n" }
        try rows.write(toFile: folder + "/ticks.csv", atomically: true, encoding: .utf8)
        try """
            name: ticks
            data:
              paths: [ticks.csv]
              tickers: [XYZ]
              dialect:
                separator: ";"
                date_order: dmy
                ticker: XYZ
                columns: {time: when, close: px, volume: qty}
              validation:
                policy: {zero_volume: drop}
            agents:
              - id: mr
                kind: vwap_mean_reversion
            """.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let run = try runTapebench(["run", "s.yaml", "--out", "out"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try String(contentsOfFile: folder + "/out/report.md", encoding: .utf8)
        #expect(report.contains("| zero_volume     | drop   |     1 |"))
        #expect(report.contains("29 in regular hours replayed"))
    }

    @Test("--session: a crypto weekend validates under 24x7 without the out-of-hours findings NYSE hours give it",
          .enabled(if: sharedAvailable, "needs ../shared/data"))
    func session() throws {
        let btc = Self.shared + "/csv-dialects/nautilus_btc-perp_1m_micros_sample.csv"
        let options = ["--timezone", "utc", "--ticker", "BTC", "--policy", "out_of_hours=error"]
        // Friday 23:01 to Saturday 23:59 UTC: no NYSE session; under 24x7 only Friday's minutes before the file are missing.
        let nyse = try runTapebench(["data", "validate", btc] + options, in: NSTemporaryDirectory())
        #expect(nyse.status == 1)
        #expect(nyse.stdout.contains("out_of_hours"))
        let always = try runTapebench(["data", "validate", btc, "--session", "24x7"] + options, in: NSTemporaryDirectory())
        #expect(always.status == 0, "\(always.stderr)")
        #expect(!always.stdout.contains("out_of_hours"))
        #expect(always.stdout.contains("missing_minutes"))
        // inspect counts the bars outside the session: all 1 499 under NYSE hours, none under 24x7.
        let inspectNYSE = try runTapebench(["data", "inspect", btc, "--timezone", "utc", "--ticker", "BTC"], in: NSTemporaryDirectory())
        #expect(inspectNYSE.stdout.contains("outside nyse"))
        #expect(inspectNYSE.stdout.contains("2022-01-01T23:59:00Z          1499"))
        let inspect = try runTapebench(["data", "inspect", btc, "--timezone", "utc", "--ticker", "BTC", "--session", "24x7"], in: NSTemporaryDirectory())
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("outside 24x7"))
        #expect(inspect.stdout.contains("2022-01-01T23:59:00Z             0"))
    }

    @Test("a --session that is not one: one error line naming the option, exit 2", arguments: ["validate", "inspect"])
    func badSession(command: String) throws {
        let result = try runTapebench(["data", command, Repository.root + "/datasets/default", "--session", "weekly"], in: try temporaryFolder())
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: --session: expected nyse, 24x5 (FX: Sunday 17:00 to Friday 17:00 New York) or 24x7 (every minute, UTC days), got 'weekly'\n"))
        #expect(result.stdout.isEmpty)
    }
}
