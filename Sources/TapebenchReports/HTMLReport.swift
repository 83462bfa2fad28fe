import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger

/// `report.html`: one self-contained file (inline CSS and SVG, no scripts, nothing fetched) with the
/// equity curve and drawdown per variant, fills marked on a price chart per ticker, the distribution of
/// slippage per fill, and the tables of `report.md`; built from the run's aggregates (`RunDigest`), each
/// chart of bounded size however long the run.
public enum HTMLReport {
    static let palette = ["#1f5fa8", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#16a085", "#7f8c8d", "#2c3e50"]

    public static func render(_ result: RunDigest) -> String {
        let scenario = result.scenario
        var body = "<h1>Tapebench report: \(escape(scenario.name))</h1>\n"
        if let description = scenario.description { body += "<p>\(escape(description))</p>\n" }
        body += "<p class=\"meta\">Fill models \(result.fillModels.map { "<code>\(escape($0))</code>" }.joined(separator: ", ")) · "
        body += "\(scenario.tickers.count) tickers · \(result.statistics.tradingDays) trading days · \(result.statistics.barsReplayed) bars replayed · tapebench \(escape(result.toolVersion))</p>\n"
        for spec in scenario.fillModels where spec.marketTiming.isLookAhead {
            body += "<p class=\"warn\">Look-ahead: <code>\(escape(spec.name))</code> fills market orders at the close of the bar they were decided on.</p>\n"
        }
        body += "<h2>Headline</h2>\n" + SummaryTable.table(result.summaries).html()
        body += "<h2>Fill models</h2>\n" + Table(header: ["variant", "assumes"], rows: scenario.fillModels.map { [$0.name, $0.summary] }, leftAligned: [0, 1]).html()
        for agent in result.agents {
            let runs = result.lanes.filter { $0.config.id == agent }
            body += "<h2>Agent <code>\(escape(agent))</code></h2>\n"
            body += equityChart(runs) + drawdownChart(runs)
            if runs.count > 1 { body += VariantComparison(agent: agent, lanes: runs).table().html() }
            for run in runs {
                body += "<h3>Under <code>\(escape(run.variant))</code></h3>\n"
                body += statisticsTable(run.summary)
                body += slippageChart(run.digest.slippage)
                if run.digest.rejected > 0 {
                    body += "<h4>Rejected orders</h4>\n" + MarkdownReport.rejectedByReason(run.digest).html()
                    body += MarkdownReport.rejectedTable(run.digest, rows: MarkdownReport.tradeRows).html()
                    if run.digest.rejected > MarkdownReport.tradeRows {
                        body += "<p>… and \(run.digest.rejected - MarkdownReport.tradeRows) more in <code>run.sqlite</code> (table <code>paper_orders</code>, status <code>rejected</code>).</p>\n"
                    }
                }
            }
            body += "<h3 id=\"fills-\(escape(agent))\">Fills on prices</h3>\n"
            for ticker in scenario.tickers {
                body += priceChart(ticker: ticker, samples: result.statistics.priceSamples[ticker], runs: runs)
            }
        }
        body += "<h2>Data quality</h2>\n"
        body += result.quality.findings.isEmpty ? "<p>No findings.</p>\n" : DataQualitySection.table(result.quality).html()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Tapebench report: \(escape(scenario.name))</title>
            <style>
            body { font-family: -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 980px; color: #222; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
            th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 10px; }
            th { background: #f5f5f5; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .meta { color: #555; } .warn { color: #a00; font-weight: bold; }
            svg { display: block; margin: 8px 0; }
            code { background: #f2f2f2; padding: 0 3px; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    static func equityChart(_ runs: [LaneReport]) -> String {
        SVGChart(title: "Equity per variant (every \(EquitySampler.intervalMinutes) minutes of replay)", yLabel: "equity $",
                 series: runs.enumerated().map { i, run in
            .init(name: run.variant, color: palette[i % palette.count], points: run.equityChart.points.map { (Double($0.time.nanoseconds), $0.equity.doubleValue) })
        }).render()
    }

    static func drawdownChart(_ runs: [LaneReport]) -> String {
        SVGChart(title: "Drawdown per variant", yLabel: "drawdown %", series: runs.enumerated().map { i, run in
            .init(name: run.variant, color: palette[i % palette.count], points: run.equityChart.points.map { (Double($0.time.nanoseconds), -$0.drawdown * 100) })
        }, height: 180).render()
    }

    /// The lane's slippage per fill, binned as the lane went (`SlippageHistogram`).
    static func slippageChart(_ histogram: SlippageHistogram) -> String {
        let bins = histogram.bins
        return SVGChart.histogram(title: "Slippage per fill (bps against the trader)", xLabel: "bps", low: bins.first?.low ?? 0,
                                  span: Double(bins.count) * histogram.width, counts: bins.map(\.count))
    }

    static func priceChart(ticker: String, samples: PriceSeries?, runs: [LaneReport]) -> String {
        let fills = runs.enumerated().flatMap { i, run in
            run.digest.markers(ticker).map { m in
                SVGChart.Marker(x: Double(m.time.nanoseconds), y: m.price.doubleValue, color: palette[i % palette.count],
                                shape: m.side == .buy ? "up" : "down",
                                title: "\(run.variant): \(m.side.rawValue) \(m.quantity) at \(m.price), \(m.time.iso8601)")
            }
        }
        let period = samples?.periodMinutes ?? 15
        let marked = "first \(LaneDigest.markerLimit) fills per variant marked"
        return SVGChart(title: "\(ticker): \(period)-minute closes, \(marked) (▲ buy, ▼ sell; colour = variant)", yLabel: "price $",
                        series: [.init(name: "", color: "#999", points: (samples?.points ?? []).map { (Double($0.time.nanoseconds), $0.close.doubleValue) })],
                        markers: fills, height: 220).render()
    }

    static func statisticsTable(_ s: AgentSummary) -> String {
        Table(header: ["statistic", "value"], rows: [
            ["net P&L", dollars(s.totalPnL)], ["return", percentText(s.returnFraction)], ["CAGR", percentText(s.cagr)],
            ["Sharpe", formatStatistic(s.sharpe, digits: 2)], ["Sortino", formatStatistic(s.sortino, digits: 2)],
            ["max drawdown", percentText(s.maxDrawdown)], ["win rate", percentText(s.winRate)], ["fills", String(s.fills)],
            ["commissions", dollars(s.commissions)], ["slippage", dollars(s.slippage)], ["exposure", percentText(s.exposure)],
        ]).html()
    }
}


