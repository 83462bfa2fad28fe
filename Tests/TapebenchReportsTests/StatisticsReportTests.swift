import Foundation
import TapebenchTestSupport
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchReports

/// round_trips.csv, returns.csv and report.json's statistics from a hand-made run: one ticker over
/// 2024-03-28 and 2024-04-01 (Good Friday between), an order tape that buys 100, sells 60, then the other
/// 40 on the next trading day (April), then buys and sells 10 for less than its commissions.
@Suite struct StatisticsReportTests {
    static func run() throws -> (RunDigest, RunFolder) {
        let folder = TestScratch.root + "tapebench-statistics-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        let day1: Int64 = 1_711_632_600, day2: Int64 = 1_711_978_200  // 09:30 EDT on 2024-03-28 and 2024-04-01
        func ns(_ day: Int64, _ minute: Int64) -> Int64 { (day + minute * 60) * 1_000_000_000 }
        var rows1 = ["ticker,volume,open,close,high,low,window_start,transactions"], rows2 = rows1
        for m in Int64(0)..<30 {
            // Day 1: 100 until 09:40 (the 09:35 bar swings to 103 and 98), then 102. Day 2: 101, then 101.10 from 09:42.
            let (o, h, l) = m < 10 ? (m == 5 ? ("100.00", "103.00", "98.00") : ("100.00", "100.10", "99.90")) : ("102.00", "102.10", "101.90")
            rows1.append("TST,1000,\(o),\(o),\(h),\(l),\(ns(day1, m)),")
            let (o2, h2, l2) = m < 12 ? ("101.00", "101.10", "100.90") : ("101.10", "101.20", "101.00")
            rows2.append("TST,1000,\(o2),\(o2),\(h2),\(l2),\(ns(day2, m)),")
        }
        try (rows1.joined(separator: "\n") + "\n").write(toFile: folder + "/data/2024-03-28.csv", atomically: true, encoding: .utf8)
        try (rows2.joined(separator: "\n") + "\n").write(toFile: folder + "/data/2024-04-01.csv", atomically: true, encoding: .utf8)
        let tape = ["time,ticker,side,type,quantity,limit_price,stop_price", "\(ns(day1, 0)),TST,buy,market,100,,", "\(ns(day1, 10)),TST,sell,market,60,,",
                    "\(ns(day2, 5)),TST,sell,market,40,,", "\(ns(day2, 10)),TST,buy,market,10,,", "\(ns(day2, 12)),TST,sell,market,10,,"]
        try (tape.joined(separator: "\n") + "\n").write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8)
        try """
            name: statistics
            data: {paths: [data], tickers: [TST]}
            risk: {daily_loss_limit_pct: 2.5, max_drawdown_pct: 10, max_drawdown_action: close, groups: {g: [TST]}, max_group_pct: 30, max_short_pct: 50}
            agents:
              - id: tape
                kind: order_tape
                params: {file: orders.csv}
            fill_model: seed
            """.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let run = RunFolder(path: folder + "/out")
        return (try run.run(try Scenario.load(path: folder + "/s.yaml")), run)
    }

    @Test("round_trips.csv: FIFO trips with entry/exit, costs, return and MAE/MFE, hand-computed")
    func roundTripsCSV() throws {
        let (_, folder) = try Self.run()
        let csv = try String(contentsOfFile: folder.roundTripsCSV, encoding: .utf8)
        // A tape row decided at 09:30 is placed at the step ending 09:31 and fills at the 09:31 bar's open (known at 09:32).
        // 100 bought at 100.01 (+1 bp); 60 sold at 101.9898 at 09:42: commissions 0.30 of the entry's + 0.50; MFE 103 − 100.01,
        // MAE 98 − 100.01 (the 09:35 bar). The 40 left sold on April 1 at 100.9899, the same extremes (its lot's window).
        // 10 bought at 101.0101 and sold at 101.08989: +0.7979 before, −0.2021 after costs (−0.02 % of 1010.101); its bars
        // 09:41 (low 100.90) and 09:42 (high 101.20), not the exit's.
        #expect(csv == """
            \(RoundTripsCSV.header)
            tape,seed,TST,long,60,2024-03-28T13:32:00Z,100.01,2024-03-28T13:42:00Z,101.9898,10,118.788,0.80,117.988,1.9663,-2.01,-2.0098,2.99,2.9897
            tape,seed,TST,long,40,2024-03-28T13:32:00Z,100.01,2024-04-01T13:37:00Z,100.9899,5765,39.196,0.70,38.496,0.9623,-2.01,-2.0098,2.99,2.9897
            tape,seed,TST,long,10,2024-04-01T13:42:00Z,101.0101,2024-04-01T13:44:00Z,101.08989,2,0.7979,1.00,-0.2021,-0.0200,-0.1101,-0.1090,0.1899,0.1880

            """)
    }

    @Test("returns.csv: each day and month beside buy and hold (100 at the first open: 102 on March 28, 101.10 on April 1)")
    func returnsCSV() throws {
        let (_, folder) = try Self.run()
        let csv = try String(contentsOfFile: folder.returnsCSV, encoding: .utf8)
        #expect(csv == """
            \(ReturnsCSV.header)
            tape,seed,day,2024-03-28,100197.388,0.001974,102000.00,0.020000
            tape,seed,day,2024-04-01,100156.2819,-0.000410,101100.00,-0.008824
            tape,seed,month,2024-03,100197.388,0.001974,102000.00,0.020000
            tape,seed,month,2024-04,100156.2819,-0.000410,101100.00,-0.008824

            """)
    }

    @Test("report.json: typed round-trip statistics, win rate after costs below before, every risk setting in percent, typed parameters")
    func reportJSON() throws {
        let (_, folder) = try Self.run()
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.reportJSON))) as? [String: Any])
        #expect(root["schema_version"] as? Int == 3)
        let agent = try #require((root["agents"] as? [[String: Any]])?.first)
        let metrics = try #require(agent["metrics"] as? [String: Any])
        let trips = try #require(metrics["round_trips"] as? [String: Any])
        #expect(trips["count"] as? Int == 3)
        #expect(trips["win_rate_before_costs"] as? Double == 1)
        #expect(trips["win_rate_after_costs"] as? Double == 0.666667)
        // nets 117.988, 38.496, −0.2021: √3 × mean / sample sd
        #expect(trips["sqn"] as? Double == 1.49741)
        #expect((trips["duration_minutes"] as? [String: Any])?["median"] as? Double == 10)
        #expect((trips["duration_minutes"] as? [String: Any])?["max"] as? Int == 5765)
        let benchmark = try #require(root["benchmark"] as? [String: Any])
        #expect(benchmark["return"] as? Double == 0.011 && benchmark["tickers"] as? [String] == ["TST"])
        let fit = try #require(metrics["benchmark"] as? [String: Any])
        #expect(fit["days"] as? Int == 2 && fit["beta"] is Double)
        let risk = try #require((root["scenario"] as? [String: Any])?["risk"] as? [String: Any])
        #expect(risk["max_position_pct"] as? Int == 20 && risk["daily_loss_limit_pct"] as? Double == 2.5 && risk["max_drawdown_pct"] as? Int == 10)
        #expect(risk["max_drawdown_action"] as? String == "close" && risk["max_group_pct"] as? Int == 30 && risk["max_short_pct"] as? Int == 50)
        #expect(risk["groups"] as? [String: [String]] == ["g": ["TST"]] && risk["correlation_groups"] is NSNull && risk["min_cash_reserve_pct"] as? Int == 5)
        #expect(risk.count == 10)
        #expect(agent["parameters"] as? [String: String] == ["file": "orders.csv"])
        let snapshots = try #require((agent["snapshots"] as? [String: Any])?["first"] as? [[String: Any]])
        #expect(snapshots.count == 2 && snapshots.allSatisfy { $0["sharpe"] is NSNull })  // 2 daily returns < 20
    }

    @Test("report.md: the buy-and-hold line, the returns tables across the month boundary, the round-trip rows")
    func reportMarkdown() throws {
        let (_, folder) = try Self.run()
        let md = try String(contentsOfFile: folder.reportMarkdown, encoding: .utf8)
        #expect(md.contains("**Buy and hold** of TST: return 1.10%, equity 101100.00;"))
        #expect(md.contains("| 2024-03 |       0.20% |      2.00% |"))
        #expect(md.contains("| 2024-04 |      -0.04% |     -0.88% |"))
        #expect(md.contains("| round trips (FIFO, in round_trips.csv)"))
        #expect(md.contains("3: 100.00% won before costs, 66.67% after commissions"))
        #expect(md.contains("1925.7 min (1.3 d) / 10 min / 5765 min (4.0 d)"))   // mean (10 + 5765 + 2) / 3
    }
}
