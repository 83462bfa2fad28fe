import Foundation
import TapebenchCore

/// An axis of "nice" ticks for report.html's charts: round values a step of 1, 2 or 5 × 10ᵏ apart, the
/// first at or below the data's lowest value and the last at or above its highest (Heckbert's "nice
/// numbers", Graphics Gems 1990, with the step chosen as the smallest nice step that needs at most
/// `maxTicks` ticks). Ticks are whole multiples of the step, so labels never read 101858.63.
struct NiceScale: Sendable, Equatable {
    /// The axis ends: the first and last ticks.
    var low: Double
    var high: Double
    /// The distance between ticks: m × 10^exponent, m ∈ {1, 2, 5}.
    var step: Double
    /// The step's power of ten (labels need max(0, −exponent) fraction digits).
    var exponent: Int
    /// low / step and high / step: the ticks are k·step for k in first...last.
    var first: Int64
    var last: Int64

    /// The ticks, low to high, each computed as k·step (no accumulated rounding).
    var ticks: [Double] { (first...last).map(tick) }

    /// The k-th multiple of the step: k·m / 10^−e below one, so that 0.6 is 3·2/10, not 3·0.2 = 0.6000000000000001.
    func tick(_ k: Int64) -> Double {
        exponent >= 0 ? Double(k) * step : Double(k) * mantissa / NiceScale.powerOfTen(-exponent)
    }

    /// The step's leading digit: 1, 2 or 5.
    var mantissa: Double { (step / NiceScale.powerOfTen(exponent)).rounded() }

    /// Fraction digits a label needs to show every tick exactly.
    var digits: Int { max(0, -exponent) }

    /// The scale over [minimum, maximum] with at most `maxTicks` ticks (at least 3). A single value gets
    /// a range around it: ± its own power of ten (5 → 4…6 by 0.5; 0, ± 1 → −1…1 by 0.5).
    init(minimum: Double, maximum: Double, maxTicks: Int = 6) {
        // Clamped to ±10¹⁵, and a range under a billionth of the values taken as one value: tick indexes stay
        // far inside Int64 and every step is wider than Double's resolution at the values.
        func clamp(_ v: Double) -> Double { v.isFinite ? min(max(v, -1e15), 1e15) : 0 }
        var lo = clamp(minimum), hi = clamp(maximum)
        if lo > hi { swap(&lo, &hi) }
        if hi - lo <= max(abs(lo), abs(hi)) * 1e-9 {
            hi = lo
            let magnitude = lo == 0 ? 1 : NiceScale.powerOfTen(NiceScale.floorLog10(abs(lo)))
            lo -= magnitude
            hi += magnitude
        }
        // Three ticks at least: with two, a range across zero never fits (−1·step…1·step is two intervals).
        let intervals = Double(max(3, maxTicks) - 1)
        var exponent = NiceScale.floorLog10((hi - lo) / intervals)
        var mantissaIndex = 0
        let mantissas = [1.0, 2.0, 5.0]
        // The smallest nice step at or above the raw one whose ticks (from floor to ceil) number at most maxTicks.
        while true {
            let m = mantissas[mantissaIndex]
            let step = exponent >= 0 ? m * NiceScale.powerOfTen(exponent) : m / NiceScale.powerOfTen(-exponent)
            // v / step, as v·10^−e / m below one (0.6 / 0.2 is 2.9999999999999996, 0.6·10 / 2 is 3).
            func steps(_ v: Double) -> Double { exponent >= 0 ? v / step : v * NiceScale.powerOfTen(-exponent) / m }
            let first = steps(lo).rounded(.down), last = steps(hi).rounded(.up)
            if last - first <= intervals {
                self.step = step
                self.exponent = exponent
                self.first = Int64(first)
                self.last = Int64(last)
                self.low = 0
                self.high = 0
                low = tick(self.first)
                high = tick(self.last)
                return
            }
            mantissaIndex += 1
            if mantissaIndex == mantissas.count {
                mantissaIndex = 0
                exponent += 1
            }
        }
    }

    /// A tick's label: the value with the scale's fraction digits, thousands grouped with commas when
    /// whole (100,000, 2,000), so that the labels of one axis read alike.
    func label(_ value: Double) -> String {
        NiceScale.grouped(formatStatistic(value, digits: digits))
    }

    /// A number's whole part with its thousands grouped by commas: "-101858.63" → "-101,858.63".
    static func grouped(_ number: String) -> String {
        let negative = number.hasPrefix("-")
        let body = negative ? number.dropFirst() : Substring(number)
        let whole = Array(body.prefix { $0 != "." }), rest = body.dropFirst(whole.count)
        var out = negative ? "-" : ""
        for (i, c) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out + rest
    }

    /// ⌊log₁₀ v⌋ for v > 0, exact at powers of ten (where `log10` can land just below the integer).
    static func floorLog10(_ v: Double) -> Int {
        guard v > 0, v.isFinite else { return 0 }
        var e = Int(log10(v).rounded(.down))
        if powerOfTen(e + 1) <= v { e += 1 }
        if powerOfTen(e) > v { e -= 1 }
        return e
    }

    /// 10^e: exact for e ≥ 0 up to 10²²; a negative e as 1 / 10^−e (correctly rounded).
    static func powerOfTen(_ e: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(e) { result *= 10 }
        return e >= 0 ? result : 1 / result
    }
}
