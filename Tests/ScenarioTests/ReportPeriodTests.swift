import Foundation
import Testing
import TapebenchTestSupport

@Suite struct ReportPeriodTests {
    /// A scenario without `from`/`to` used to say "start of data to end of data".
    @Test("report.md names the period the data held when the scenario gives no from or to")
    func actualPeriod() throws {
        let bars = [0, 1, 1_440, 1_441].map { TestBar(minute: $0, open: "10.00", high: "10.00", low: "10.00", close: "10.00") }
        let folder = try writeTestScenario(bars: bars, yaml: """
            name: period
            data: {paths: [data], tickers: [TST]}
            agents:
              - {id: mr, kind: vwap_mean_reversion}
            """)
        let run = try runTapebench(["run", "s.yaml", "--out", "out", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try String(contentsOfFile: folder + "/out/report.md", encoding: .utf8)
        #expect(report.contains(" · 2024-03-11 to 2024-03-12 · 2 trading days · "), "\(report.prefix(400))")
        #expect(!report.contains("start of data"))
    }
}
