import Testing
@testable import TapebenchReports

/// Axis ticks a person reads as round: steps of 1, 2 or 5 × 10ᵏ, whole multiples of the step, covering
/// the data (issue 14: the equity chart's ticks read 101858.63).
@Suite struct NiceScaleTests {
    @Test("the smallest 1-2-5 step that covers the range in at most maxTicks ticks, ends on multiples of it", arguments: [
        // 2 358.63 / 5 intervals = 471.7: 100 needs 24 intervals, 200 needs 13 (497…510), 500 needs 5 (199…204).
        (99_500.0, 101_858.63, 6, [99_500.0, 100_000, 100_500, 101_000, 101_500, 102_000], 500.0),
        // 1 / 5 = 0.2: a step of 0.1 needs 10 intervals, 0.2 needs 5.
        (0, 1, 6, [0, 0.2, 0.4, 0.6, 0.8, 1.0], 0.2),
        // 3.7 / 5 = 0.74: 0.1 → 37, 0.2 → 19, 0.5 → 8 (−8…0), 1 → 4 (−4…0).
        (-3.7, 0, 6, [-4, -3, -2, -1, 0], 1),
        // 0.0035 / 5 = 0.0007: 0.0001 → 35, 0.0002 → 18, 0.0005 → 8, 0.001 → 4 (1…5).
        (0.0012, 0.0047, 6, [0.001, 0.002, 0.003, 0.004, 0.005], 0.001),
        // One value: ± its power of ten, 4…6; 2 / 5 = 0.4: 0.1 → 20, 0.2 → 10, 0.5 → 4.
        (5, 5, 6, [4, 4.5, 5, 5.5, 6], 0.5),
        // Zero: −1…1; 0.4: 0.5 → 4.
        (0, 0, 6, [-1, -0.5, 0, 0.5, 1], 0.5),
        // Reversed ends are the same range; 3 ticks at most: 7 / 2 = 3.5: 1 → 7 intervals, 2 → 4 (3…7), 5 → 2 (1…3).
        (13, 6, 3, [5, 10, 15], 5),
    ])
    func ticks(low: Double, high: Double, maxTicks: Int, expected: [Double], step: Double) {
        let scale = NiceScale(minimum: low, maximum: high, maxTicks: maxTicks)
        #expect(scale.ticks == expected)
        #expect(scale.step == step)
    }

    @Test("ticks are exact multiples, so 0.6 is 0.6 and labels carry just the step's digits")
    func labels() {
        let tenths = NiceScale(minimum: 0, maximum: 1)
        #expect(tenths.ticks.map(tenths.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let dollars = NiceScale(minimum: 99_500, maximum: 101_858.63)
        #expect(dollars.ticks.map(dollars.label) == ["99,500", "100,000", "100,500", "101,000", "101,500", "102,000"])
        let thousandths = NiceScale(minimum: 0.0012, maximum: 0.0047)
        #expect(thousandths.label(thousandths.tick(3)) == "0.003")
    }

    @Test("thousands grouped in the whole part only", arguments: [
        ("0", "0"), ("999", "999"), ("1000", "1,000"), ("-101858.63", "-101,858.63"), ("1234567.5", "1,234,567.5"), ("-12", "-12"),
    ])
    func grouped(number: String, expected: String) {
        #expect(NiceScale.grouped(number) == expected)
    }

    @Test("whatever the range, the ticks cover it, number at most maxTicks, and step by 1, 2 or 5 × 10ᵏ")
    func covers() {
        let ranges: [(Double, Double)] = [(0.1, 0.1000001), (-1e15, 1e15), (1e12, 1e12 + 1e-3), (-0.03, 0.02), (17, 23_456), (95_978.05, 102_918.87),
                                          (-5.5, -5.4), (.infinity, 3), (0, .nan)]
        for (low, high) in ranges {
            for maxTicks in 3...8 {
                let scale = NiceScale(minimum: low, maximum: high, maxTicks: maxTicks)
                let finite = [low, high].filter(\.isFinite).map { min(max($0, -1e15), 1e15) }
                #expect(scale.ticks.count <= maxTicks, "\(low)…\(high) in \(maxTicks)")
                #expect(scale.low <= (finite.min() ?? 0) && scale.high >= (finite.max() ?? 0), "\(low)…\(high)")
                #expect([1.0, 2, 5].contains(scale.mantissa), "\(scale.step)")
            }
        }
    }
}
