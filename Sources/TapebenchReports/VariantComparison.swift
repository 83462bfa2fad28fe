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
        public var run: LaneResult
        public var summary: AgentSummary
        /// Realized + unrealized price P&L, before commissions.
        public var gross: Money { summary.realizedPnL + summary.unrealizedPnL }
        /// Price P&L had every fill been at its reference price.
        public var grossAtReference: Money { gross + summary.slippage }
        /// Σ notional of the fills, wide: a run's turnover may pass what one amount holds.
        public var notionalWide: Int128 { run.totals.tradedNotionalWide }
    }

    public var agent: String
    public var columns: [Column]
    public var base: Column

    public init(agent: String, lanes runs: [LaneResult]) {
        self.agent = agent
        columns = runs.map { Column(variant: $0.variant, run: $0, summary: $0.summary) }
        base = columns.first { $0.variant == "seed" } ?? columns[0]
    }

    func orders(_ run: LaneResult, _ type: OrderType) -> [Order] { run.orders.filter { $0.type == type } }

    func fillRate(_ run: LaneResult, _ types: [OrderType]) -> String {
        let orders = run.orders.filter { types.contains($0.type) }
        guard !orders.isEmpty else { return "–" }
        let filled = orders.filter { $0.filledQuantity > 0 }.count
        return "\(filled)/\(orders.count)"
    }

    struct OrderKey: Hashable { var ticker: String; var side: OrderSide; var time: Timestamp }

    static func key(_ order: Order) -> OrderKey { OrderKey(ticker: order.ticker, side: order.side, time: order.submittedAt) }

    static func filledKeys(_ run: LaneResult) -> Set<OrderKey> { Set(run.orders.filter { $0.status == .filled }.map(key)) }

    /// Orders filled under the base and not here.
    func missedFills(_ column: Column) -> Int {
        VariantComparison.filledKeys(base.run).subtracting(VariantComparison.filledKeys(column.run)).count
    }

    /// The reference-price P&L of each position, by the order that opened it: closes at (sell reference −
    /// entry reference) × quantity, and what is still open marked at the last price less the entry reference.
    /// Summed wide (units of 1e-8): a position closed many times may pass what one amount holds.
    static func positionPnL(_ run: LaneResult) -> [OrderKey: Int128] {
        let orders = Dictionary(run.orders.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Open { var opener: OrderKey; var quantity: Int64; var entrySlippage: Int128 }
        var open: [String: Open] = [:]
        var result: [OrderKey: Int128] = [:]
        for trade in run.trades {
            let fill = trade.fill
            if fill.side == .buy {
                if var position = open[fill.ticker] {
                    position.quantity += fill.quantity
                    position.entrySlippage += fill.wideSlippageCost
                    open[fill.ticker] = position
                } else if let order = orders[fill.orderID] {
                    open[fill.ticker] = Open(opener: key(order), quantity: fill.quantity, entrySlippage: fill.wideSlippageCost)
                }
            } else if var position = open[fill.ticker], let realized = trade.realizedPnL {
                // A sell past the position (into a short) releases all of the entry's slippage, not more.
                let releasedSlippage = Fixed.divideRoundingHalfEvenWide(position.entrySlippage * Int128(min(fill.quantity, position.quantity)), Int128(position.quantity))
                result[position.opener, default: 0] += realized.wide + fill.wideSlippageCost + releasedSlippage
                position.quantity -= fill.quantity
                position.entrySlippage -= releasedSlippage
                open[fill.ticker] = position.quantity > 0 ? position : nil
            }
        }
        for (ticker, position) in open {
            if let held = run.account.position(ticker) {
                result[position.opener, default: 0] += held.unrealizedPnL.wide + position.entrySlippage
            }
        }
        return result
    }

    /// The reference-price P&L owed to positions opened in only one of the two lanes (added − missed).
    func fillSetEffect(_ column: Column) -> Int128 {
        let baseFilled = VariantComparison.filledKeys(base.run), hereFilled = VariantComparison.filledKeys(column.run)
        let missed = VariantComparison.positionPnL(base.run).filter { !hereFilled.contains($0.key) }.values.reduce(0, +)
        let added = VariantComparison.positionPnL(column.run).filter { !baseFilled.contains($0.key) }.values.reduce(0, +)
        return added - missed
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
            c.notionalWide == 0 ? "–" : formatStatistic(Double(c.summary.slippage.raw) / Double(c.notionalWide) * 10_000, digits: 2)
        })
        rows.append(row("commissions") { dollars($0.summary.commissions) })
        rows.append(row("gross P&L (before commissions)") { dollars($0.gross) })
        rows.append(row("net P&L") { dollars($0.summary.totalPnL) })
        rows.append(row("return") { percentText($0.summary.returnFraction) })
        rows.append(row("Sharpe") { formatStatistic($0.summary.sharpe, digits: 2) })
        rows.append(row("max drawdown") { percentText($0.summary.maxDrawdown) })
        rows.append(row("win rate") { percentText($0.summary.winRate) })
        rows.append(row("net P&L vs \(base.variant)") { c in c.variant == base.variant ? "–" : signedDollars(c.summary.totalPnL - base.summary.totalPnL) })
        rows.append(row("… missed and added fills") { c in c.variant == base.variant ? "–" : signedDollars(wide: fillSetEffect(c)) })
        rows.append(row("… timing and fill rules") { c in
            c.variant == base.variant ? "–" : signedDollars(wide: c.grossAtReference.wide - base.grossAtReference.wide - fillSetEffect(c))
        })
        rows.append(row("… slippage") { c in delta { -$0.summary.slippage }(c) })
        rows.append(row("… commissions") { c in delta { -$0.summary.commissions }(c) })
        rows.append(row("orders filled under \(base.variant), not here") { c in c.variant == base.variant ? "–" : String(missedFills(c)) })
        rows.append(row("orders filled here, not under \(base.variant)") { c in
            c.variant == base.variant ? "–" : String(VariantComparison.filledKeys(c.run).subtracting(VariantComparison.filledKeys(base.run)).count)
        })
        return Table(header: [""] + columns.map(\.variant), rows: rows)
    }
}

func signedDollars(_ value: Money) -> String { signedDollars(wide: value.wide) }
func signedDollars(wide value: Int128) -> String { (value > 0 ? "+" : "") + Fixed.rounded(wide: value, toFractionDigits: 2) }
