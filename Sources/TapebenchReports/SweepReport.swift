import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger

/// The results of a sweep: one row per grid point and agent, charts of net return and Sharpe against
/// each parameter, and each parameter's break-even value.
public struct SweepReport: Sendable {
    public struct Row: Sendable {
        public var point: Int
        public var values: [ParameterValue]
        /// The figures of the lane at this point (the whole `AgentSummary` is not kept: a shard stores these).
        public var summary: Figures
    }

    /// What a sweep shows of one lane; exact, so that rows read back from a shard give the same bytes.
    public struct Figures: Sendable, Equatable {
        public var agent: String
        public var totalPnL: Money
        public var returnFraction: Double
        public var sharpe: Double
        public var maxDrawdown: Double
        public var winRate: Double
        public var fills: Int
        public var commissions: Money
        public var slippage: Money

        public init(_ s: AgentSummary) {
            self.init(agent: s.agent, totalPnL: s.totalPnL, returnFraction: s.returnFraction, sharpe: s.sharpe, maxDrawdown: s.maxDrawdown,
                      winRate: s.winRate, fills: s.fills, commissions: s.commissions, slippage: s.slippage)
        }

        public init(agent: String, totalPnL: Money, returnFraction: Double, sharpe: Double, maxDrawdown: Double, winRate: Double,
                    fills: Int, commissions: Money, slippage: Money) {
            (self.agent, self.totalPnL, self.returnFraction, self.sharpe, self.maxDrawdown) = (agent, totalPnL, returnFraction, sharpe, maxDrawdown)
            (self.winRate, self.fills, self.commissions, self.slippage) = (winRate, fills, commissions, slippage)
        }
    }

    public var grid: SweepGrid
    public var rows: [Row]

    /// `lanes`: every lane's outcome (a sweep keeps nothing else of a lane: `DiscardingRecorder`).
    public init(grid: SweepGrid, lanes: [LaneOutcome]) {
        let index = Dictionary(uniqueKeysWithValues: grid.points.indices.map { ("p\($0 + 1)", $0) })
        let rows = lanes.map { run in
            let point = index[run.variant]!
            return Row(point: point, values: grid.points[point], summary: Figures(run.summary))
        }
        self.init(grid: grid, rows: rows)
    }

    /// The report of rows gathered elsewhere (shards), in the same order as a single run's.
    public init(grid: SweepGrid, rows: [Row]) {
        self.grid = grid
        self.rows = rows.sorted { ($0.summary.agent, $0.point) < ($1.summary.agent, $1.point) }
    }

    public var agents: [String] { Array(Set(rows.map(\.summary.agent))).sorted() }

    public func csv() -> String {
        var out = (["agent"] + grid.parameters.map(\.name) + ["net_pnl", "return", "sharpe", "max_drawdown", "win_rate", "fills", "commissions", "slippage"])
            .joined(separator: ",") + "\n"
        for row in rows {
            let s = row.summary
            let cells = [s.agent] + row.values.map(\.text) + [
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

    /// Where net return reaches zero along each parameter (nil: it does not within the grid, or the parameter's
    /// values are not numbers: a flag or a word has nothing between its values).
    public func breakEven(agent: String, parameter: Int) -> Double? {
        let rows = slice(agent: agent, parameter: parameter)
        let xs = rows.compactMap { $0.values[parameter].number?.doubleValue }
        guard xs.count == rows.count else { return nil }
        return SweepGrid.breakEven(xs: xs, ys: rows.map(\.summary.returnFraction))
    }

    /// A parameter's value along a chart's axis: the number, or the value's position among the parameter's values.
    func position(_ value: ParameterValue, parameter: Int) -> Double {
        value.number?.doubleValue ?? Double(grid.parameters[parameter].values.firstIndex(of: value) ?? 0)
    }

    public func summaryText() -> String {
        var out = ""
        for agent in agents {
            for (i, parameter) in grid.parameters.enumerated() {
                let slice = slice(agent: agent, parameter: i)
                let returns = slice.map { "\($0.values[i].text): \(percentText($0.summary.returnFraction))" }
                out += "\(agent) · \(parameter.name): "
                if parameter.values.contains(where: { $0.number == nil }) {
                    out += "no break-even between flags or words"
                } else if let x = breakEven(agent: agent, parameter: i) {
                    out += "break-even at \(formatStatistic(x, digits: 4))"
                } else {
                    out += "no break-even in the grid"
                }
                out += " (net return \(returns.prefix(3).joined(separator: ", "))\(returns.count > 3 ? ", …" : ""))\n"
            }
        }
        return out
    }

    /// One SVG: for each agent and parameter, net return and Sharpe against the parameter, the break-even
    /// value marked on the return chart.
    public func svg() -> String {
        let width = 700.0, height = 220.0
        var charts: [String] = []
        var y = 0.0
        for agent in agents {
            for (i, parameter) in grid.parameters.enumerated() {
                let slice = self.slice(agent: agent, parameter: i)
                let xs = slice.map { position($0.values[i], parameter: i) }
                let breakEven = breakEven(agent: agent, parameter: i).map { (x: $0, label: "break-even \(formatStatistic($0, digits: 2))") }
                for (label, values, line) in [("net return %", slice.map { $0.summary.returnFraction * 100 }, breakEven),
                                              ("Sharpe", slice.map(\.summary.sharpe), nil)] {
                    charts.append(SVGChart(title: "\(agent) · \(label) against \(parameter.name)", yLabel: label,
                                           series: [.init(name: "", color: "#1f5fa8", points: Array(zip(xs, values)).map { (x: $0.0, y: $0.1) })],
                                           xIsTime: false, width: width, height: height, verticalLine: line, zeroLine: true,
                                           origin: (0, y)).render())
                    y += height
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(y))\" viewBox=\"0 0 \(f(width)) \(f(y))\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + charts.joined() + "</svg>\n"
    }
}
