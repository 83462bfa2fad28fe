import TapebenchCore

/// Statistics of a lane's round trips (`RoundTrip`), kept as they close, in memory that does not grow with
/// the run: counts, exact sums, a running mean and variance of net P&L (Welford), and durations in a
/// bounded histogram (`DurationHistogram`).
public struct RoundTripStatistics: Sendable, Hashable {
    /// SQN's √N stops growing at this many trips (Van Tharp's cap, as commonly applied: beyond 100 trades
    /// the score would grow with the sample size rather than the system's quality).
    public static let sqnTradeCap = 100

    public private(set) var count = 0
    /// Trips with gross P&L > 0 (before costs) and with net P&L > 0 (after commissions); 0 counts as a loss.
    public private(set) var winsBeforeCosts = 0
    public private(set) var winsAfterCosts = 0
    /// Σ gross P&L and Σ commissions, units of 1e-8.
    public private(set) var grossPnLWide: Int128 = 0
    public private(set) var commissionsWide: Int128 = 0
    /// Running mean and Σ squared deviations of net P&L in dollars (Welford's method).
    private var meanNet = 0.0
    private var squaredDeviations = 0.0
    public private(set) var durations = DurationHistogram()

    public init() {}

    public mutating func add(_ trip: RoundTrip) {
        count += 1
        if trip.grossPnL.raw > 0 { winsBeforeCosts += 1 }
        if trip.netPnL.raw > 0 { winsAfterCosts += 1 }
        grossPnLWide += trip.grossPnL.wide
        commissionsWide += trip.commissions.wide
        let net = trip.netPnL.doubleValue
        let delta = net - meanNet
        meanNet += delta / Double(count)
        squaredDeviations += delta * (net - meanNet)
        durations.add(trip.durationMinutes)
    }

    public var winRateBeforeCosts: Double { count == 0 ? 0 : Double(winsBeforeCosts) / Double(count) }
    public var winRateAfterCosts: Double { count == 0 ? 0 : Double(winsAfterCosts) / Double(count) }
    /// Mean net P&L per trip, in dollars.
    public var meanNetPnL: Double { meanNet }
    /// Sample standard deviation (n − 1) of net P&L per trip, in dollars (0 with fewer than two trips).
    public var netPnLStandardDeviation: Double { count < 2 ? 0 : (squaredDeviations / Double(count - 1)).squareRoot() }

    /// Van Tharp's System Quality Number over the trips' net P&L in dollars (R = net P&L of a trip, as
    /// backtrader's SQN analyzer takes it, since a trip has no stated initial risk):
    /// `√min(N, 100) × mean(R) / stdev(R)`, sample standard deviation. Nil with fewer than two trips or
    /// when every trip made the same.
    public var sqn: Double? {
        let sd = netPnLStandardDeviation
        guard count >= 2, sd > 0 else { return nil }
        return Double(min(count, RoundTripStatistics.sqnTradeCap)).squareRoot() * meanNet / sd
    }
}

/// Durations in whole minutes, counted in a bounded histogram: exact below 1 024 minutes, above that in
/// buckets of 1/512 of a power of two (relative width under 0.2 %), so a year of trips keeps a few thousand
/// buckets at most. Mean and max are exact; the median is exact below 1 024 minutes, otherwise a bucket's
/// lower edge.
public struct DurationHistogram: Sendable, Hashable {
    static let exactBelow: Int64 = 1_024
    private var counts: [Int64: Int] = [:]
    public private(set) var count = 0
    public private(set) var totalMinutes: Int128 = 0
    public private(set) var maxMinutes: Int64 = 0

    public init() {}

    public mutating func add(_ minutes: Int64) {
        let m = max(minutes, 0)
        counts[DurationHistogram.bucket(m), default: 0] += 1
        count += 1
        totalMinutes += Int128(m)
        maxMinutes = max(maxMinutes, m)
    }

    /// A duration's bucket: itself below `exactBelow`, else its lower edge with 10 significant bits.
    static func bucket(_ minutes: Int64) -> Int64 {
        guard minutes >= exactBelow else { return minutes }
        let shift = (63 - minutes.leadingZeroBitCount) - 9
        return (minutes >> shift) << shift
    }

    public var meanMinutes: Double { count == 0 ? 0 : Double(totalMinutes) / Double(count) }

    /// The median: the middle duration, or the mean of the two middle ones for an even count (0 when empty).
    public var medianMinutes: Double {
        guard count > 0 else { return 0 }
        let lower = value(atRank: (count - 1) / 2), upper = value(atRank: count / 2)
        return (Double(lower) + Double(upper)) / 2
    }

    /// The duration of rank `rank` (0 is the shortest), buckets in order.
    private func value(atRank rank: Int) -> Int64 {
        var seen = 0
        for bucket in counts.keys.sorted() {
            seen += counts[bucket]!
            if seen > rank { return bucket }
        }
        return maxMinutes
    }
}
