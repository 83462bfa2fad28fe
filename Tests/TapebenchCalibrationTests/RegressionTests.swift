import Foundation
import TapebenchCalibration
import TapebenchCore
import Testing

@Suite struct RegressionTests {
    // Three points (1, 2), (2, 3), (3, 7): Σxy = 2 + 6 + 21 = 29, Σx² = 1 + 4 + 9 = 14.
    let x = [1.0, 2, 3], y = [2.0, 3, 7]

    @Test("least squares through the origin on three points is Σxy / Σx² = 29/14")
    func leastSquaresThreePoints() throws {
        let beta = try #require(Regression.leastSquares(x: x, y: y))
        #expect(abs(beta - 29.0 / 14.0) < 1e-12)
    }

    @Test("weighted least squares: weights 1, 1/2, 1/3 give Σwxy = 12 over Σwx² = 6, so 2")
    func weightedLeastSquares() throws {
        let beta = try #require(Regression.leastSquares(x: x, y: y, weights: [1, 0.5, 1.0 / 3]))
        #expect(abs(beta - 2) < 1e-12)
    }

    @Test("nothing to fit when every regressor is 0")
    func allZeroRegressor() {
        #expect(Regression.leastSquares(x: [0, 0, 0], y: [1, 2, 3]) == nil)
        #expect(Regression.huber(x: [0, 0], y: [1, 2]) == nil)
    }

    @Test("Huber's weights: 1 within the threshold, threshold / |r| beyond it")
    func huberWeights() {
        let weights = Regression.huberWeights(residuals: [0.5, -2, 3, -1], threshold: 1)
        #expect(weights == [1, 0.5, 1.0 / 3, 1])
    }

    @Test("the MAD scale of 1, 2, 3, 4, 100 is median |r − 3| = 1 over 0.6745")
    func madScale() {
        #expect(abs(Regression.madScale([1, 2, 3, 4, 100]) - 1 / 0.6744897501960817) < 1e-12)
        #expect(Regression.median([4, 1, 3, 2]) == 2.5)
    }

    @Test("the quickselect median equals the middle of the sorted values, duplicates and all")
    func medianBySelection() {
        var rng = Xoshiro256(seed: 1, key: "median")
        for n in 1...60 {
            let values = (0..<n).map { _ in Double(Bootstrap.index(&rng, below: 7)) - 3 }
            let sorted = values.sorted()
            let expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
            #expect(Regression.median(values) == expected, "\(values)")
        }
    }

    @Test("type-7 quantiles: 1, 2, 3, 4 has p25 = 1.75 and p50 = 2.5")
    func quantiles() {
        #expect(Regression.quantile(sorted: [1, 2, 3, 4], 0.25) == 1.75)
        #expect(Regression.quantile(sorted: [1, 2, 3, 4], 0.5) == 2.5)
        #expect(Regression.quantile(sorted: [1, 2, 3, 4], 1) == 4)
        #expect(Regression.quantile(sorted: [5], 0.9) == 5)
    }

    @Test("Huber is not pulled by one far outlier that moves least squares tenfold")
    func huberResistsOutlier() throws {
        let xs = Array(repeating: 1.0, count: 10)
        let ys = [0.9, 1.1, 1.0, 0.95, 1.05, 1.0, 0.98, 1.02, 1.01, 100]
        let ols = try #require(Regression.leastSquares(x: xs, y: ys))
        let robust = try #require(Regression.huber(x: xs, y: ys))
        #expect(ols > 10)
        #expect(abs(robust - 1) < 0.1)
    }

    @Test("Huber equals least squares when no residual is beyond the threshold")
    func huberWithoutOutliers() throws {
        // β = 29.8/30; residuals 0.107, −0.087, 0.12, −0.073: MAD scale 0.143, threshold 0.193: every weight is 1.
        let xs = [1.0, 2, 3, 4], ys = [1.1, 1.9, 3.1, 3.9]
        let ols = try #require(Regression.leastSquares(x: xs, y: ys))
        let robust = try #require(Regression.huber(x: xs, y: ys))
        #expect(abs(ols - robust) < 1e-12)
    }

    @Test("fit quality of 29/14 on the three points, by hand")
    func fitQuality() {
        // Residuals −1/14, −16/14, 11/14: SSR = 378/196, SST about the mean 4 = 14.
        let q = FitQuality(x: x, y: y, beta: 29.0 / 14.0)
        let ssr = 378.0 / 196.0
        #expect(q.n == 3)
        #expect(abs(q.rmse - (ssr / 3).squareRoot()) < 1e-12)
        #expect(abs(q.mae - 28.0 / 42.0) < 1e-12)
        #expect(abs(q.rSquared! - (1 - ssr / 14)) < 1e-12)
        #expect(abs(q.aic - (3 * log(ssr / 3) + 4)) < 1e-12)
        #expect(abs(q.bic - (3 * log(ssr / 3) + 2 * log(3.0))) < 1e-12)
        #expect(abs(q.aic - 2.674501) < 1e-6)
    }

    @Test("R² is absent when every shortfall is the same")
    func rSquaredUndefined() {
        #expect(FitQuality(x: [1, 2], y: [3, 3], beta: 1).rSquared == nil)
        // Shortfalls equal but for the 1e-8 rounding of replayed prices: no variation to explain either.
        #expect(FitQuality(x: [1, 1, 1], y: [1, 1 + 1e-12, 1 - 1e-12], beta: 1).rSquared == nil)
        #expect(FitQuality(x: [1, 1], y: [1, 1.00001], beta: 1).rSquared != nil)
    }
}

@Suite struct BootstrapTests {
    @Test("a fixed seed draws the same indices, all below n, and another seed others")
    func seededIndices() {
        func draws(_ seed: UInt64) -> [Int] {
            var rng = Xoshiro256(seed: seed, key: "k")
            return (0..<50).map { _ in Bootstrap.index(&rng, below: 7) }
        }
        #expect(draws(1) == draws(1))
        #expect(draws(1) != draws(2))
        #expect(draws(1).allSatisfy { (0..<7).contains($0) })
        #expect(Set(draws(1)).count == 7)
    }

    @Test("an exact line y = 2x gives the interval [2, 2] from every resample")
    func exactLine() throws {
        let x = [1.0, 2, 3, 4, 5], y = x.map { 2 * $0 }
        let estimates = Bootstrap.estimates(count: 5, samples: 200, seed: 3, key: "line") { idx in
            Regression.leastSquares(x: idx.map { x[$0] }, y: idx.map { y[$0] })
        }
        #expect(estimates.count == 200)
        let interval = try #require(Bootstrap.interval(estimates))
        #expect(abs(interval.low - 2) < 1e-12 && abs(interval.high - 2) < 1e-12)
    }

    @Test("the percentile interval of 1…100 at 95 % is the type-7 2.5th and 97.5th percentiles")
    func percentileInterval() throws {
        let interval = try #require(Bootstrap.interval((1...100).map(Double.init)))
        // h = 99 × 0.025 = 2.475 → 3.475; h = 99 × 0.975 = 96.525 → 97.525.
        #expect(abs(interval.low - 3.475) < 1e-9)
        #expect(abs(interval.high - 97.525) < 1e-9)
    }

    @Test("the same seed gives the same interval; resamples the estimator cannot fit are left out")
    func deterministicAndSkipping() {
        let x = [0.0, 0, 0, 0, 3], y = [1.0, 2, 1, 2, 4]
        let run = {
            Bootstrap.estimates(count: 5, samples: 300, seed: 9, key: "k") { idx in Regression.leastSquares(x: idx.map { x[$0] }, y: idx.map { y[$0] }) }
        }
        let first = run()
        #expect(first == run())
        #expect(first.count < 300)  // a third of resamples draw only x = 0 points: (4/5)^5
        #expect(first == first.sorted())
    }
}
