import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchReports
import TapebenchTestSupport

/// `missing_minutes` end to end: a tape's market order decided at 09:31, when TST has no bars at 09:31 and 09:32.
@Suite struct MissingMinutesScenarioTests {
    /// The run's report.md, as `tapebench run` writes it.
    func report(_ policy: String) throws -> String {
        let bars = [0, 3, 4].map { TestBar(minute: $0, open: "10.00", high: "10.00", low: "10.00", close: "10.00") }
            + (0..<5).map { TestBar(ticker: "OTH", minute: $0, open: "5.00", high: "5.00", low: "5.00", close: "5.00") }
        let folder = try writeTestScenario(bars: bars, tape: "time,ticker,side,type,quantity,limit_price,stop_price\n2024-03-11T09:30:00-04:00,TST,buy,market,10,,\n",
                                   yaml: """
            name: mm
            data: {paths: [data], tickers: [TST, OTH]}
            missing_minutes: \(policy)
            agents:
              - id: tape
                kind: order_tape
                params: {file: orders.csv}
            """)
        let run = try runTapebench(["run", "s.yaml", "--out", "out"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        return try String(contentsOfFile: folder + "/out/report.md", encoding: .utf8)
    }

    @Test("report.md counts the orders a missing minute delayed or cancelled, under a policy that is not the reference's")
    func counted() throws {
        let cancelled = try report("cancel")
        #expect(cancelled.contains("## Missing minutes\n\nPolicy `cancel`:"))
        #expect(cancelled.contains("| tape  | seed    |                          0 |         1 |"))
        let waited = try report("{wait: 2}")
        #expect(waited.contains("Policy `wait: 2`:"))
        #expect(waited.contains("| tape  | seed    |                          1 |         0 |"))
        // The reference policy writes nothing new (baselines keep their bytes).
        #expect(!(try report("next_bar")).contains("Missing minutes"))
    }
}
