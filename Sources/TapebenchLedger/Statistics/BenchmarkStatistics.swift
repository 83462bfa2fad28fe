import TapebenchCore

/// How a lane's daily returns move with a benchmark's (`BenchmarkStatistics.fit`).
public struct BenchmarkFit: Sendable, Hashable {
    /// Annualized: the daily intercept × 252.
    public var alpha: Double
    public var beta: Double
    /// Daily returns the fit used.
    public var days: Int

    public init(alpha: Double, beta: Double, days: Int) {
        self.alpha = alpha
        self.beta = beta
        self.days = days
    }
}

/// Alpha and beta against a benchmark, from simple daily returns of the same days (the first of each
/// against its initial balance), risk-free rate 0.
public enum BenchmarkStatistics {
    /// `beta = cov(r, b) / var(b)` (sample covariance and variance, n − 1: the ratio is the least-squares
    /// slope); `alpha = (mean(r) − beta × mean(b)) × 252`, the daily intercept annualized by simple scaling.
    /// Nil with fewer than two days, or when the benchmark's returns do not vary.
    public static func fit(returns r: [Double], benchmark b: [Double]) -> BenchmarkFit? {
        let n = min(r.count, b.count)
        guard n >= 2 else { return nil }
        let meanR = r.prefix(n).reduce(0, +) / Double(n), meanB = b.prefix(n).reduce(0, +) / Double(n)
        var covariance = 0.0, variance = 0.0
        for i in 0..<n {
            covariance += (r[i] - meanR) * (b[i] - meanB)
            variance += (b[i] - meanB) * (b[i] - meanB)
        }
        guard variance > 0 else { return nil }
        let beta = covariance / variance  // the (n − 1)s cancel
        return BenchmarkFit(alpha: (meanR - beta * meanB) * ReturnStatistics.tradingDaysPerYear, beta: beta, days: n)
    }
}

/// One row of a returns table: a trading day or a calendar month.
public struct PeriodReturn: Sendable, Hashable {
    /// The day (`2024-03-04`) or the month (`2024-03`).
    public var period: String
    /// The last trading day in the period, and the equity at its end.
    public var lastDay: CivilDate
    public var equity: Double
    /// Equity at the period's end over equity at the previous period's end (the initial balance for the
    /// first), minus 1.
    public var returnFraction: Double

    public init(period: String, lastDay: CivilDate, equity: Double, returnFraction: Double) {
        self.period = period
        self.lastDay = lastDay
        self.equity = equity
        self.returnFraction = returnFraction
    }
}

/// Daily and monthly returns of end-of-day equity. A month's return compounds its days: its last day's
/// equity over the previous month's last day's (the initial balance for the first month) − 1; months are
/// calendar months of the trading dates (America/New_York), a month without trading days has no row.
public enum PeriodReturns {
    public static func daily(_ days: [(date: CivilDate, equity: Double)], initial: Double) -> [PeriodReturn] {
        var previous = initial
        return days.map { day in
            defer { previous = day.equity }
            return PeriodReturn(period: day.date.description, lastDay: day.date, equity: day.equity, returnFraction: change(previous, day.equity))
        }
    }

    public static func monthly(_ days: [(date: CivilDate, equity: Double)], initial: Double) -> [PeriodReturn] {
        var rows: [PeriodReturn] = []
        var previous = initial
        for (i, day) in days.enumerated() {
            let next = i + 1 < days.count ? days[i + 1].date : nil
            guard next.map({ $0.year != day.date.year || $0.month != day.date.month }) ?? true else { continue }
            rows.append(PeriodReturn(period: String(day.date.description.prefix(7)), lastDay: day.date, equity: day.equity,
                                     returnFraction: change(previous, day.equity)))
            previous = day.equity
        }
        return rows
    }

    /// `after / before − 1` (0 from nothing).
    public static func change(_ before: Double, _ after: Double) -> Double { before == 0 ? 0 : after / before - 1 }
}
