import Foundation
import Testing
import TapebenchTestSupport
@testable import TapebenchServer

/// The dashboard rendered by headless Chromium against a running server.
@Suite struct DashboardTests {
    func chromium() throws -> HeadlessChromium {
        switch HeadlessChromium.find() {
        case .success(let browser): return browser
        case .failure(let reason): try Test.cancel(Comment(rawValue: reason.description))
        }
    }

    @Test("the page loads nothing from elsewhere: no URL but the SVG namespace, no src or href")
    func selfContained() {
        let page = Dashboard.page(refreshSeconds: 5)
        let urls = page.components(separatedBy: "http").dropFirst().map { "http" + $0.prefix(30) }
        #expect(urls.allSatisfy { $0.hasPrefix("http://www.w3.org/2000/svg") }, "\(urls)")
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("@import") && !page.contains("url("))
    }

    @Test("the DOM after the scripts ran shows the agent's numbers, and the page polls")
    func dom() async throws {
        let browser = try chromium()
        let (server, _, _) = try await DefaultRun.serve(refresh: 1)
        let port = server.port
        let dom = try await offPool { try browser.dumpDOM(URL(string: "http://127.0.0.1:\(port)/")!, budgetMilliseconds: 4_500) }
        await server.stop()
        #expect(dom.contains("vwap-mr · seed · active"))
        #expect(dom.contains("100,998.73"))  // equity
        #expect(dom.contains("91,164.25"))  // cash
        #expect(dom.contains("latest 20 of 1275"))  // orders
        #expect(dom.contains("not met: return 1.0% &lt; 5.0%"))  // the graduation answer
        #expect(dom.contains("id=\"equity-line\""))
        // Equity 100,000 (the initial balance) to 101,858.63: round 500-dollar ticks from 100,000 to 102,000.
        for tick in ["100,000", "100,500", "101,000", "101,500", "102,000"] { #expect(dom.contains(">\(tick)</text>"), "tick \(tick)") }
        #expect(!dom.contains(">101,858</text>"))
        #expect(dom.contains("<div id=\"banner\" class=\"banner\" hidden=\"\">"), "a poll failed")
        // Loaded once, then polled every second of the 4.5 s budget.
        let polls = dom.components(separatedBy: "data-polls=\"").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        #expect(polls >= 3, "polls: \(polls)")
    }

    @Test("a screenshot with content: text, cards and the coloured equity chart")
    func screenshot() async throws {
        let browser = try chromium()
        let (server, _, _) = try await DefaultRun.serve()
        let png = URL(fileURLWithPath: try temporaryFolder() + "/dashboard.png")
        let port = server.port
        try await offPool { try browser.screenshot(URL(string: "http://127.0.0.1:\(port)/")!, to: png, width: 1280, height: 1400, budgetMilliseconds: 3_000) }
        await server.stop()
        let stats: HeadlessChromium.PNGStats
        switch try HeadlessChromium.stats(of: png) {
        case .success(let s): stats = s
        case .failure(let reason): try Test.cancel(Comment(rawValue: reason.description))
        }
        #expect(stats.width == 1280 && stats.height == 1400)
        #expect(stats.nonBackgroundShare > 0.15, "\(stats.nonBackgroundShare)")
        #expect(stats.distinctColours > 100, "\(stats.distinctColours)")
        // Every band of the upper page (header, cards, chart, graduation) has something drawn in it.
        #expect(stats.bandsOf100Rows.prefix(10).allSatisfy { $0 > 0.02 }, "\(stats.bandsOf100Rows)")
    }
}
