import TapebenchCore
import TapebenchData
import TapebenchEngine

/// report.html's pictures per agent: equity and drawdown over trading time, fills on prices as small
/// multiples, and the slippage distribution per variant.
extension HTMLReport {
    /// Tickers given a fills chart per agent (those with the most fills); the rest are named as omitted.
    static let fillTickerLimit = 8
    static let pageWidth = 1100.0

    // MARK: - Equity and drawdown

    /// A lane's equity points, led by the initial balance one sampling interval before the first sample
    /// (the replay's start), so every line starts from the same balance.
    static func equityPoints(_ run: LaneReport) -> [(time: Timestamp, equity: Money, drawdown: Double)] {
        let chart = run.equityChart
        guard let first = chart.points.first else { return [] }
        let start = first.time.adding(minutes: -EquitySampler.intervalMinutes)
        return [(start, chart.initialBalance, 0)] + chart.points.map { ($0.time, $0.equity, $0.drawdown) }
    }

    /// At most `limit` of `points`, evenly spaced, the first and the last always kept.
    static func thinned<T>(_ points: [T], limit: Int) -> [T] {
        guard points.count > limit, limit >= 2 else { return points }
        return (0..<limit).map { points[$0 * (points.count - 1) / (limit - 1)] }
    }

    static func equityCharts(_ runs: [LaneReport], buyAndHold: BuyAndHoldSeries?, calendar: ExchangeCalendar, into html: inout HTMLText) {
        let lanes = runs.map(equityPoints)
        let benchmark = thinned(buyAndHold?.points ?? [], limit: maxBuyAndHoldPoints)
        let axis = TradingTimeAxis(times: lanes.flatMap { $0.map(\.time) } + benchmark.map(\.time), calendar: calendar)
        var series = zip(runs, lanes).enumerated().map { i, pair in
            TimeChart.Series(name: pair.0.variant, color: palette[i % palette.count], points: pair.1.map { ($0.time, $0.equity.doubleValue) })
        }
        if let buyAndHold, !benchmark.isEmpty {
            series.append(TimeChart.Series(name: buyAndHold.label, color: "#555555", dashed: true, points: benchmark.map { ($0.time, $0.equity) }))
        }
        let initial = runs.first?.equityChart.initialBalance ?? Money(raw: 0)
        let samples = runs.map(\.equityChart.samples).max() ?? 0
        let shown = lanes.map(\.count).max() ?? 0
        var title = "Equity, every \(EquitySampler.intervalMinutes) minutes of trading"
        if shown < samples + 1 { title += " (\(samples) samples drawn as \(shown - 1) points)" }
        TimeChart(kind: "equity", title: title, series: series, axis: axis, width: pageWidth, height: 320,
                  reference: (initial.doubleValue, "initial balance $\(NiceScale.grouped(dollars(initial)))"), yUnit: "equity ($)")
            .render(into: &html)
        let drawdown = zip(runs, lanes).enumerated().map { i, pair in
            TimeChart.Series(name: pair.0.variant, color: palette[i % palette.count], points: pair.1.map { ($0.time, -$0.drawdown * 100) })
        }
        TimeChart(kind: "drawdown", title: "Drawdown from the running peak (the initial balance at first)", series: drawdown, axis: axis,
                  width: pageWidth, height: 200, reference: (0, ""), yUnit: "drawdown (%)", maxTicks: 5)
            .render(into: &html)
    }

    // MARK: - Fills on prices

    /// Per ticker (those with the most fills, at most `fillTickerLimit`) a small multiple of its price with
    /// the fills of the agent's first variant, on one trading-time axis. The variants' fills mostly fall on
    /// the same bars and differ by cents, invisible at this scale; their counts are in the per-ticker
    /// table, their prices in the slippage charts and fills.csv.
    static func fillCharts(_ runs: [LaneReport], result: RunDigest, axis: TradingTimeAxis, into html: inout HTMLText) {
        let tickers = result.scenario.tickers
        guard let base = runs.first else { return }
        let fills = Dictionary(uniqueKeysWithValues: tickers.map { t in (t, runs.reduce(0) { $0 + ($1.digest.fillsPerTicker[t] ?? 0) }) })
        // Most fills first, then the scenario's order: a stable, documented choice.
        let ranked = tickers.enumerated().filter { fills[$0.element]! > 0 }.sorted { a, b in
            fills[a.element]! != fills[b.element]! ? fills[a.element]! > fills[b.element]! : a.offset < b.offset
        }.map(\.element)
        guard !ranked.isEmpty else {
            html.raw("<p>No fills.</p>\n")
            return
        }
        let shown = Array(ranked.prefix(fillTickerLimit))
        let samples = result.statistics.priceSamples
        let period = shown.compactMap { samples[$0]?.periodMinutes }.max() ?? 15
        html.raw("<p class=\"caption\">Fills under ")
        html.code(base.variant)
        html.raw(" on the ticker's last regular-hours close of each \(period)-minute period (grey): ")
        html.raw("<span style=\"color:\(TimeChart.buyColor)\">▲ buy</span>, <span style=\"color:\(TimeChart.sellColor)\">▼ sell</span>, ")
        html.raw("the tip at the fill price (hover a mark for the fill). Trading time: nights, weekends and holidays take no room; ")
        html.raw("a dotted rule marks each session's start. At most \(LaneDigest.markerLimit / 2) buys and \(LaneDigest.markerLimit / 2) sells per chart, spread evenly over the run.")
        if runs.count > 1 { html.raw(" Every variant's fills per ticker are counted under <i>Per ticker</i> below.") }
        if ranked.count > shown.count {
            html.text(" The \(shown.count) tickers with the most fills are shown; \(ranked.count - shown.count) omitted (\(ranked.dropFirst(shown.count).joined(separator: ", "))).")
        }
        if tickers.count > ranked.count {
            html.text(" No fills in \(tickers.filter { fills[$0]! == 0 }.joined(separator: ", ")).")
        }
        html.raw("</p>\n")
        let width = ((pageWidth - 10) / 2).rounded(.down)
        html.raw("<div class=\"grid\" style=\"grid-template-columns: repeat(2, \(Int(width))px)\">\n")
        for ticker in shown {
            let prices = samples[ticker]?.points ?? []
            let marks = base.digest.markers(ticker)
            let kept = marks.kept
            var title = "\(ticker): \(marks.seen) fill\(marks.seen == 1 ? "" : "s")"
            let strides = [marks.buys.stride, marks.sells.stride]
            if strides.contains(where: { $0 > 1 }) {
                title += ", every " + (strides[0] == strides[1] ? ordinal(strides[0]) : "\(ordinal(strides[0])) buy and \(ordinal(strides[1])) sell") + " marked"
            }
            let ys = prices.map(\.close.doubleValue) + kept.map(\.price.doubleValue)
            TimeChart(kind: "fills", title: title,
                      series: [TimeChart.Series(name: "", color: "#9a9a9a", points: prices.map { ($0.time, $0.close.doubleValue) })],
                      markers: kept.map { m in
                          TimeChart.Marker(time: m.time, y: m.price.doubleValue, side: m.side,
                                           title: "\(base.variant): \(m.side.rawValue) \(m.quantity) \(ticker) at \(m.price), \(m.time.iso8601)")
                      },
                      axis: axis, width: width, height: 210, yRange: (ys.min() ?? 0, ys.max() ?? 0), yUnit: "price ($)", legend: false, maxTicks: 6)
                .render(into: &html)
        }
        html.raw("</div>\n")
    }

    /// 2 → "2nd", 4 → "4th".
    static func ordinal(_ n: Int) -> String {
        let suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }

    // MARK: - Slippage

    /// One histogram per variant, on one bp scale; a variant whose fills all slipped the same says so in
    /// words instead of drawing one bar.
    static func slippageCharts(_ runs: [LaneReport], into html: inout HTMLText) {
        let histograms = runs.map(\.digest.slippage)
        let drawn = histograms.filter { $0.total > 0 && $0.minimum != $0.maximum }
        let low = drawn.compactMap { $0.bins.first?.low }.min() ?? 0
        let high = drawn.compactMap { h in h.bins.last.map { $0.low + h.width } }.max() ?? 1
        let scale = NiceScale(minimum: low, maximum: high, maxTicks: 7)
        let columns = min(max(runs.count, 2), 3)
        let width = ((pageWidth - Double(columns - 1) * 10) / Double(columns)).rounded(.down)
        html.raw("<div class=\"grid\" style=\"grid-template-columns: repeat(\(columns), \(Int(width))px)\">\n")
        for (i, (run, histogram)) in zip(runs, histograms).enumerated() {
            let color = palette[i % palette.count]
            if histogram.total == 0 {
                html.raw("<div class=\"note\" data-chart=\"slippage-note\"><b>")
                html.text(run.variant)
                html.raw("</b>: no fills.</div>\n")
            } else if let only = histogram.minimum, only == histogram.maximum {
                html.raw("<div class=\"note\" data-chart=\"slippage-note\"><b style=\"color:\(color)\">")
                html.text(run.variant)
                html.raw("</b>: all \(histogram.total) fill\(histogram.total == 1 ? "" : "s") slipped exactly \(formatStatistic(only, digits: 2)) bp against the trader: one value, no distribution to draw.</div>\n")
            } else {
                SlippageChart(variant: run.variant, color: color, histogram: histogram, scale: scale, width: width, height: 170).render(into: &html)
            }
        }
        html.raw("</div>\n")
    }
}
