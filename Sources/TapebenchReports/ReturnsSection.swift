import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// report.md's benchmark line and returns tables: monthly returns of every lane beside buy and hold, and
/// daily returns when the run is short enough to read them (`dailyRowsLimit` trading days); every day is
/// in returns.csv either way.
enum ReturnsSection {
    static let dailyRowsLimit = 31

    /// One line under the headline: what buy and hold of the tickers made.
    static func benchmarkLine(_ digest: RunDigest) -> String {
        let b = digest.benchmark
        guard !b.days.isEmpty else { return "" }
        return "**Buy and hold** of \(b.tickers.joined(separator: ", ")): return \(percentText(b.returnFraction)), equity \(formatStatistic(b.finalEquity, digits: 2)); "
            + "\(BenchmarkSeries.rule). Each agent's alpha and beta against it are in its statistics.\n\n"
    }

    static func markdown(_ digest: RunDigest) -> String {
        let b = digest.benchmark
        guard !b.days.isEmpty else { return "" }
        let header = ["period"] + digest.lanes.map { "\($0.config.id) · \($0.variant)" } + ["buy & hold"]
        var out = "## Returns\n\n"
        out += "Simple returns of end-of-day equity, each period against the end of the previous one (the first against the initial balance). "
        out += "Every day, and every month, is in `returns.csv`.\n\n"
        out += "Monthly:\n\n" + table(header, laneRows: digest.lanes.map(\.monthlyReturns), benchmark: b.monthlyReturns).markdown() + "\n"
        if b.days.count <= dailyRowsLimit {
            out += "Daily:\n\n" + table(header, laneRows: digest.lanes.map(\.dailyReturns), benchmark: b.dailyReturns).markdown() + "\n"
        }
        return out
    }

    /// Rows by the benchmark's periods (every trading day of the replay is one), a lane's cell empty where it has none.
    private static func table(_ header: [String], laneRows: [[PeriodReturn]], benchmark: [PeriodReturn]) -> Table {
        let lanes = laneRows.map { rows in Dictionary(rows.map { ($0.period, $0.returnFraction) }, uniquingKeysWith: { a, _ in a }) }
        return Table(header: header, rows: benchmark.map { period in
            [period.period] + lanes.map { $0[period.period].map(percentText) ?? "" } + [percentText(period.returnFraction)]
        })
    }
}
