import TapebenchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Correlation of two tickers' recent returns.
public enum Correlation {
    /// Pearson correlation of one-bar log returns over the bars both windows hold for the same start
    /// times (a return counts when both of its bars are in both windows). Nil below `minimumShared`
    /// shared returns or without variation.
    public static func ofReturns(_ a: BarWindow, _ b: BarWindow, minimumShared: Int) -> Double? {
        func returns(_ w: BarWindow) -> [Timestamp: Double] {
            var result: [Timestamp: Double] = [:]
            for i in 1..<max(w.count, 1) where w[i - 1].close.raw > 0 && w[i].close.raw > 0 {
                result[w[i].start] = log(w[i].close.doubleValue / w[i - 1].close.doubleValue)
            }
            return result
        }
        let ra = returns(a), rb = returns(b)
        let shared = ra.keys.filter { rb[$0] != nil }.sorted()
        guard shared.count >= minimumShared else { return nil }
        let xs = shared.map { ra[$0]! }, ys = shared.map { rb[$0]! }
        let n = Double(shared.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in zip(xs, ys) {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
            syy += (y - my) * (y - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
