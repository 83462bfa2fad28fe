import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger

/// `report.html`: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) built from the
/// run's aggregates (`RunDigest`), so its size is bounded however long the run. Pictures first: per agent
/// the intraday equity and drawdown of every variant from the initial balance (and the buy-and-hold line
/// when the statistics give one), fills on prices per ticker and variant, the slippage distribution per
/// variant; then the tables: headline, statistics, per ticker, rejected orders by reason, the graduation
/// answer and round trips (when a command supplies them, `HTMLReportExtras`), fill models, data quality.
/// Written into one buffer (`HTMLText`); the same digest gives the same bytes.
public enum HTMLReport {
    static let palette = ["#1f5fa8", "#d35400", "#27ae60", "#8e44ad", "#b7950b", "#16a085", "#7f8c8d", "#2c3e50"]

    public static func render(_ result: RunDigest, extras: HTMLReportExtras = HTMLReportExtras()) -> String {
        let scenario = result.scenario, stats = result.statistics
        var html = HTMLText()
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Tapebench report: ")
        html.text(scenario.name)
        html.raw("</title>\n<style>\n\(style)</style>\n</head>\n<body>\n<h1>Tapebench report: ")
        html.text(scenario.name)
        html.raw("</h1>\n")
        if let description = scenario.description {
            html.raw("<p>")
            html.text(description)
            html.raw("</p>\n")
        }
        html.raw("<p class=\"meta\">Fill model\(result.fillModels.count == 1 ? "" : "s") ")
        for (i, name) in result.fillModels.enumerated() {
            if i > 0 { html.raw(", ") }
            html.code(name)
        }
        // Dates of the scenario's days (a 24x7 run's are UTC dates), as the axes below name them.
        let calendar = scenario.calendar
        let first = scenario.from?.description ?? stats.firstBarStart.map { calendar.day(of: $0).date.description } ?? "start of data"
        let last = scenario.to?.description ?? stats.lastBarStart.map { calendar.day(of: $0).date.description } ?? "end of data"
        html.text(" · \(scenario.tickers.count) tickers · \(first) to \(last) · \(stats.tradingDays) trading days · \(stats.barsReplayed) bars replayed · tapebench \(result.toolVersion)")
        html.raw("</p>\n")
        for spec in scenario.fillModels where spec.marketTiming.isLookAhead {
            html.raw("<p class=\"warn\">Look-ahead: ")
            html.code(spec.name)
            html.raw(" fills market orders at the close of the bar they were decided on, a price no one could have traded at.</p>\n")
        }
        html.raw("<h2>Headline</h2>\n")
        html.table(SummaryTable.table(result.summaries))
        // One trading-time axis for every fills chart, so that their small multiples line up.
        let priceAxis = TradingTimeAxis(times: result.statistics.priceSamples.values.flatMap { $0.points.map(\.time) }
            + result.lanes.flatMap { lane in scenario.tickers.flatMap { lane.digest.markers($0).kept.map(\.time) } }, calendar: calendar)
        for agent in result.agents {
            let runs = result.lanes.filter { $0.config.id == agent }
            html.raw("<h2>Agent ")
            html.code(agent)
            html.raw("</h2>\n")
            equityCharts(runs, buyAndHold: extras.buyAndHold, calendar: calendar, into: &html)
            html.raw("<h3>Fills on prices</h3>\n")
            fillCharts(runs, result: result, axis: priceAxis, into: &html)
            html.raw("<h3>Slippage per fill</h3>\n")
            slippageCharts(runs, into: &html)
            html.raw("<h3>Statistics</h3>\n")
            html.table(statisticsTable(runs))
            if runs.count > 1 { html.table(VariantComparison(agent: agent, lanes: runs).table()) }
        }
        tickerSection(result, into: &html)
        rejectedSection(result.lanes, into: &html)
        graduationSection(extras.graduation, into: &html)
        roundTripSection(extras.roundTrips, into: &html)
        html.raw("<h2>Fill models</h2>\n")
        html.table(Table(header: ["variant", "assumes"], rows: scenario.fillModels.map { [$0.name, $0.summary] }, leftAligned: [0, 1]))
        html.raw("<h2>Data quality</h2>\n")
        if result.quality.isEmpty { html.raw("<p>No findings.</p>\n") } else { html.table(DataQualitySection.table(result.quality)) }
        html.raw("</body>\n</html>\n")
        return html.out
    }

    /// The page's whole style: system fonts only (nothing fetched), charts in a grid for small multiples.
    static let style = """
        body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 20px auto; max-width: 1100px; color: #222; }
        h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 26px 0 8px; border-bottom: 1px solid #ddd; } h3 { font-size: 15px; margin: 18px 0 6px; }
        table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
        th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 9px; }
        th { background: #f5f5f5; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .meta, .caption { color: #555; font-size: 13px; } .warn { color: #a00; font-weight: bold; }
        .verdict.pass { color: #1a7f37; } .verdict.fail { color: #a00; }
        code { background: #f2f2f2; padding: 0 3px; }
        svg.chart { display: block; margin: 4px 0; font-family: inherit; font-size: 11px; fill: #333; }
        svg .title { font-size: 13px; font-weight: bold; }
        svg .grid { stroke: #ececec; } svg .session { stroke: #e2e2e2; stroke-dasharray: 2,2; }
        svg .frame { fill: none; stroke: #bbb; } svg .reference { stroke: #888; stroke-dasharray: 4,3; } svg .reference-label { fill: #666; }
        .grid { display: grid; gap: 6px 10px; }
        .note { border: 1px solid #e3e3e3; background: #fafafa; padding: 10px; font-size: 13px; align-self: start; }

        """

    static func statisticsTable(_ runs: [LaneReport]) -> Table {
        let rows: [(String, (AgentSummary) -> String)] = [
            ("initial balance", { dollars($0.initialBalance) }), ("equity", { dollars($0.equity) }), ("net P&L", { dollars($0.totalPnL) }),
            ("return", { percentText($0.returnFraction) }), ("CAGR", { percentText($0.cagr) }),
            ("Sharpe", { formatStatistic($0.sharpe, digits: 2) }), ("Sortino", { formatStatistic($0.sortino, digits: 2) }),
            ("max drawdown", { percentText($0.maxDrawdown) }), ("win rate", { percentText($0.winRate) }), ("fills", { String($0.fills) }),
            ("closing trades", { String($0.closingTrades) }), ("commissions", { dollars($0.commissions) }),
            ("slippage", { dollars($0.slippage) }), ("exposure", { percentText($0.exposure) }),
        ]
        return Table(header: ["statistic"] + runs.map(\.variant), rows: rows.map { name, value in [name] + runs.map { value($0.summary) } })
    }
}
