import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger

/// The side-by-side figures of one agent under every fill-model variant, and what each variant's
/// result owes to its differences from `seed` (or the first variant when there is no `seed`).
///
/// Attribution, exact in money: net P&L = price P&L at reference prices − slippage − commissions, so
/// the difference from the base splits into *timing and fill rules* (price P&L at reference prices:
/// which bars and prices orders filled at, and the trades missed or added), *slippage* and *commissions*.
public struct VariantComparison: Sendable {
    public struct Column: Sendable {
        public var variant: String
        public var run: AgentRun
        public var summary: AgentSummary
        /// Realized + unrealized price P&L, before commissions.
        public var gross: Money { summary.realizedPnL + summary.unrealizedPnL }
        /// Price P&L had every fill been at its reference price.
        public var grossAtReference: Money { gross + summary.slippage }
        public var notional: Money { run.trades.reduce(.zero) { $0 + $1.fill.notional } }
    }

    public var agent: String
    public var columns: [Column]
    public var base: Column

    public init(agent: String, runs: [AgentRun]) {
        self.agent = agent
        columns = runs.map { Column(variant: $0.variant, run: $0, summary: AgentSummary($0)) }
        base = columns.first { $0.variant == "seed" } ?? columns[0]
    }

    func orders(_ run: AgentRun, _ type: OrderType) -> [Order] { run.orders.filter { $0.type == type } }

    func fillRate(_ run: AgentRun, _ types: [OrderType]) -> String {
        let orders = run.orders.filter { types.contains($0.type) }
        guard !orders.isEmpty else { return "–" }
        let filled = orders.filter { $0.filledQuantity > 0 }.count
        return "\(filled)/\(orders.count)"
    }

    /// Orders filled under the base and not (or only partly) here, matched by ticker, side and decision time.
    func missedFills(_ column: Column) -> Int {
        struct Key: Hashable { var ticker: String; var side: OrderSide; var time: Timestamp }
        let here = Dictionary(column.run.orders.map { (Key(ticker: $0.ticker, side: $0.side, time: $0.submittedAt), $0) }, uniquingKeysWith: { a, _ in a })
        return base.run.orders.filter { $0.status == .filled }.filter { order in
            guard let mine = here[Key(ticker: order.ticker, side: order.side, time: order.submittedAt)] else { return true }
            return mine.status != .filled
        }.count
    }

    public func table() -> Table {
        func row(_ label: String, _ value: (Column) -> String) -> [String] { [label] + columns.map(value) }
        func delta(_ value: @escaping (Column) -> Money) -> (Column) -> String {
            { column in column.variant == base.variant ? "–" : signedDollars(value(column) - value(base)) }
        }
        var rows: [[String]] = []
        for type in OrderType.allCases where columns.contains(where: { !orders($0.run, type).isEmpty }) {
            rows.append(row("\(type.rawValue) orders filled / rejected / other") { c in
                let o = orders(c.run, type)
                let filled = o.filter { $0.status == .filled }.count, rejected = o.filter { $0.status == .rejected }.count
                return "\(filled) / \(rejected) / \(o.count - filled - rejected)"
            })
        }
        rows.append(row("limit fill rate") { fillRate($0.run, [.limit]) })
        rows.append(row("stop fill rate") { fillRate($0.run, [.stop, .stopLimit]) })
        rows.append(row("fills") { String($0.run.trades.count) })
        rows.append(row("slippage, total") { dollars($0.summary.slippage) })
        rows.append(row("slippage, average bps") { c in
            c.notional.raw == 0 ? "–" : formatStatistic(Double(c.summary.slippage.raw) / Double(c.notional.raw) * 10_000, digits: 2)
        })
        rows.append(row("commissions") { dollars($0.summary.commissions) })
        rows.append(row("gross P&L (before commissions)") { dollars($0.gross) })
        rows.append(row("net P&L") { dollars($0.summary.totalPnL) })
        rows.append(row("return") { percentText($0.summary.returnFraction) })
        rows.append(row("Sharpe") { formatStatistic($0.summary.sharpe, digits: 2) })
        rows.append(row("max drawdown") { percentText($0.summary.maxDrawdown) })
        rows.append(row("win rate") { percentText($0.summary.winRate) })
        rows.append(row("net P&L vs \(base.variant)") { c in c.variant == base.variant ? "–" : signedDollars(c.summary.totalPnL - base.summary.totalPnL) })
        rows.append(row("… timing and fill rules") { c in delta { $0.grossAtReference }(c) })
        rows.append(row("… slippage") { c in delta { -$0.summary.slippage }(c) })
        rows.append(row("… commissions") { c in delta { -$0.summary.commissions }(c) })
        rows.append(row("orders filled under \(base.variant), not here") { c in c.variant == base.variant ? "–" : String(missedFills(c)) })
        return Table(header: [""] + columns.map(\.variant), rows: rows)
    }
}

func signedDollars(_ value: Money) -> String { (value.raw > 0 ? "+" : "") + dollars(value) }
