import TapebenchCore

/// The sweep and calibration reports' line chart as inline SVG (report.html draws with `TimeChart`):
/// several series over a shared x axis (time or a number), optional markers, axis ticks. Deterministic
/// text: coordinates with two decimals.
struct SVGChart {
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
    }

    struct Marker {
        var x: Double
        var y: Double
        var color: String
        /// "up" (a triangle pointing up, buys) or "down" (sells).
        var shape: String
        var title: String
    }

    var title: String
    var yLabel: String
    var series: [Series]
    var markers: [Marker] = []
    var xIsTime = true
    var width = 760.0
    var height = 240.0
    /// A dashed vertical line with a label (a break-even value).
    var verticalLine: (x: Double, label: String)?
    /// A dashed horizontal line at zero when zero is inside the range.
    var zeroLine = false
    /// Where to place the chart inside a larger SVG (nil: a standalone SVG).
    var origin: (x: Double, y: Double)?

    func render() -> String {
        let left = 70.0, right = 40.0, top = 28.0, bottom = 34.0
        let xs = series.flatMap { $0.points.map(\.x) } + markers.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) } + markers.map(\.y)
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            return "<p>\(escape(title)): no data</p>"
        }
        let xSpan = xMax > xMin ? xMax - xMin : 1, ySpan = yMax > yMin ? yMax - yMin : 1
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xMin) / xSpan * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - yMin) / ySpan * plotH }
        var out = SVGChart.opening(title: title, width: width, height: height, titleX: left, origin: origin)
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#bbb\"/>\n"
        for k in 0...4 {
            let y = yMin + ySpan * Double(k) / 4
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(formatStatistic(y, digits: 2))</text>\n"
            out += "<line x1=\"\(f(left))\" y1=\"\(f(py(y)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(y)))\" stroke=\"#eee\"/>\n"
            let x = xMin + xSpan * Double(k) / 4
            let label = xIsTime ? String(Timestamp(nanoseconds: Int64(x)).iso8601.prefix(10)) : formatStatistic(x, digits: 2)
            out += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        out += "<text x=\"12\" y=\"\(f(top + plotH / 2))\" transform=\"rotate(-90 12 \(f(top + plotH / 2)))\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        if zeroLine, yMin < 0, yMax > 0 {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(py(0)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(0)))\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>\n"
        }
        if let line = verticalLine {
            out += "<line x1=\"\(f(px(line.x)))\" y1=\"\(f(top))\" x2=\"\(f(px(line.x)))\" y2=\"\(f(top + plotH))\" stroke=\"#c0392b\" stroke-dasharray=\"4,3\"/>\n"
            out += "<text x=\"\(f(px(line.x) + 4))\" y=\"\(f(top + 12))\" fill=\"#c0392b\">\(escape(line.label))</text>\n"
        }
        for (i, s) in series.enumerated() {
            let points = s.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.6\"/>\n"
            if series.count > 1 || !s.name.isEmpty {
                out += "<text x=\"\(f(left + plotW - 8))\" y=\"\(f(top + 14 + Double(i) * 14))\" text-anchor=\"end\" fill=\"\(s.color)\">\(escape(s.name))</text>\n"
            }
        }
        for m in markers {
            let (x, y) = (px(m.x), py(m.y))
            let path = m.shape == "up" ? "M\(f(x)),\(f(y - 5)) L\(f(x - 4)),\(f(y + 3)) L\(f(x + 4)),\(f(y + 3)) Z"
                                       : "M\(f(x)),\(f(y + 5)) L\(f(x - 4)),\(f(y - 3)) L\(f(x + 4)),\(f(y - 3)) Z"
            out += "<path d=\"\(path)\" fill=\"\(m.color)\"><title>\(escape(m.title))</title></path>\n"
        }
        return out + "</svg>\n"
    }

    /// The `<svg>` element's opening and the chart's title: standalone, or placed at `origin` inside a larger SVG.
    static func opening(title: String, width: Double, height: Double, titleX: Double, origin: (x: Double, y: Double)?) -> String {
        let position = origin.map { " x=\"\(f($0.x))\" y=\"\(f($0.y))\"" } ?? " xmlns=\"http://www.w3.org/2000/svg\""
        return "<svg\(position) width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
            + "<text x=\"\(f(titleX))\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>\n"
    }
}

func f(_ v: Double) -> String { formatStatistic(v, digits: 2) }

func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        .replacingOccurrences(of: "\"", with: "&quot;")
}
