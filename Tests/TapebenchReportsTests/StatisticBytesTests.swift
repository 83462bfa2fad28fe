import Testing
import TapebenchCore
@testable import TapebenchReports

/// equity.csv's drawdown is written straight into the row's buffer now: the bytes `formatStatistic` gives.
@Suite struct StatisticBytesTests {
    static func written(_ value: Double, digits: Int) -> String {
        var out = ByteText()
        out.append(statistic: value, digits: digits)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    @Test("special values and edges, 0 to 8 digits, read as formatStatistic writes them")
    func edges() {
        let values: [Double] = [0, -0.0, 1, -1, 0.5, 0.0000005, 0.0000015, -0.0000004, 0.123456789, 1.999_999_95, 12_345.678_9,
                                -98_765.432_1, 9e17, 9.2e18, -9.3e18, 1e300, .nan, .infinity, -.infinity, .leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, 0.1 + 0.2]
        for value in values {
            for digits in 0...8 { #expect(Self.written(value, digits: digits) == formatStatistic(value, digits: digits), "\(value) \(digits)") }
        }
    }

    /// How many of 20,000 values, each made by `value` from a seeded unit in [0, 1) and its index, are written
    /// otherwise than `formatStatistic` writes them with `digits`.
    static func seededMismatches(seed: UInt64, digits: Int, _ value: (Double, Int) -> Double) -> Int {
        var state = seed
        var wrong = 0
        for i in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let x = value(Double(state >> 11) / Double(1 << 53), i)
            if Self.written(x, digits: digits) != formatStatistic(x, digits: digits) { wrong += 1 }
        }
        return wrong
    }

    @Test("20,000 seeded drawdowns and ratios, 6 digits (as equity.csv writes them)")
    func seeded() {
        #expect(Self.seededMismatches(seed: 42, digits: 6) { unit, i in i % 2 == 0 ? unit : (unit - 0.5) * Self.pow10(Double(i % 12)) } == 0)
    }

    @Test("20,000 seeded percentages, 4 digits (as round_trips.csv writes return_pct, mae_pct and mfe_pct)")
    func seededPercentages() {
        #expect(Self.seededMismatches(seed: 7, digits: 4) { unit, i in (unit - 0.5) * Self.pow10(Double(i % 16)) * 100 } == 0)
    }

    @Test("hand-checked: a drawdown of 0.0123454 is 0.012345, of 0.0000005 (to even) 0.000000, of −2.5 −2.500000")
    func handChecked() {
        #expect(Self.written(0.0123454, digits: 6) == "0.012345")
        #expect(Self.written(0.0000005, digits: 6) == "0.000000")
        #expect(Self.written(-2.5, digits: 6) == "-2.500000")
    }

    static func pow10(_ e: Double) -> Double { (0..<Int(e)).reduce(1.0) { acc, _ in acc * 10 } }
}
