import TapebenchCore

/// Performance statistics. Floating point is used here only, never for money.
public enum Performance {
    /// Simple returns between consecutive equities: `e[i] / e[i−1] − 1`.
    public static func returns(_ equities: [Money]) -> [Double] {
        guard equities.count > 1 else { return [] }
        return (1..<equities.count).map { dailyReturn(from: equities[$0 - 1], to: equities[$0]) }
    }

    /// One return, `after / before − 1`; 0 against a zero `before`.
    public static func dailyReturn(from before: Money, to after: Money) -> Double {
        let base = Double(before.raw)
        let change = Double(after.wide - before.wide)  // wide: any two amounts
        return base == 0 ? 0 : change / base
    }

    /// Annualized Sharpe ratio of daily returns, risk-free rate 0:
    /// `mean(r) / stdev(r) × √252`, with the sample standard deviation (n − 1).
    /// 0 when there are fewer than two returns or they do not vary.
    public static func sharpe(dailyReturns r: [Double]) -> Double {
        sharpe(dailyReturns: r, sum: r.reduce(0, +))
    }

    /// The same, given `sum`, the returns added in order (a running series keeps it as it goes).
    public static func sharpe(dailyReturns r: [Double], sum: Double) -> Double {
        guard r.count >= 2 else { return 0 }
        let mean = sum / Double(r.count)
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
            worst = max(worst, fall(of: e, fromPeak: peak))
        }
        return worst
    }

    /// The fall of the last equity from the running peak, as a fraction of the peak.
    public static func currentDrawdown(_ equities: [Money]) -> Double {
        guard let last = equities.last, let peak = equities.map(\.raw).max() else { return 0 }
        return fall(of: last, fromPeak: peak)
    }

    /// How far `equity` stands below `peak`, as a fraction of it (0 when the peak is not positive).
    public static func fall(of equity: Money, fromPeak peak: Int64) -> Double {
        peak > 0 ? Double(Int128(peak) - equity.wide) / Double(peak) : 0
    }
}
