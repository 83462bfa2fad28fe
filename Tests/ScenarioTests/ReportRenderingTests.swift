import Foundation
import Testing
import TapebenchEngine
import TapebenchReports
import TapebenchTestSupport

/// The default scenario's report.html in a real browser (issue 14: checked in CI that the page renders
/// and its charts have content). Skipped, with the reason printed, where no headless Chromium is found.
@Suite struct ReportRenderingTests {
    /// Written into a copy of the page (report.html itself has no script): each chart's box in page
    /// pixels as data attributes, and the page's height.
    static let probe = """
        <script>
        for (const svg of document.querySelectorAll('svg.chart')) {
          const box = svg.getBoundingClientRect();
          svg.setAttribute('data-top', Math.round(box.top + window.scrollY));
          svg.setAttribute('data-bottom', Math.round(box.bottom + window.scrollY));
        }
        document.body.setAttribute('data-page-height', document.documentElement.scrollHeight);
        </script>
        """
    /// A copy with the data drawn removed (lines and fill marks, bars), frames, grids and labels left: what
    /// a chart without content would look like.
    static let strip = "<script>for (const e of document.querySelectorAll('polyline.series, path.fill, rect.bar')) e.remove();</script>"

    static func chromium() throws -> HeadlessChromium {
        switch HeadlessChromium.find() {
        case .success(let chromium): return chromium
        case .failure(let unavailable):
            print("ReportRenderingTests skipped: \(unavailable.reason)")
            try Test.cancel(Comment(rawValue: unavailable.reason))
        }
    }

    static func count(_ needle: String, in text: some StringProtocol) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("the default report renders: an equity and a drawdown line, 8 fills charts with buys and sells, data drawn in each chart's rows")
    func defaultReport() throws {
        let chromium = try Self.chromium()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = RunFolder(path: folder + "/out")
        let digest = try run.run(try Scenario.load(path: Repository.defaultScenario))
        let html = try String(contentsOfFile: run.reportHTML, encoding: .utf8)
        let probed = folder + "/probe.html", stripped = folder + "/stripped.html"
        try html.replacingOccurrences(of: "</body>", with: Self.probe + "</body>").write(toFile: probed, atomically: true, encoding: .utf8)
        try html.replacingOccurrences(of: "</body>", with: Self.strip + "</body>").write(toFile: stripped, atomically: true, encoding: .utf8)

        // The DOM as the browser built it: the charts, their series and marks.
        let dom = try chromium.dumpDOM(URL(fileURLWithPath: probed))
        let charts = dom.matches(of: /<svg [^>]*class="chart" data-chart="([a-z]+)"[^>]*data-top="(\d+)" data-bottom="(\d+)"[^>]*>/)
        #expect(charts.map { String($0.1) } == ["equity", "drawdown"] + Array(repeating: "fills", count: 8))
        let lane = try #require(digest.lanes.first)
        for kind in ["equity", "drawdown"] {
            let svg = try #require(dom.firstMatch(of: try Regex("<svg [^>]*data-chart=\"\(kind)\"(?s:.)*?</svg>")))
            #expect(Self.count("<polyline class=\"series\" data-name=\"seed\" data-points=\"\(lane.equityChart.points.count + 1)\"", in: svg.0) == 1)
        }
        for fills in dom.matches(of: /<svg [^>]*data-chart="fills"(?s:.)*?<\/svg>/) {
            #expect(Self.count("<polyline class=\"series\"", in: fills.0) == 1)
            #expect(Self.count("class=\"fill buy\"", in: fills.0) > 0 && Self.count("class=\"fill sell\"", in: fills.0) > 0)
        }
        // Seed slips 1 bp on every fill: said in words.
        #expect(dom.contains("all \(lane.summary.fills) fills slipped exactly 1.00 bp"))

        // The pixels: the 100-row bands wholly inside each chart have more drawn than with the chart's data removed
        // (frames, grids and labels alone), and never less.
        let height = min(Int(try #require(dom.firstMatch(of: /data-page-height="(\d+)"/)?.1).flatMap { Int($0) } ?? 4000), 8000)
        let shot = URL(fileURLWithPath: folder + "/page.png"), empty = URL(fileURLWithPath: folder + "/stripped.png")
        try chromium.screenshot(URL(fileURLWithPath: run.reportHTML), to: shot, width: 1280, height: height)
        try chromium.screenshot(URL(fileURLWithPath: stripped), to: empty, width: 1280, height: height)
        guard case .success(let page) = try HeadlessChromium.stats(of: shot), case .success(let bare) = try HeadlessChromium.stats(of: empty) else {
            try Test.cancel("no python3 to read the screenshot's pixels")
        }
        #expect(page.width == 1280 && page.height == height && page.background == "#ffffff")
        #expect(page.distinctColours > 100)
        var checked = 0
        for chart in charts {
            // The 100-row bands wholly inside the chart (a chart of 190 rows or more holds at least one).
            let bands = ((Int(chart.2)! + 99) / 100)..<(Int(chart.3)! / 100)
            let drawn = bands.map { page.bandsOf100Rows[$0] - bare.bandsOf100Rows[$0] }
            checked += 1
            #expect(!drawn.isEmpty && drawn.allSatisfy { $0 >= 0 } && drawn.reduce(0, +) > 0.005,
                    "\(chart.1) chart, rows \(chart.2)–\(chart.3): \(drawn) more of the bands drawn than without its data")
        }
        #expect(checked == 10)
        print("report.html rendered \(page.width)×\(page.height): bands \(page.bandsOf100Rows.prefix(30)), without data \(bare.bandsOf100Rows.prefix(30))")
    }
}
