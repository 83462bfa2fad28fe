import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger

/// The results of a sweep: one row per grid point and agent, charts of net return and Sharpe against
/// each parameter, and each parameter's break-even value.
public struct SweepReport: Sendable {
    public struct Row: Sendable {
        public var point: Int
        public var values: [Fixed]
        public var summary: AgentSummary
    }

    public var grid: SweepGrid
    public var rows: [Row]

    public init(grid: SweepGrid, result: RunResult) {
        self.grid = grid
        let index = Dictionary(uniqueKeysWithValues: grid.points.indices.map { ("p\($0 + 1)", $0) })
        rows = result.runs.map { run in
            let point = index[run.variant]!
            return Row(point: point, values: grid.points[point], summary: AgentSummary(run))
        }.sorted { ($0.summary.agent, $0.point) < ($1.summary.agent, $1.point) }
    }

    public var agents: [String] { Array(Set(rows.map(\.summary.agent))).sorted() }

    public func csv() -> String {
        var out = (["agent"] + grid.parameters.map(\.name) + ["net_pnl", "return", "sharpe", "max_drawdown", "win_rate", "fills", "commissions", "slippage"])
            .joined(separator: ",") + "\n"
        for row in rows {
            let s = row.summary
            let cells = [s.agent] + row.values.map { $0.formatted(minimumFractionDigits: 0) } + [
                s.totalPnL.description, formatStatistic(s.returnFraction, digits: 6), formatStatistic(s.sharpe, digits: 6),
                formatStatistic(s.maxDrawdown, digits: 6), formatStatistic(s.winRate, digits: 6), String(s.fills),
                s.commissions.description, s.slippage.description,
            ]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The rows of one agent along one parameter, the other parameters at their first values.
    public func slice(agent: String, parameter: Int) -> [Row] {
        rows.filter { row in
            row.summary.agent == agent && row.values.indices.allSatisfy { $0 == parameter || row.values[$0] == grid.parameters[$0].values[0] }
        }
    }

    /// Where net return reaches zero along each parameter (nil: it does not within the grid).
    public func breakEven(agent: String, parameter: Int) -> Double? {
        let rows = slice(agent: agent, parameter: parameter)
        return SweepGrid.breakEven(xs: rows.map { $0.values[parameter].doubleValue }, ys: rows.map(\.summary.returnFraction))
    }

    public func summaryText() -> String {
        var out = ""
        for agent in agents {
            for (i, parameter) in grid.parameters.enumerated() {
                let slice = slice(agent: agent, parameter: i)
                let returns = slice.map { "\($0.values[i].formatted(minimumFractionDigits: 0)): \(percentText($0.summary.returnFraction))" }
                out += "\(agent) · \(parameter.name): "
                if let x = breakEven(agent: agent, parameter: i) {
                    out += "break-even at \(formatStatistic(x, digits: 4))"
                } else {
                    out += "no break-even in the grid"
                }
                out += " (net return \(returns.prefix(3).joined(separator: ", "))\(returns.count > 3 ? ", …" : ""))\n"
            }
        }
        return out
    }

    /// One SVG: for each agent and parameter, net return (top) and Sharpe (bottom) against the parameter.
    public func svg() -> String {
        let panelWidth = 560.0, panelHeight = 150.0, left = 70.0, gap = 50.0
        var charts: [String] = []
        var y = 20.0
        for agent in agents {
            for (i, parameter) in grid.parameters.enumerated() {
                let slice = self.slice(agent: agent, parameter: i)
                let xs = slice.map { $0.values[i].doubleValue }
                charts.append(text(left, y + 12, "\(agent) · \(parameter.name)", size: 14, weight: "bold"))
                y += 24
                charts.append(panel(xs: xs, ys: slice.map { $0.summary.returnFraction * 100 }, label: "net return %",
                                    x0: left, y0: y, width: panelWidth, height: panelHeight, breakEven: breakEven(agent: agent, parameter: i)))
                y += panelHeight + gap
                charts.append(panel(xs: xs, ys: slice.map(\.summary.sharpe), label: "Sharpe",
                                    x0: left, y0: y, width: panelWidth, height: panelHeight, breakEven: nil))
                y += panelHeight + gap
                charts.append(text(left + panelWidth / 2, y - gap + 32, parameter.name, anchor: "middle"))
            }
        }
        let width = left + panelWidth + 30
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(y))" viewBox="0 0 \(f(width)) \(f(y))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            \(charts.joined(separator: "\n"))
            </svg>

            """
    }

    func panel(xs: [Double], ys: [Double], label: String, x0: Double, y0: Double, width: Double, height: Double, breakEven: Double?) -> String {
        guard let xMin = xs.min(), let xMax = xs.max(), let yLow = ys.min(), let yHigh = ys.max() else { return "" }
        let yMin = min(yLow, 0), yMax = max(yHigh, 0)
        let xSpan = xMax > xMin ? xMax - xMin : 1, ySpan = yMax > yMin ? yMax - yMin : 1
        func px(_ x: Double) -> Double { x0 + (x - xMin) / xSpan * width }
        func py(_ v: Double) -> Double { y0 + height - (v - yMin) / ySpan * height }
        var parts = ["<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#999\"/>"]
        parts.append("<line x1=\"\(f(x0))\" y1=\"\(f(py(0)))\" x2=\"\(f(x0 + width))\" y2=\"\(f(py(0)))\" stroke=\"#bbb\" stroke-dasharray=\"3,3\"/>")
        for k in 0...4 {
            let v = yMin + ySpan * Double(k) / 4
            parts.append(text(x0 - 6, py(v) + 4, formatStatistic(v, digits: 2), anchor: "end"))
            let xv = xMin + xSpan * Double(k) / 4
            parts.append(text(px(xv), y0 + height + 14, formatStatistic(xv, digits: 2), anchor: "middle"))
        }
        parts.append(text(x0 - 60, y0 - 6, label))
        let points = zip(xs, ys).map { "\(f(px($0))),\(f(py($1)))" }.joined(separator: " ")
        parts.append("<polyline points=\"\(points)\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>")
        for (x, v) in zip(xs, ys) { parts.append("<circle cx=\"\(f(px(x)))\" cy=\"\(f(py(v)))\" r=\"2.5\" fill=\"#1f5fa8\"/>") }
        if let breakEven {
            parts.append("<line x1=\"\(f(px(breakEven)))\" y1=\"\(f(y0))\" x2=\"\(f(px(breakEven)))\" y2=\"\(f(y0 + height))\" stroke=\"#c0392b\" stroke-dasharray=\"4,3\"/>")
            parts.append(text(px(breakEven) + 4, y0 + 12, "break-even \(formatStatistic(breakEven, digits: 2))", fill: "#c0392b"))
        }
        return parts.joined(separator: "\n")
    }

    func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", size: Int = 11, weight: String = "normal", fill: String = "#222") -> String {
        let escaped = content.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(escaped)</text>"
    }

    func f(_ v: Double) -> String { formatStatistic(v, digits: 2) }
}
