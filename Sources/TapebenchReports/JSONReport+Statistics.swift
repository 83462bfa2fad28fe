import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger

/// report.json's round trips, benchmark, returns, typed agent parameters and risk settings (schema 3).
extension JSONReport {
    /// Round-trip statistics of a lane (`RoundTripStatistics`); every trip is in round_trips.csv.
    static func roundTrips(_ r: RoundTripStatistics) -> JSONValue {
        let d = r.durations
        return .object([
            "count": .integer(r.count),
            "win_rate_before_costs": .statistic(r.winRateBeforeCosts),
            "win_rate_after_costs": .statistic(r.winRateAfterCosts),
            "gross_pnl": .number(Fixed.format(wide: r.grossPnLWide)),
            "commissions": .number(Fixed.format(wide: r.commissionsWide)),
            "net_pnl": .number(Fixed.format(wide: r.grossPnLWide - r.commissionsWide)),
            "sqn": r.sqn.map(JSONValue.statistic) ?? .null,
            "sqn_trade_cap": .integer(RoundTripStatistics.sqnTradeCap),
            "duration_minutes": r.count == 0 ? .null : .object([
                "mean": .statistic(d.meanMinutes), "median": .statistic(d.medianMinutes), "max": .integer(d.maxMinutes),
            ]),
            "file": .string("round_trips.csv"),
        ])
    }

    /// Alpha (annualized) and beta of a lane against the buy-and-hold benchmark; nulls without a fit.
    static func benchmarkFit(_ fit: BenchmarkFit?) -> JSONValue {
        .object([
            "alpha": fit.map { .statistic($0.alpha) } ?? .null,
            "beta": fit.map { .statistic($0.beta) } ?? .null,
            "days": .integer(fit?.days ?? 0),
        ])
    }

    /// Monthly returns in full; daily ones counted, all of them in returns.csv.
    static func returns(monthly: [PeriodReturn], days: Int) -> JSONValue {
        .object([
            "monthly": .array(monthly.map {
                .object(["month": .string($0.period), "last_day": .string($0.lastDay.description), "equity": .number(formatStatistic($0.equity, digits: 2)),
                         "return": .statistic($0.returnFraction)])
            }),
            "daily": .object(["count": .integer(days), "file": .string("returns.csv")]),
        ])
    }

    /// The buy-and-hold benchmark of the run (`BenchmarkSeries`, its rule in `rule`).
    static func benchmark(_ b: BenchmarkSeries) -> JSONValue {
        .object([
            "rule": .string(BenchmarkSeries.rule),
            "tickers": .array(b.tickers.map { .string($0) }),
            "initial_balance": .money(b.initialBalance),
            "final_equity": .number(formatStatistic(b.finalEquity, digits: 2)),
            "return": .statistic(b.returnFraction),
            "returns": returns(monthly: b.monthlyReturns, days: b.days.count),
        ])
    }

    /// Every risk setting, in the scenario's units and under its keys (percentages as `*_pct`); null where off.
    static func risk(_ r: RiskLimits) -> JSONValue {
        func pct(_ bp: Int64?) -> JSONValue { bp.map { .number(Fixed.format(wide: Int128($0) * 1_000_000, minimumFractionDigits: 0)) } ?? .null }
        var groups: [String: JSONValue] = [:]
        for (name, members) in r.groups { groups[name] = .array(members.map { .string($0) }) }
        return .object([
            "max_position_pct": pct(r.maxPositionBasisPoints),
            "max_open_positions": .integer(r.maxOpenPositions),
            "min_cash_reserve_pct": pct(r.minCashReserveBasisPoints),
            "daily_loss_limit_pct": pct(r.dailyLossLimitBasisPoints),
            "max_drawdown_pct": pct(r.maxDrawdownBasisPoints),
            "max_drawdown_action": .string(r.drawdownAction.rawValue),
            "max_group_pct": pct(r.maxGroupBasisPoints),
            "groups": .object(groups),
            "correlation_groups": r.minCorrelation.map { rho in
                .object(["min_correlation": Fixed(rounding: rho).map { .number($0.formatted(minimumFractionDigits: 0)) } ?? .statistic(rho),
                         "min_bars": .integer(r.correlationMinBars)])
            } ?? .null,
            "max_short_pct": pct(r.maxShortBasisPoints),
        ])
    }

    /// An agent's parameters as typed values (numbers as numbers, a process agent's params as its object).
    static func parameters(_ config: AgentConfig) -> JSONValue {
        .object(Dictionary(config.parameters.map { ($0.name, value($0.value)) }, uniquingKeysWith: { first, _ in first }))
    }

    static func value(_ v: AgentParameterValue) -> JSONValue {
        switch v {
        case .integer(let i): .integer(i)
        case .decimal(let d): .number(d.formatted(minimumFractionDigits: 0))
        case .bool(let b): .bool(b)
        case .text(let t): .string(t)
        case .number(let n): .number(n)
        case .list(let items): .array(items.map(value))
        case .object(let entries): .object(Dictionary(entries.map { ($0.name, value($0.value)) }, uniquingKeysWith: { first, _ in first }))
        case .null: .null
        }
    }
}
