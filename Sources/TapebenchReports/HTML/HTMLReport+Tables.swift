import TapebenchCore
import TapebenchEngine

/// report.html's tables across lanes: per ticker, and rejected orders by reason.
extension HTMLReport {
    /// A lane's column heading: the variant, with the agent when the run has several.
    static func laneName(_ lane: LaneReport, agents: Int) -> String {
        agents > 1 ? "\(lane.config.id) · \(lane.variant)" : lane.variant
    }

    /// "Per ticker": bars read, the price's first and last sampled closes and its change, and the fills of
    /// each lane.
    static func tickerSection(_ result: RunDigest, into html: inout HTMLText) {
        let bars = result.statistics.barsPerTicker, samples = result.statistics.priceSamples
        let agents = result.agents.count
        html.raw("<h2>Per ticker</h2>\n")
        html.table(Table(
            header: ["ticker", "bars read", "first close", "last close", "change"] + result.lanes.map { "fills: " + laneName($0, agents: agents) },
            rows: result.scenario.tickers.map { ticker in
                let series = samples[ticker]
                let first = series?.first, last = series?.last
                let change = first.flatMap { first in
                    last.map { last in first.close.raw == 0 ? "" : percentText(last.close.doubleValue / first.close.doubleValue - 1) }
                } ?? ""
                return [ticker, String(bars[ticker] ?? 0), first.map { dollars($0.close) } ?? "", last.map { dollars($0.close) } ?? "", change]
                    + result.lanes.map { String($0.digest.fillsPerTicker[ticker] ?? 0) }
            }))
        html.raw("<p class=\"caption\">First close: the last regular-hours close of the first sampled period; last close: of the last one.</p>\n")
    }

    /// "Rejected orders": counts per reason code and lane, with the first such order's full reason.
    static func rejectedSection(_ lanes: [LaneReport], into html: inout HTMLText) {
        html.raw("<h2>Rejected orders</h2>\n")
        guard lanes.contains(where: { $0.digest.rejected > 0 }) else {
            html.raw("<p>None.</p>\n")
            return
        }
        let agents = Set(lanes.map(\.config.id)).count
        let codes = Array(Set(lanes.flatMap { $0.digest.rejectedByReason.map(\.reason) })).sorted()
        html.table(Table(header: ["reason"] + lanes.map { laneName($0, agents: agents) } + ["first one's reason"], rows: codes.map { code in
            let counts = lanes.map { lane in lane.digest.rejectedByReason.first { $0.reason == code } }
            return [code] + counts.map { String($0?.count ?? 0) } + [counts.compactMap { $0?.example }.first ?? ""]
        }, leftAligned: [0, lanes.count + 1]))
        html.raw("<p class=\"caption\">Every rejected order is in <code>run.sqlite</code> (table <code>paper_orders</code>, status <code>rejected</code>); report.md lists the first \(MarkdownReport.tradeRows) per lane.</p>\n")
    }
}
