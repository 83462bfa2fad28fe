import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger

/// The side-by-side figures of one agent under every fill-model variant, and what each variant's
/// result owes to its differences from `seed` (or the first variant when there is no `seed`).
///
/// Attribution, exact in money: net P&L = price P&L at reference prices − slippage − commissions, so
/// the difference from the base splits into *slippage*, *commissions*, and the price P&L at reference
/// prices, which splits again into *missed and added fills* (the reference-price P&L of positions whose
/// opening order filled in one lane and not the other, matched by ticker, side and decision time) and
/// *timing and fill rules* (the rest: which bars and prices the common orders filled at).
public struct VariantComparison: Sendable {
    public struct Column: Sendable {
        public var variant: String
        public var lane: LaneReport
        public var summary: AgentSummary { lane.summary }
        /// Realized + unrealized price P&L, before commissions.
        public var gross: Money { summary.realizedPnL + summary.unrealizedPnL }
        /// Price P&L had every fill been at its reference price.
        public var grossAtReference: Money { gross + summary.slippage }
        /// Σ notional of the fills, wide: a run's turnover may pass what one amount holds.
        public var notionalWide: Int128 { lane.outcome.totals.tradedNotionalWide }
    }

    public var agent: String
    public var columns: [Column]
    public var base: Column

    /// `lanes`: the agent's lanes, in the scenario's variant order; the base is `seed`, or the first.
    public init(agent: String, lanes: [LaneReport]) {
        self.agent = agent
        columns = lanes.map { Column(variant: $0.variant, lane: $0) }
        base = columns.first { $0.variant == "seed" } ?? columns[0]
    }

    /// The variant the others are compared with in a run folder (`RunFolder` works out each lane's
    /// `FillSetDifference` against it).
    public static func baseVariant(_ variants: [String]) -> String { variants.contains("seed") ? "seed" : variants[0] }

    func fillRate(_ lane: LaneReport, _ types: [OrderType]) -> String {
        let counts = types.map(lane.digest.typeCounts)
        let total = counts.reduce(0) { $0 + $1.total }
        guard total > 0 else { return "–" }
        return "\(counts.reduce(0) { $0 + $1.withFills })/\(total)"
    }

    /// The difference from the base in the set of filled orders (zero for the base itself).
    func difference(_ column: Column) -> FillSetDifference {
        column.lane.againstBase ?? FillSetDifference(missedOrders: 0, missedPnL: 0, addedOrders: 0, addedPnL: 0)
    }

    public func table() -> Table {
        func row(_ label: String, _ value: (Column) -> String) -> [String] { [label] + columns.map(value) }
        func delta(_ value: @escaping (Column) -> Money) -> (Column) -> String {
            { column in column.variant == base.variant ? "–" : signedDollars(value(column) - value(base)) }
        }
        var rows: [[String]] = []
        for type in OrderType.allCases where columns.contains(where: { $0.lane.digest.typeCounts(type).total > 0 }) {
            rows.append(row("\(type.rawValue) orders filled / rejected / other") { c in
                let counts = c.lane.digest.typeCounts(type)
                return "\(counts.filled) / \(counts.rejected) / \(counts.other)"
            })
        }
        rows.append(row("limit fill rate") { fillRate($0.lane, [.limit]) })
        rows.append(row("stop fill rate") { fillRate($0.lane, [.stop, .stopLimit]) })
        rows.append(row("fills") { String($0.lane.digest.trades) })
        rows.append(row("slippage, total") { dollars($0.summary.slippage) })
        rows.append(row("slippage, average bps") { c in
            c.notionalWide == 0 ? "–" : formatStatistic(Double(c.summary.slippage.raw) / Double(c.notionalWide) * 10_000, digits: 2)
        })
        rows.append(row("commissions") { dollars($0.summary.commissions) })
        rows.append(row("gross P&L (before commissions)") { dollars($0.gross) })
        rows.append(row("net P&L") { dollars($0.summary.totalPnL) })
        rows.append(row("return") { percentText($0.summary.returnFraction) })
        rows.append(row("Sharpe") { formatStatistic($0.summary.sharpe, digits: 2) })
        rows.append(row("max drawdown") { percentText($0.summary.maxDrawdown) })
        rows.append(row("win rate") { percentText($0.summary.winRate) })
        rows.append(row("win rate after costs (round trips)") { percentText($0.summary.roundTrips.winRateAfterCosts) })
        rows.append(row("net P&L vs \(base.variant)") { c in c.variant == base.variant ? "–" : signedDollars(c.summary.totalPnL - base.summary.totalPnL) })
        rows.append(row("… missed and added fills") { c in c.variant == base.variant ? "–" : signedDollars(wide: difference(c).effect) })
        rows.append(row("… timing and fill rules") { c in
            c.variant == base.variant ? "–" : signedDollars(wide: c.grossAtReference.wide - base.grossAtReference.wide - difference(c).effect)
        })
        rows.append(row("… slippage") { c in delta { -$0.summary.slippage }(c) })
        rows.append(row("… commissions") { c in delta { -$0.summary.commissions }(c) })
        rows.append(row("orders filled under \(base.variant), not here") { c in c.variant == base.variant ? "–" : String(difference(c).missedOrders) })
        rows.append(row("orders filled here, not under \(base.variant)") { c in
            c.variant == base.variant ? "–" : String(difference(c).addedOrders)
        })
        return Table(header: [""] + columns.map(\.variant), rows: rows)
    }
}

func signedDollars(_ value: Money) -> String { signedDollars(wide: value.wide) }
func signedDollars(wide value: Int128) -> String { (value > 0 ? "+" : "") + Fixed.rounded(wide: value, toFractionDigits: 2) }
