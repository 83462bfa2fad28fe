import TapebenchCore

/// Performance statistics. Floating point is used here only, never for money.
public enum Performance {
    /// Simple returns between consecutive equities: `e[i] / e[i−1] − 1`.
    public static func returns(_ equities: [Money]) -> [Double] {
        guard equities.count > 1 else { return [] }
        return (1..<equities.count).map { (i: Int) -> Double in
            let before = Double(equities[i - 1].raw)
            let change = Double(equities[i].wide - equities[i - 1].wide)  // wide: any two amounts
            return before == 0 ? 0 : change / before
        }
    }

    /// Annualized Sharpe ratio of daily returns, risk-free rate 0:
    /// `mean(r) / stdev(r) × √252`, with the sample standard deviation (n − 1).
    /// 0 when there are fewer than two returns or they do not vary.
    public static func sharpe(dailyReturns r: [Double]) -> Double {
        guard r.count >= 2 else { return 0 }
        let mean = r.reduce(0, +) / Double(r.count)
        let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r.count - 1)
        guard variance > 0 else { return 0 }
        return mean / variance.squareRoot() * (252.0).squareRoot()
    }

    /// The largest fall from a running peak, as a fraction of that peak (0 when equity never falls).
    public static func maxDrawdown(_ equities: [Money]) -> Double {
        var peak = Int64.min
        var worst = 0.0
        for e in equities {
            peak = max(peak, e.raw)
            if peak > 0 { worst = max(worst, Double(Int128(peak) - e.wide) / Double(peak)) }
        }
        return worst
    }

    /// The fall of the last equity from the running peak, as a fraction of the peak.
    public static func currentDrawdown(_ equities: [Money]) -> Double {
        guard let last = equities.last, let peak = equities.map(\.raw).max(), peak > 0 else { return 0 }
        return Double(Int128(peak) - last.wide) / Double(peak)
    }
}
