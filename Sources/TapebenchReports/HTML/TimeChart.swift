import TapebenchCore
import TapebenchExecution

/// A line chart over trading time (`TradingTimeAxis`) as inline SVG: series as polylines, fills as
/// markers (▲ buy in green, ▼ sell in red: told apart by shape as well as colour), a dashed reference
/// line (the initial balance, zero), nice y ticks (`NiceScale`), a thin rule and a date label at each
/// session start (labels thinned so they do not collide), and the legend in its own band between the
/// title and the plot, never over the lines. Elements carry `data-` attributes (series name, point
/// count, chart kind) so tests can count what a browser rendered. Coordinates have two decimals.
struct TimeChart {
    struct Series {
        var name: String
        var color: String
        var dashed = false
        var points: [(time: Timestamp, y: Double)]
    }

    struct Marker {
        var time: Timestamp
        var y: Double
        var side: OrderSide
        var title: String
    }

    static let buyColor = "#1a7f37"
    static let sellColor = "#c0392b"

    /// What the chart shows, for `data-chart` (equity, drawdown, fills).
    var kind: String
    var title: String
    var series: [Series]
    var markers: [Marker] = []
    var axis: TradingTimeAxis
    var width = 1100.0
    var height = 300.0
    /// A dashed horizontal line with its label (drawn when inside the y range, which is widened to hold it).
    var reference: (y: Double, label: String)?
    /// The y range to cover whatever the data (small multiples share one); nil: the data's own.
    var yRange: (low: Double, high: Double)?
    var yUnit: String
    var legend = true
    var maxTicks = 6

    func render(into html: inout HTMLText) {
        let values = series.flatMap { $0.points.map(\.y) } + markers.map(\.y) + (reference.map { [$0.y] } ?? [])
        guard let dataLow = values.min(), let dataHigh = values.max(), !axis.sessions.isEmpty else {
            html.raw("<p class=\"empty\">")
            html.text(title)
            html.raw(": no data.</p>\n")
            return
        }
        let scale = NiceScale(minimum: yRange?.low ?? dataLow, maximum: yRange?.high ?? dataHigh, maxTicks: maxTicks)
        let left = 70.0, right = 16.0, bottom = 24.0
        let plotW = width - left - right
        // The legend's items laid out in rows across the plot's width, between the title and the plot.
        let items = legend ? legendItems(width: plotW) : []
        let legendRows = (items.map(\.row).max() ?? -1) + 1
        let top = 26.0 + Double(legendRows) * 16 + 6
        let plotH = height - top - bottom
        let xScale = plotW / Double(max(axis.end, 1))
        func px(_ time: Timestamp) -> Double { left + axis.x(time) * xScale }
        func py(_ y: Double) -> Double { top + plotH - (y - scale.low) / (scale.high - scale.low) * plotH }

        html.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"")
        html.text(kind)
        html.raw("\" data-series=\"\(series.count)\" data-markers=\"\(markers.count)\"")
        html.attribute("width", width)
        html.attribute("height", height)
        html.raw(" viewBox=\"0 0 \(formatStatistic(width, digits: 2)) \(formatStatistic(height, digits: 2))\" role=\"img\">\n")
        html.raw("<title>")
        html.text(title)
        html.raw("</title>\n<text x=\"\(f(left))\" y=\"16\" class=\"title\">")
        html.text(title)
        html.raw("</text>\n")
        for item in items {
            let x = left + item.x, y = 26.0 + Double(item.row) * 16 + 8
            html.raw("<line x1=\"\(f(x))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 18))\" y2=\"\(f(y - 4))\" stroke=\"\(item.color)\" stroke-width=\"\(item.reference ? "1" : "2.5")\"")
            html.raw(item.dashed ? " stroke-dasharray=\"\(item.reference ? "4,3" : "5,3")\"/>" : "/>")
            html.raw("<text x=\"\(f(x + 23))\" y=\"\(f(y))\">")
            html.text(item.name)
            html.raw("</text>\n")
        }
        // Grid, y ticks and the unit.
        for k in scale.first...scale.last {
            let value = scale.tick(k), y = py(value)
            html.raw("<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" class=\"grid\"/>")
            html.raw("<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(scale.label(value))</text>\n")
        }
        html.raw("<text x=\"12\" y=\"\(f(top + plotH / 2))\" transform=\"rotate(-90 12 \(f(top + plotH / 2)))\" text-anchor=\"middle\">")
        html.text(yUnit)
        html.raw("</text>\n")
        // A rule at each session start; a date under the ones labelled.
        // Their numbers written straight into the page: a chart of five years has 1,259 rules (as interpolated
        // text, ≈ 6 k instructions a rule).
        for session in axis.sessions.dropFirst() {
            let x = left + Double(session.start) * xScale
            html.raw("<line")
            html.attribute("x1", x)
            html.attribute("y1", top)
            html.attribute("x2", x)
            html.attribute("y2", top + plotH)
            html.raw(" class=\"session\"/>\n")
        }
        for session in axis.labelled(scale: xScale, minimumGap: 44) {
            let x = left + Double(session.start) * xScale
            html.raw("<text x=\"\(f(x))\" y=\"\(f(top + plotH + 15))\">\(TradingTimeAxis.label(session.date))</text>\n")
        }
        html.raw("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" class=\"frame\"/>\n")
        if let reference {
            let y = py(reference.y)
            html.raw("<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" class=\"reference\"/>\n")
        }
        for s in series {
            html.raw("<polyline class=\"series\" data-name=\"")
            html.text(s.name)
            html.raw("\" data-points=\"\(s.points.count)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.6\"")
            if s.dashed { html.raw(" stroke-dasharray=\"6,3\"") }
            html.raw(" points=\"")
            for (i, p) in s.points.enumerated() {
                if i > 0 { html.raw(" ") }
                html.number(px(p.time))
                html.raw(",")
                html.number(py(p.y))
            }
            html.raw("\"/>\n")
        }
        for m in markers {
            let (x, y) = (px(m.time), py(m.y))
            let buy = m.side == .buy
            // A triangle pointing the way the position moved: its tip at the fill price. Its numbers written
            // straight into the page (one chart can have thousands of fills).
            let base = buy ? y + 8 : y - 8
            html.raw(buy ? "<path class=\"fill buy\" d=\"M" : "<path class=\"fill sell\" d=\"M")
            html.number(x)
            html.raw(",")
            html.number(y)
            html.raw(" L")
            html.number(x - 4.5)
            html.raw(",")
            html.number(base)
            html.raw(" L")
            html.number(x + 4.5)
            html.raw(",")
            html.number(base)
            html.raw(" Z\" fill=\"\(buy ? TimeChart.buyColor : TimeChart.sellColor)\"><title>")
            html.text(m.title)
            html.raw("</title></path>\n")
        }
        html.raw("</svg>\n")
    }

    /// Legend entries (the named series, then the reference line when it has a label) placed left to
    /// right, wrapping to a new row when the next would pass `width` (text width estimated at 6.5 units a
    /// character of the 11-unit font).
    func legendItems(width: Double) -> [(name: String, color: String, dashed: Bool, reference: Bool, x: Double, row: Int)] {
        var entries = series.filter { !$0.name.isEmpty }.map { (name: $0.name, color: $0.color, dashed: $0.dashed, reference: false) }
        if let reference, !reference.label.isEmpty { entries.append((reference.label, "#888", true, true)) }
        var result: [(name: String, color: String, dashed: Bool, reference: Bool, x: Double, row: Int)] = []
        var x = 0.0, row = 0
        for entry in entries {
            let itemWidth = 23 + Double(entry.name.count) * 6.5 + 18
            if x > 0, x + itemWidth > width {
                x = 0
                row += 1
            }
            result.append((entry.name, entry.color, entry.dashed, entry.reference, x, row))
            x += itemWidth
        }
        return result
    }
}
