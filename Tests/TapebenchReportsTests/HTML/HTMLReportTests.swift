import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchLedger
@testable import TapebenchReports

/// report.html as a page worth opening (issue 14), read as text: its charts, its sections, the hooks the
/// statistics fill, and that it fetches nothing. (Rendered in a browser: ScenarioTests/ReportRenderingTests.)
@Suite struct HTMLReportTests {
    /// The run of `RunFolderTests.streamed`: ticker TST, an order tape under seed and conservative, two fills each.
    static func run() throws -> RunDigest { try RunFolderTests.streamed().0 }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The text of the first `<svg … data-chart="kind" …>…</svg>`.
    static func chart(_ kind: String, in html: String) throws -> Substring {
        let start = try #require(html.range(of: "data-chart=\"\(kind)\""))
        let open = try #require(html.range(of: "<svg", options: .backwards, range: html.startIndex..<start.lowerBound))
        let close = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        return html[open.lowerBound..<close.upperBound]
    }

    /// The `points` of the polyline named `name` in `svg`.
    static func points(_ name: String, in svg: Substring) throws -> [(x: Double, y: Double)] {
        let tag = try #require(svg.range(of: "data-name=\"\(name)\""))
        let attribute = try #require(svg.range(of: " points=\"", range: tag.upperBound..<svg.endIndex))
        let end = try #require(svg.range(of: "\"", range: attribute.upperBound..<svg.endIndex))
        return svg[attribute.upperBound..<end.lowerBound].split(separator: " ").map { pair in
            let xy = pair.split(separator: ",").map { Double($0)! }
            return (xy[0], xy[1])
        }
    }

    @Test("equity and drawdown: a line per variant, every one starting at the initial balance's dashed line")
    func equity() throws {
        let digest = try Self.run()
        let html = HTMLReport.render(digest)
        let equity = try Self.chart("equity", in: html)
        #expect(equity.contains("data-series=\"2\""))
        #expect(equity.contains("initial balance $100,000.00"))  // in the legend, above the plot
        let reference = try #require(equity.firstMatch(of: /y1="([0-9.]+)" x2="[0-9.]+" y2="[0-9.]+" class="reference"/))
        for lane in digest.lanes {
            let line = try Self.points(lane.variant, in: equity)
            // The initial balance, then every sample.
            #expect(line.count == lane.equityChart.samples + 1)
            #expect(line.first?.y == Double(reference.1))
            #expect(zip(line, line.dropFirst()).allSatisfy { $0.x <= $1.x })
        }
        let drawdown = try Self.chart("drawdown", in: html)
        #expect(drawdown.contains("data-series=\"2\""))
        #expect(try Self.points("conservative", in: drawdown).count == digest.lanes[1].equityChart.samples + 1)
    }

    @Test("the buy-and-hold line joins every agent's equity chart when the statistics give one, at most 1 024 points")
    func buyAndHold() throws {
        let digest = try Self.run()
        let start = try #require(digest.lanes[0].equityChart.points.first?.time)
        let points = (0..<5_000).map { BuyAndHoldSeries.Point(time: start.adding(minutes: Int64($0 % 180)), equity: 100_000 + Double($0) / 100) }
        let html = HTMLReport.render(digest, extras: HTMLReportExtras(buyAndHold: BuyAndHoldSeries(label: "buy & hold TST", points: points)))
        let equity = try Self.chart("equity", in: html)
        #expect(equity.contains("data-series=\"3\""))
        #expect(equity.contains("data-name=\"buy &amp; hold TST\" data-points=\"1024\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.6\" stroke-dasharray=\"6,3\""))
        #expect(equity.contains(">buy &amp; hold TST</text>"))
        #expect(!HTMLReport.render(digest).contains("buy &amp; hold"))
    }

    @Test("fills: buys and sells told apart by shape (▲ tip up, ▼ tip down) and by colour")
    func fills() throws {
        let html = HTMLReport.render(try Self.run())
        let chart = try Self.chart("fills", in: html)
        #expect(chart.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"fills\" data-series=\"1\" data-markers=\"2\""))
        let marks = chart.matches(of: /class="fill (buy|sell)" d="M([0-9.]+),([0-9.]+) L[0-9.]+,([0-9.]+) [^"]*" fill="(#[0-9a-f]+)"/)
        #expect(marks.map { String($0.1) } == ["buy", "sell"])
        for mark in marks {
            let tip = Double(mark.3)!, base = Double(mark.4)!
            // A buy's tip is above its base (SVG y grows down), a sell's below.
            #expect(mark.1 == "buy" ? tip < base && mark.5 == "#1a7f37" : tip > base && mark.5 == "#c0392b")
        }
        #expect(html.contains("TST: 2 fills"))
    }

    @Test("slippage: a variant whose fills all slipped the same is said in words, not drawn as one bar")
    func slippageInWords() throws {
        let html = HTMLReport.render(try Self.run())
        // Seed: market orders pay 1 bp on every fill.
        #expect(html.contains("<b style=\"color:#1f5fa8\">seed</b>: all 2 fills slipped exactly 1.00 bp against the trader: one value, no distribution to draw."))
        #expect(Self.count("data-chart=\"slippage-note\"", in: html) == 2)
        #expect(!html.contains("data-chart=\"slippage\""))
    }

    @Test("slippage: a spread of values drawn as its non-empty bins on the shared scale")
    func slippageBars() {
        var histogram = SlippageHistogram()
        // 1, 2 and 5 bp: at 1/128 bp bins 128 … 640 (513 > 64), at 1/8 bp 8 … 40 (33): three bars.
        for value in [1.0, 1.0, 2.0, 5.0] { histogram.add(value) }
        #expect(histogram.width == 0.125)
        var html = HTMLText()
        SlippageChart(variant: "v", color: "#000", histogram: histogram, scale: NiceScale(minimum: 0, maximum: 6), width: 360, height: 170).render(into: &html)
        #expect(html.out.contains("data-bars=\"3\""))
        #expect(Self.count("<rect class=\"bar\"", in: html.out) == 3)
        #expect(html.out.contains("<title>2 fills in [1.000, 1.125) bp</title>"))
        #expect(html.out.contains(">v: 4 fills, 1.00 to 5.00 bp</text>"))
    }

    @Test("per-ticker and rejected-order tables; graduation and round trips only when given, 50 rows then the file")
    func sections() throws {
        let digest = try Self.run()
        let plain = HTMLReport.render(digest)
        #expect(plain.contains("<h2>Per ticker</h2>"))
        #expect(plain.contains("<tr><td>TST</td><td class=\"num\">200</td>"))
        #expect(plain.contains("<th>fills: seed</th><th>fills: conservative</th>"))
        #expect(plain.contains("<td>buying_power</td><td class=\"num\">150</td>"))
        #expect(!plain.contains("id=\"round-trips\"") && !plain.contains("id=\"graduation\""))

        let start = Timestamp(nanoseconds: 1_710_163_800 * 1_000_000_000)
        let trips = (0..<60).map { i in
            // 10 shares 100.00 → 101.00: gross 10.00, commissions 0.50, net 9.50 = 0.95 % of 1 000.00; MAE −0.20, MFE 1.10 a share.
            RoundTripRow(agent: "tape", variant: "seed", trip: RoundTrip(
                ticker: "TST", side: .long, quantity: 10, entryTime: start.adding(minutes: Int64(i)), exitTime: start.adding(minutes: Int64(i) + 185),
                entryPrice: Fixed(raw: 100_00_000_000), exitPrice: Fixed(raw: 101_00_000_000), entryNotional: Fixed(raw: 1_000_00_000_000),
                grossPnL: Fixed(raw: 10_00_000_000), commissions: Fixed(raw: 50_000_000),
                adverseExcursion: Fixed(raw: -20_000_000), favourableExcursion: Fixed(raw: 1_10_000_000)))
        }
        let html = HTMLReport.render(digest, extras: HTMLReportExtras(roundTrips: RoundTripList(first: trips, total: 75)))
        let section = try #require(html.range(of: "<h2 id=\"round-trips\">Round trips</h2>"))
        let table = html[section.upperBound...].components(separatedBy: "</table>")[0]
        #expect(Self.count("<tr><td>tape</td>", in: table) == 50)
        #expect(table.contains("<td>2024-03-11T13:30:00Z</td><td class=\"num\">100.00</td><td>2024-03-11T16:35:00Z</td><td class=\"num\">101.00</td><td class=\"num\">3h 05m</td><td class=\"num\">9.50</td><td class=\"num\">0.95%</td><td class=\"num\">-0.20%</td><td class=\"num\">1.10%</td>"))
        #expect(html.contains("The first 50 of 75; every one is in <code>round_trips.csv</code>."))
        let none = HTMLReport.render(digest, extras: HTMLReportExtras(roundTrips: RoundTripList(first: [], total: 0)))
        #expect(none.contains("No round trips: no position was opened and closed again."))
    }

    @Test("holding times read as minutes, hours and minutes, days and hours", arguments: [(0, "0m"), (45, "45m"), (60, "1h 00m"), (185, "3h 05m"), (3_000, "2d 2h")])
    func duration(minutes: Int64, expected: String) {
        let start = Timestamp(nanoseconds: 0)
        #expect(HTMLReport.duration(from: start, to: start.adding(minutes: minutes)) == expected)
    }

    @Test("self-contained (no script, link, image, font or URL but the SVG namespace) and the same bytes from the same digest")
    func selfContained() throws {
        let digest = try Self.run()
        let html = HTMLReport.render(digest)
        for banned in ["<script", "src=", "href=", "url(", "@import", "@font-face", "<link", "<img", "<iframe"] {
            #expect(!html.contains(banned), "\(banned)")
        }
        #expect(Self.count("http", in: html) == Self.count("xmlns=\"http://www.w3.org/2000/svg\"", in: html))
        #expect(HTMLReport.render(digest) == html)
    }

    @Test("escaping: the five characters, in text and attributes; other text as it is")
    func escaping() {
        var html = HTMLText()
        html.text("a<b>&\"c\" 'd' → é")
        #expect(html.out == "a&lt;b&gt;&amp;&quot;c&quot; &#39;d&#39; → é")
    }
}
