import TapebenchCore

/// Statistics of a daily equity series. Returns are simple daily returns of end-of-day equity, the
/// first against the initial balance; annualization uses 252 trading days; the risk-free rate is 0.
public enum ReturnStatistics {
    public static let tradingDaysPerYear = 252.0

    /// `last / first − 1` (0 for fewer than two points).
    public static func totalReturn(_ equities: [Money]) -> Double {
        guard let first = equities.first, let last = equities.last, first.raw != 0 else { return 0 }
        return Double(last.wide - first.wide) / Double(first.raw)
    }

    /// Compound annual growth: `(last / first)^(252 / days) − 1`, days = number of daily returns.
    public static func cagr(_ equities: [Money]) -> Double {
        let days = equities.count - 1
        guard days > 0, let first = equities.first, let last = equities.last, first.raw > 0, last.raw > 0 else { return 0 }
        return pow(Double(last.raw) / Double(first.raw), tradingDaysPerYear / Double(days)) - 1
    }

    /// Sample standard deviation of daily returns × √252.
    public static func annualizedVolatility(_ returns: [Double]) -> Double {
        guard returns.count >= 2 else { return 0 }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        return variance.squareRoot() * tradingDaysPerYear.squareRoot()
    }

    /// Mean daily return over the downside deviation × √252; downside deviation = √(Σ min(r, 0)² / n).
    /// 0 when there is no downside (or fewer than two returns).
    public static func sortino(_ returns: [Double]) -> Double {
        guard returns.count >= 2 else { return 0 }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let downside = (returns.reduce(0) { $0 + min($1, 0) * min($1, 0) } / Double(returns.count)).squareRoot()
        guard downside > 0 else { return 0 }
        return mean / downside * tradingDaysPerYear.squareRoot()
    }

    /// CAGR over the maximum drawdown (0 without a drawdown).
    public static func calmar(_ equities: [Money]) -> Double {
        let drawdown = Performance.maxDrawdown(equities)
        return drawdown > 0 ? cagr(equities) / drawdown : 0
    }

    /// The longest stretch, in daily points, from a peak until equity is back at it (or the series ends).
    public static func maxDrawdownDuration(_ equities: [Money]) -> Int {
        var peak = Int64.min, peakIndex = 0, longest = 0
        for (i, e) in equities.enumerated() {
            if e.raw >= peak {
                peak = e.raw
                peakIndex = i
            } else {
                longest = max(longest, i - peakIndex)
            }
        }
        return longest
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
