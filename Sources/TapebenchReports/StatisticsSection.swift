import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// An agent's statistics in `report.md`, defined in the README.
enum StatisticsSection {
    static func markdown(_ s: AgentSummary, fit: BenchmarkFit?) -> String {
        let t = s.trades, r = s.roundTrips, d = r.durations
        var out = Table(header: ["statistic", "value"], rows: [
            ["total return", percentText(s.returnFraction)],
            ["CAGR", percentText(s.cagr)],
            ["annualized volatility", percentText(s.volatility)],
            ["Sharpe", formatStatistic(s.sharpe, digits: 2)],
            ["Sortino", formatStatistic(s.sortino, digits: 2)],
            ["Calmar", formatStatistic(s.calmar, digits: 2)],
            ["max drawdown", "\(percentText(s.maxDrawdown)) over \(s.maxDrawdownDays) trading day\(s.maxDrawdownDays == 1 ? "" : "s")"],
            ["win rate", "\(percentText(t.winRate)) of \(t.closingTrades) closing trades"],
            ["round trips (FIFO, in round_trips.csv)", "\(r.count): \(percentText(r.winRateBeforeCosts)) won before costs, \(percentText(r.winRateAfterCosts)) after commissions"],
            ["round-trip P&L", "\(Fixed.rounded(wide: r.grossPnLWide, toFractionDigits: 2)) gross − \(Fixed.rounded(wide: r.commissionsWide, toFractionDigits: 2)) commissions"],
            ["SQN (√min(N, 100) × mean / sd of net P&L)", r.sqn.map { formatStatistic($0, digits: 2) } ?? "– (needs two trips that differ)"],
            ["trip duration (mean / median / max)", r.count == 0 ? "–" : "\(minutes(d.meanMinutes)) / \(minutes(d.medianMinutes)) / \(minutes(Double(d.maxMinutes)))"],
            ["alpha / beta vs buy and hold", fit.map { "\(percentText($0.alpha)) a year / \(formatStatistic($0.beta, digits: 2)) over \($0.days) days" } ?? "– (needs two days)"],
            ["average win / loss", "\(dollars(t.averageWin)) / \(dollars(t.averageLoss))"],
            ["profit factor", t.profitFactor.map { formatStatistic($0, digits: 2) } ?? "– (no losses)"],
            ["expectancy per closing trade", dollars(t.expectancy)],
            ["exposure (time in market)", percentText(s.exposure)],
            ["turnover (traded ÷ mean equity)", formatStatistic(s.turnover, digits: 2) + "×"],
            ["fills resting on the intrabar path", "\(s.ambiguousFills), realized P&L \(dollars(s.ambiguousRealizedPnL))"],
        ]).markdown() + "\n"
        if !s.perTicker.isEmpty {
            out += Table(header: ["ticker", "realized", "unrealized", "commissions", "net"], rows: s.perTicker.map {
                [$0.ticker, dollars($0.realized), dollars($0.unrealized), dollars($0.commissions), dollars($0.realized + $0.unrealized - $0.commissions)]
            }).markdown() + "\n"
        }
        if !s.perSignal.isEmpty {
            out += Table(header: ["opening signal", "closing trades", "price P&L"], rows: s.perSignal.map {
                [$0.signal, String($0.closes), dollars($0.pnl)]
            }).markdown() + "\n"
        }
        return out
    }

    /// A duration in minutes, with days beside it from a day on (durations run over nights and weekends).
    static func minutes(_ m: Double) -> String {
        let text = formatStatistic(m, digits: m.rounded() == m ? 0 : 1) + " min"
        return m >= 1_440 ? text + " (\(formatStatistic(m / 1_440, digits: 1)) d)" : text
    }
}
