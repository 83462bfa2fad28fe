import TapebenchCore

/// Percentile bootstrap of an estimator over resampled observations, from a seeded generator: the same
/// seed gives the same draws, so the same intervals, on every run and machine.
public enum Bootstrap {
    /// An index in 0..<n from 64 raw bits (multiply-shift, no `random(in:)`, whose algorithm may change).
    @inlinable public static func index(_ rng: inout Xoshiro256, below n: Int) -> Int {
        Int((UInt128(rng.next()) * UInt128(n)) >> 64)
    }

    /// The `samples` resamples' estimates (a resample the estimator cannot fit is left out), sorted.
    public static func estimates(count n: Int, samples: Int, seed: UInt64, key: String, _ estimator: ([Int]) -> Double?) -> [Double] {
        var rng = Xoshiro256(seed: seed, key: key)
        var values: [Double] = []
        values.reserveCapacity(samples)
        var indices = Array(repeating: 0, count: n)
        for _ in 0..<samples {
            for i in 0..<n { indices[i] = index(&rng, below: n) }
            if let value = estimator(indices), value.isFinite { values.append(value) }
        }
        return values.sorted()
    }

    /// The central `level` interval of bootstrap estimates (percentile method); nil without estimates.
    public static func interval(_ sortedEstimates: [Double], level: Double = 0.95) -> (low: Double, high: Double)? {
        guard !sortedEstimates.isEmpty else { return nil }
        let tail = (1 - level) / 2
        return (Regression.quantile(sorted: sortedEstimates, tail), Regression.quantile(sorted: sortedEstimates, 1 - tail))
    }
}
