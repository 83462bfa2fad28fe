import TapebenchCore

/// One variant's slippage distribution as inline SVG bars (`SlippageHistogram`'s bins) on a bp scale
/// shared by the variants of an agent, so that their small multiples compare at a glance. Bars carry
/// their count and range as a tooltip; `data-bars` counts them for tests.
struct SlippageChart {
    var variant: String
    var color: String
    var histogram: SlippageHistogram
    var scale: NiceScale
    var width: Double
    var height: Double

    func render(into html: inout HTMLText) {
        let bins = histogram.bins.filter { $0.count > 0 }
        let left = 44.0, right = 12.0, top = 26.0, bottom = 30.0
        let plotW = width - left - right, plotH = height - top - bottom
        let maxCount = Double(bins.map(\.count).max() ?? 1)
        let counts = NiceScale(minimum: 0, maximum: maxCount, maxTicks: 4)
        func px(_ bp: Double) -> Double { left + (bp - scale.low) / (scale.high - scale.low) * plotW }
        func py(_ n: Double) -> Double { top + plotH - n / counts.high * plotH }
        html.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"slippage\" data-bars=\"\(bins.count)\"")
        html.attribute("width", width)
        html.attribute("height", height)
        html.raw(" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\">\n<text x=\"\(f(left))\" y=\"16\" class=\"title\">")
        html.text("\(variant): \(histogram.total) fills, \(formatStatistic(histogram.minimum ?? 0, digits: 2)) to \(formatStatistic(histogram.maximum ?? 0, digits: 2)) bp")
        html.raw("</text>\n")
        for k in counts.first...counts.last {
            let n = counts.tick(k)
            html.raw("<line x1=\"\(f(left))\" y1=\"\(f(py(n)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(n)))\" class=\"grid\"/>")
            html.raw("<text x=\"\(f(left - 5))\" y=\"\(f(py(n) + 4))\" text-anchor=\"end\">\(counts.label(n))</text>\n")
        }
        for bin in bins {
            // At least a pixel wide: a bin narrower than a pixel on the shared scale still shows.
            let x0 = px(bin.low), x1 = max(px(bin.low + histogram.width), x0 + 1.5)
            let h = Double(bin.count) / counts.high * plotH
            html.raw("<rect class=\"bar\" x=\"\(f(x0))\" y=\"\(f(top + plotH - h))\" width=\"\(f(x1 - x0))\" height=\"\(f(h))\" fill=\"\(color)\"><title>")
            html.raw("\(bin.count) fills in [\(formatStatistic(bin.low, digits: 3)), \(formatStatistic(bin.low + histogram.width, digits: 3))) bp</title></rect>\n")
        }
        for k in scale.first...scale.last {
            let bp = scale.tick(k)
            html.raw("<text x=\"\(f(px(bp)))\" y=\"\(f(top + plotH + 14))\" text-anchor=\"middle\">\(scale.label(bp))</text>\n")
        }
        html.raw("<text x=\"\(f(left + plotW))\" y=\"\(f(height - 2))\" text-anchor=\"end\">bp against the trader</text>\n")
        html.raw("<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"#888\"/>\n</svg>\n")
    }
}
