import TapebenchCore

/// The distribution of slippage per fill (basis points against the trader, at the reference price) in
/// bounded memory: counts in bins of equal width, at most `maxBins` of them from the lowest to the
/// highest. The width starts at 1/128 bp and doubles (neighbouring bins merging) whenever the values
/// spread beyond `maxBins` bins, so the result depends only on the values, not on their order: it is the
/// histogram of all of them at the smallest such width.
public struct SlippageHistogram: Sendable, Hashable {
    public static let maxBins = 64
    /// Values are clamped to ±10¹² bp (a bin index stays well inside `Int64`).
    static let bound = 1e12

    /// Bin width in basis points: 2^k / 128.
    public private(set) var width = 1.0 / 128
    /// Count per bin; bin `i` holds values in [i·width, (i+1)·width).
    public private(set) var counts: [Int64: Int] = [:]
    public private(set) var total = 0
    /// The lowest and highest values added (after clamping): equal when every fill slipped the same.
    public private(set) var minimum: Double?
    public private(set) var maximum: Double?
    private var low: Int64?
    private var high: Int64?

    public init() {}

    /// The slippage of one fill: its cost over its notional at the reference price, in basis points.
    public static func basisPoints(_ fill: Fill) -> Double {
        let notional = fill.referencePrice.wideProduct(fill.quantity)  // wide: at the reference price, never checked
        guard notional != 0 else { return 0 }
        return double(fill.wideSlippageCost) / double(notional) * 10_000
    }

    /// `Double(value)`, through `Int64` when it fits: the same rounding, without the generic 128-bit conversion.
    static func double(_ value: Int128) -> Double {
        if let narrow = Int64(exactly: value) { return Double(narrow) }
        return Double(value)
    }

    public mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        let v = min(max(value, -SlippageHistogram.bound), SlippageHistogram.bound)
        let bin = Int64((v / width).rounded(.down))
        counts[bin, default: 0] += 1
        total += 1
        minimum = min(minimum ?? v, v)
        maximum = max(maximum ?? v, v)
        low = min(low ?? bin, bin)
        high = max(high ?? bin, bin)
        while let l = low, let h = high, h - l + 1 > Int64(SlippageHistogram.maxBins) {
            width *= 2
            var merged: [Int64: Int] = [:]
            for (bin, count) in counts { merged[floorDivide(bin, 2).quotient, default: 0] += count }
            counts = merged
            low = floorDivide(l, 2).quotient
            high = floorDivide(h, 2).quotient
        }
    }

    /// The bins from the lowest to the highest, empty ones included: (lower edge in bp, count).
    public var bins: [(low: Double, count: Int)] {
        guard let low, let high else { return [] }
        return (low...high).map { (Double($0) * width, counts[$0] ?? 0) }
    }
}
