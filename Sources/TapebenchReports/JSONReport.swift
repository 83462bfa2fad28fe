import Foundation
import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger

/// `report.json`: the canonical record of a run, built from the run's aggregates (`RunDigest`). Schema
/// version 3 (2, plus: each fill model's parameters as typed values; agent parameters as typed values; every risk
/// setting in the scenario's units; per lane `metrics.round_trips`, `metrics.benchmark` (alpha, beta) and `returns`;
/// the run's `benchmark`; a snapshot's `sharpe` null before 20 daily returns). Per lane, the account, metrics and counts in full; each list (orders, rejected orders,
/// trades, snapshots, risk events) as its count, its first `LaneDigest.listLimit` entries and where the
/// whole list is (`file`, a path relative to the report, and `table` in run.sqlite), so the file stays
/// small however long the run; rejected orders also counted by reason. Money is exact (fixed point, at
/// least two decimals), statistics have six decimals, times are ISO 8601 UTC.
public enum JSONReport {
    public static let schemaVersion = 3

    public static func render(_ result: RunDigest) -> String {
        let scenario = result.scenario
        let stats = result.statistics
        var tickers: [String: JSONValue] = [:]
        for (ticker, count) in stats.barsPerTicker { tickers[ticker] = .integer(count) }
        let root: JSONValue = .object([
            "schema_version": .integer(schemaVersion),
            "tool": .object(["name": .string("tapebench"), "version": .string(result.toolVersion)]),
            "scenario": .object([
                "name": .string(scenario.name),
                "content_sha256": .string(scenario.contentHash),
                "tickers": .array(scenario.tickers.map { .string($0) }),
                "from": .string(scenario.from?.description),
                "to": .string(scenario.to?.description),
                "seed": .integer(scenario.seed),
                "fill_models": .array(scenario.fillModels.map(fillModel)),
                "initial_balance": .money(scenario.initialBalance),
                "risk": risk(scenario.risk),
            ]),
            "data": .object([
                "bars_read": .integer(stats.barsRead),
                "bars_replayed": .integer(stats.barsReplayed),
                "bars_outside_regular_hours": .integer(stats.barsOutsideRegularHours),
                "trading_days": .integer(stats.tradingDays),
                "first_bar_start": .string(stats.firstBarStart?.iso8601),
                "last_bar_start": .string(stats.lastBarStart?.iso8601),
                "bars_per_ticker": .object(tickers),
                "quality": quality(result.quality, policy: scenario.validation, displayPath: scenario.displayPath),
            ]),
            "benchmark": benchmark(result.benchmark),
            "agents": .array(result.lanes.map { agent($0, benchmark: result.benchmark) }),
        ])
        return root.rendered()
    }

    static func agent(_ lane: LaneReport, benchmark: BenchmarkSeries) -> JSONValue {
        let summary = lane.summary, run = lane.outcome, digest = lane.digest
        var orders: [String: JSONValue] = [:]
        for (status, count) in summary.ordersByStatus { orders[status.rawValue] = .integer(count) }
        return .object([
            "id": .string(summary.agent),
            "kind": .string(summary.kind),
            "variant": .string(summary.variant),
            "parameters": parameters(run.config),
            "account": .object([
                "status": .string(run.account.status.rawValue),
                "initial_balance": .money(summary.initialBalance),
                "cash": .money(summary.cash),
                "market_value": .money(run.account.marketValue),
                "equity": .money(summary.equity),
                "buying_power": .money(run.account.buyingPower),
                "realized_pnl": .money(summary.realizedPnL),
                "unrealized_pnl": .money(summary.unrealizedPnL),
                "commissions": .money(summary.commissions),
                "slippage": .money(summary.slippage),
                "total_pnl": .money(summary.totalPnL),
            ]),
            "metrics": .object([
                "return": .statistic(summary.returnFraction),
                "cagr": .statistic(summary.cagr),
                "volatility": .statistic(summary.volatility),
                "sortino": .statistic(summary.sortino),
                "calmar": .statistic(summary.calmar),
                "max_drawdown_days": .integer(summary.maxDrawdownDays),
                "average_win": .money(summary.trades.averageWin),
                "average_loss": .money(summary.trades.averageLoss),
                "profit_factor": summary.trades.profitFactor.map(JSONValue.statistic) ?? .null,
                "expectancy": .money(summary.trades.expectancy),
                "exposure": .statistic(summary.exposure),
                "turnover": .statistic(summary.turnover),
                "ambiguous_fills": .integer(summary.ambiguousFills),
                "ambiguous_realized_pnl": .money(summary.ambiguousRealizedPnL),
                "per_ticker": .array(summary.perTicker.map { .object([
                    "ticker": .string($0.ticker), "realized_pnl": .money($0.realized), "unrealized_pnl": .money($0.unrealized),
                    "commissions": .money($0.commissions), "net_pnl": .money($0.realized + $0.unrealized - $0.commissions),
                ]) }),
                "per_signal": .array(summary.perSignal.map { .object([
                    "signal": .string($0.signal), "closing_trades": .integer($0.closes), "pnl": .money($0.pnl),
                ]) }),
                "win_rate": .statistic(summary.winRate),
                "sharpe": .statistic(summary.sharpe),
                "max_drawdown": .statistic(summary.maxDrawdown),
                "closing_trades": .integer(summary.closingTrades),
                "fills": .integer(summary.fills),
                "signals_generated": .integer(summary.signalsGenerated),
                "signals_acted_on": .integer(summary.signalsActedOn),
                "orders": .object(orders),
                "round_trips": roundTrips(summary.roundTrips),
                "benchmark": benchmarkFit(lane.fit(benchmark)),
            ]),
            "returns": returns(monthly: lane.monthlyReturns, days: run.days.count),
            "positions": .array(run.account.sortedPositions.map(position)),
            "orders": list(count: digest.orders, first: digest.firstOrders.map(order), file: "run.sqlite", table: "paper_orders"),
            "rejected_orders": rejected(digest),
            "equity_curve": .object(["count": .integer(lane.equityChart.samples), "file": .string("equity.csv")]),
            "trades": list(count: digest.trades, first: digest.firstTrades.map { trade($0.trade) }, file: "trades.csv", table: "paper_trades"),
            "snapshots": list(count: digest.snapshots, first: digest.firstSnapshots.map(snapshot), file: "run.sqlite",
                              table: "paper_account_snapshots"),
            "risk_events": list(count: digest.riskEvents, first: digest.firstRiskEvents.map {
                .object(["time": .string($0.time.iso8601), "kind": .string($0.kind), "detail": .string($0.detail)])
            }, file: "run.sqlite", table: "risk_events"),
        ])
    }

    /// A list as report.json v2 holds it: how many entries, the first few, and where all of them are.
    static func list(count: Int, first: [JSONValue], file: String, table: String) -> JSONValue {
        .object(["count": .integer(count), "first": .array(first), "file": .string(file), "table": .string(table)])
    }

    /// Rejected orders: counted by reason code (with the first one's full reason as an example), the first
    /// few in full, every one in run.sqlite's `paper_orders` (status `rejected`).
    static func rejected(_ digest: LaneDigest) -> JSONValue {
        guard case .object(var fields) = list(count: digest.rejected, first: digest.firstRejected.map(order), file: "run.sqlite",
                                              table: "paper_orders") else { return .null }
        fields["by_reason"] = .array(digest.rejectedByReason.map {
            .object(["reason": .string($0.reason), "count": .integer($0.count), "example": .string($0.example)])
        })
        return .object(fields)
    }

    static func quality(_ report: DataQualityReport, policy: ValidationPolicy, displayPath: (String) -> String) -> JSONValue {
        .object([
            "bars_seen": .integer(report.barsSeen),
            "bars_kept": .integer(report.barsKept),
            "identical_duplicates": .integer(report.identicalDuplicates),
            "policy": .object(Dictionary(uniqueKeysWithValues: FindingKind.allCases.map { ($0.rawValue, JSONValue.string(policy.action($0).rawValue)) })),
            "bad_tick_bps": .integer(policy.badTickBasisPoints),
            "halt_minutes": .integer(policy.haltMinutes),
            "counts": .array(report.counts.map { .object(["kind": .string($0.kind.rawValue), "action": .string($0.action.rawValue), "count": .integer($0.count)]) }),
            "examples": .array(report.examples(perKind: policy.examplesPerKind).map { finding($0, displayPath: displayPath) }),
        ])
    }

    public static func finding(_ f: Finding, displayPath: (String) -> String = { $0 }) -> JSONValue {
        .object([
            "kind": .string(f.kind.rawValue),
            "rule": .string(f.kind.rule),
            "ticker": .string(f.ticker),
            "time": .string(f.time.iso8601),
            "origin": .string(display(f.origin, displayPath)),
            "detail": .string(f.detail),
            "action": .string(f.action.rawValue),
        ])
    }

    /// A variant's fill model: its one-line description and every parameter of the registry as a typed value
    /// (`FillModelParameter.all`, keyed as in a scenario and a sweep), null where the part is of another form or
    /// the preset's rules do not read it (an engine preset's broker decides slippage and timing itself); a `worst of` slippage or `greatest of` commission (conservative) lists each component's
    /// values and says how they combine.
    static func fillModel(_ spec: FillModelSpec) -> JSONValue {
        var parameters: [String: JSONValue] = [:]
        for parameter in FillModelParameter.all {
            parameters[parameter.key] = parameter.isRead(by: spec) ? parameter.read(spec).map(value) ?? .null : .null
        }
        var slippageCombination: String? = nil, commissionCombination: String? = nil
        if case .worstOf = spec.slippage { slippageCombination = "worst_of" }
        if case .greatestOf = spec.commission { commissionCombination = "greatest_of" }
        return .object([
            "name": .string(spec.name),
            "description": .string(spec.summary),
            "look_ahead": .bool(spec.marketTiming.isLookAhead),
            "parameters": .object(parameters),
            "slippage_combination": .string(slippageCombination),
            "commission_combination": .string(commissionCombination),
            "stop_limit_fills_at_limit": .bool(spec.stopLimitFillsAtLimit),
        ])
    }

    /// A parameter's value as JSON: an exact decimal, a boolean or a string.
    static func value(_ value: ParameterValue) -> JSONValue {
        switch value {
        case .number(let n): return .number(n.formatted(minimumFractionDigits: 0))
        case .flag(let b): return .bool(b)
        case .word(let w): return .string(w)
        }
    }

    static func position(_ p: Position) -> JSONValue {
        .object([
            "ticker": .string(p.ticker),
            "quantity": .integer(p.quantity),
            "cost_basis": .money(p.costBasis),
            "average_entry_price": .money(p.averageEntryPrice),
            "current_price": .money(p.currentPrice),
            "unrealized_pnl": .money(p.unrealizedPnL),
            "opened_at": .string(p.openedAt.iso8601),
            "signal": .string(p.signal?.text),
        ])
    }

    static func order(_ o: Order) -> JSONValue {
        .object([
            "id": .integer(o.id),
            "ticker": .string(o.ticker),
            "side": .string(o.side.rawValue),
            "type": .string(o.type.rawValue),
            "quantity": .integer(o.quantity),
            "filled_quantity": .integer(o.filledQuantity),
            "limit_price": .money(o.limitPrice),
            "stop_price": .money(o.stopPrice),
            "status": .string(o.status.rawValue),
            "reject_reason": .string(o.rejectReason),
            "purpose": .string(o.purpose),
            "signal": .string(o.signal?.text),
            "submitted_at": .string(o.submittedAt.iso8601),
            "closed_at": .string(o.closedAt?.iso8601),
        ])
    }

    static func trade(_ t: Trade) -> JSONValue {
        .object([
            "id": .integer(t.id),
            "order_id": .integer(t.fill.orderID),
            "time": .string(t.fill.time.iso8601),
            "ticker": .string(t.fill.ticker),
            "side": .string(t.fill.side.rawValue),
            "quantity": .integer(t.fill.quantity),
            "price": .money(t.fill.price),
            "reference_price": .money(t.fill.referencePrice),
            "commission": .money(t.fill.commission),
            "slippage": .money(t.fill.slippageCost),
            "rule": .string(t.fill.rule.rawValue),
            "ambiguous": .bool(t.fill.ambiguous),
            "realized_pnl": .money(t.realizedPnL),
            "opening_signal": .string(t.openingSignal?.text),
            "cash_after": .money(t.cashAfter),
            "position_after": .integer(t.positionAfter),
        ])
    }

    static func snapshot(_ s: AccountSnapshot) -> JSONValue {
        .object([
            "date": .string(s.date.description),
            "time": .string(s.time.iso8601),
            "cash": .money(s.cash),
            "market_value": .money(s.marketValue),
            "equity": .money(s.equity),
            "realized_pnl": .money(s.realizedPnL),
            "unrealized_pnl": .money(s.unrealizedPnL),
            "commissions": .money(s.commissions),
            "open_positions": .integer(s.openPositions),
            "sharpe": s.sharpe.map(JSONValue.statistic) ?? .null,
            "drawdown": .statistic(s.drawdown),
        ])
    }
}
