import TapebenchCore

/// How many shares a new position gets.
public enum PositionSizing {
    /// Fixed: `⌊equity × position_size / price⌋` (the reference: 10 %).
    /// Volatility: `⌊equity × target / (price × σ₁d)⌋`, σ₁d the standard deviation of the window's one-minute
    /// log returns × √390 (one session), capped at the risk limit's largest position so the order is not
    /// simply rejected. Without enough bars to measure σ, no position.
    /// Never more than `Limits.maxShares` (a tiny price beside a large equity asks for more; the order is
    /// then judged by the risk checks like any other).
    public static func quantity(equity: Money, price: Price, window: BarWindow, settings: OrchestratorSettings, maxPositionBasisPoints: Int64) -> Int64 {
        guard price.raw > 0 else { return 0 }
        guard let target = settings.volatilityTargetBasisPoints else {
            return min(equity.scaled(by: settings.positionSizeBasisPoints, over: 10_000).wholeUnits(dividedBy: price), Limits.maxShares)
        }
        guard let sigma = dailyVolatility(window), sigma > 0 else { return 0 }
        let budget = equity.doubleValue * Double(target) / 10_000
        let shares = (budget / (price.doubleValue * sigma)).rounded(.down)
        guard shares >= 1 else { return 0 }  // also NaN
        let byVolatility = shares >= Double(Limits.maxShares) ? Limits.maxShares : Int64(shares)
        let cap = equity.scaled(by: maxPositionBasisPoints, over: 10_000).wholeUnits(dividedBy: price)
        return max(0, min(byVolatility, cap))
    }

    /// σ of one-minute log returns over the window, scaled to a 390-minute session; nil below 10 returns.
    public static func dailyVolatility(_ window: BarWindow) -> Double? {
        guard window.count >= 11 else { return nil }
        var returns: [Double] = []
        for i in 1..<window.count {
            let a = window[i - 1].close.doubleValue, b = window[i].close.doubleValue
            if a > 0, b > 0 { returns.append(log(b / a)) }
        }
        guard returns.count >= 10 else { return nil }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        return variance.squareRoot() * 390.0.squareRoot()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
