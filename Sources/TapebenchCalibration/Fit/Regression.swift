#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fitting math, as pure functions of arrays. Every slippage model of Tapebench predicts the shortfall
/// in basis points as one parameter times a regressor (`SlippageFitModel.regressor`), so each fit is a
/// regression through the origin, y = β·x.
public enum Regression {
    /// Least squares through the origin: β = Σxy / Σx²; nil when every x is 0 (nothing to fit).
    public static func leastSquares(x: [Double], y: [Double], weights: [Double]? = nil) -> Double? {
        var sxy = 0.0, sxx = 0.0
        for i in x.indices {
            let w = weights?[i] ?? 1
            sxy += w * x[i] * y[i]
            sxx += w * x[i] * x[i]
        }
        return sxx > 0 ? sxy / sxx : nil
    }

    /// Huber's weights: 1 for a residual within `threshold`, `threshold / |r|` beyond it (so a far residual
    /// counts linearly, not squared).
    public static func huberWeights(residuals: [Double], threshold: Double) -> [Double] {
        residuals.map { r in abs(r) <= threshold ? 1 : threshold / abs(r) }
    }

    /// The robust scale of residuals: median absolute deviation from the median / 0.6745 (σ for normal errors).
    public static func madScale(_ residuals: [Double]) -> Double {
        guard !residuals.isEmpty else { return 0 }
        let center = median(residuals)
        var deviations = residuals
        for i in deviations.indices { deviations[i] = abs(deviations[i] - center) }
        return median(deviations) / 0.674_489_750_196_081_7
    }

    /// The median (the mean of the two middle values for an even count); 0 for no values.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        var work = values
        let n = work.count
        return work.withUnsafeMutableBufferPointer { b in
            let upper = select(b, n / 2)
            return n % 2 == 1 ? upper : (select(b, n / 2 - 1) + upper) / 2
        }
    }

    /// The k-th smallest value (0-based) by quickselect, reordering `b` (the bootstrap takes thousands of
    /// medians; a full sort each time is the slow part). Middle-element pivot, Hoare partition.
    static func select(_ b: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var low = 0, high = b.count - 1
        while low < high {
            let pivot = b[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while b[i] < pivot { i += 1 }
                while b[j] > pivot { j -= 1 }
                if i <= j {
                    b.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return b[k] }
        }
        return b[k]
    }

    /// Huber M-estimate through the origin by iteratively reweighted least squares, from the least-squares
    /// start, with the scale re-estimated (MAD) each step and the threshold `tuning` × scale (1.345: 95 %
    /// efficiency under normal errors, as statsmodels' `HuberT`). Stops when β moves by less than 1e-9
    /// relative (far below any interval it is reported with), or after 100 steps.
    public static func huber(x: [Double], y: [Double], tuning: Double = 1.345) -> Double? {
        guard var beta = leastSquares(x: x, y: y) else { return nil }
        var residuals = y
        for _ in 0..<100 {
            for i in x.indices { residuals[i] = y[i] - beta * x[i] }
            let scale = madScale(residuals)
            guard scale > 0 else { return beta }  // more than half the points fit exactly: nothing to down-weight
            let weights = huberWeights(residuals: residuals, threshold: tuning * scale)
            guard let next = leastSquares(x: x, y: y, weights: weights) else { return beta }
            let converged = abs(next - beta) <= 1e-9 * max(1, abs(beta))
            beta = next
            if converged { break }
        }
        return beta
    }

    /// The p-quantile of sorted values, linear between order statistics (Hyndman–Fan type 7, numpy's default).
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty, "the quantile of no values")
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}

/// How well a fit y ≈ β·x describes the data (residuals r = y − β·x, in basis points).
public struct FitQuality: Sendable, Hashable {
    public var n: Int
    public var rmse: Double
    public var mae: Double
    /// 1 − SSR/SST (SST about the mean of y); nil when the shortfalls do not vary (standard deviation under
    /// 1e-6 bp: a replay's own fills differ only by the 1e-8 rounding of prices, which would make R² noise).
    /// Through the origin it can be negative: the model does worse than the mean.
    public var rSquared: Double?
    /// Gaussian: n·ln(SSR/n) + 2k and n·ln(SSR/n) + k·ln n, k = 2 (β and the error variance).
    public var aic: Double
    public var bic: Double

    public init(x: [Double], y: [Double], beta: Double, parameters: Int = 1) {
        n = y.count
        var ssr = 0.0, sae = 0.0
        for i in y.indices {
            let r = y[i] - beta * x[i]
            ssr += r * r
            sae += abs(r)
        }
        let count = Double(max(n, 1))
        rmse = (ssr / count).squareRoot()
        mae = sae / count
        let mean = y.reduce(0, +) / count
        let sst = y.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
        rSquared = (sst / count).squareRoot() >= 1e-6 ? 1 - ssr / sst : nil
        // A perfect fit has SSR 0: the floor keeps the criteria finite (and lowest).
        let k = Double(parameters + 1)
        let logLikelihoodTerm = count * log(max(ssr / count, 1e-300))
        aic = logLikelihoodTerm + 2 * k
        bic = logLikelihoodTerm + k * log(count)
    }
}
