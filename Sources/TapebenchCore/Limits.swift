/// The bounds on what Tapebench reads and holds, chosen so that everything derived from them fits a
/// `Fixed` (its doc comment states the overflow rule). A price, volume or quantity read beyond them is
/// refused where it is read, with file, line and field; an amount a run would hold beyond `maxAmount`
/// rejects the order, or stops the run, with a reason.
public enum Limits {
    // The bounds are literal constants and the checks inlinable: readers call them on every field.

    /// The largest price magnitude: $1 000 000 000 a share. The dearest share ever listed costs under
    /// $1 000 000; a price past this is a unit error or an attack, and nine prices still sum inside `Fixed`.
    @inlinable public static var maxPrice: Fixed { Fixed(raw: 100_000_000_000_000_000) }
    /// The largest bar volume, order quantity or position, in shares: 10^15. Every whole number up to it
    /// is exact as a `Double` (2^53 ≈ 9.007 × 10^15), and the sum of two is far inside `Int64`.
    @inlinable public static var maxShares: Int64 { 1_000_000_000_000_000 }
    /// The largest amount of money a run holds: $10 000 000 000 (cash, equity, a fill's notional, a
    /// position's cost or value, a running total). Nine of them still sum inside `Fixed` (±$92.2 billion),
    /// so reports may add and subtract a few without checks.
    @inlinable public static var maxAmount: Fixed { Fixed(raw: 1_000_000_000_000_000_000) }
    /// The earliest and latest bar times Tapebench reads: the years 1900 to 2149, with a day's margin for
    /// time zones (1899-12-31 and 2150-01-02, 00:00 UTC). 250 years, inside the 292 that an `Int64` of
    /// nanoseconds spans each way from zero, so the difference of any two bar times, and a bar's end, is
    /// still a `Timestamp`.
    @inlinable public static var earliestTime: Timestamp { Timestamp(nanoseconds: -2_209_075_200_000_000_000) }
    @inlinable public static var latestTime: Timestamp { Timestamp(nanoseconds: 5_680_368_000_000_000_000) }

    /// Why `price` may not be read, or nil when it may.
    @inlinable public static func priceProblem(_ price: Fixed) -> String? {
        price.raw.magnitude <= UInt64(maxPrice.raw) ? nil : priceMessage(price.description)
    }

    /// Why a price that arrived as a `Double` (a JSON number) may not be read, or nil when it may.
    @inlinable public static func priceProblem(_ price: Double) -> String? {
        price.isFinite && price.magnitude <= maxPrice.doubleValue ? nil : priceMessage("\(price)")
    }

    /// Why a bar's `volume` may not be read (not finite, or beyond ±`maxShares`), or nil when it may.
    @inlinable public static func volumeProblem(_ volume: Double) -> String? {
        volume.isFinite && volume.magnitude <= Double(maxShares) ? nil : "\(volume) shares is beyond the largest volume Tapebench accepts, ±10^15"
    }

    /// Why an instant read as an epoch count may not be read, or nil when it may.
    @inlinable public static func timeProblem(_ time: Timestamp) -> String? {
        time >= earliestTime && time <= latestTime ? nil : "\(time.iso8601) is outside the times Tapebench reads, the years 1900 to 2149"
    }

    @usableFromInline static func priceMessage(_ text: String) -> String {
        "\(text) is beyond the largest price Tapebench accepts, ±\(maxPrice)"
    }
}

/// An amount beyond what a run may hold (±`Limits.maxAmount` in money, ±`Limits.maxShares` in shares),
/// computed exactly and wide. Its description is the reason an order is rejected or a run stops.
public struct AmountOutOfRange: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    /// Money: `what` names the amount with its operands (`100 × $90000000000.00`); `raw` is in units of 1e-8
    /// and may be beyond `Fixed`.
    public init(what: String, raw: Int128) {
        description = "\(what) is $\(Fixed.format(wide: raw)), beyond the ±$\(Limits.maxAmount) a run may hold"
    }

    /// Shares: a position or an order of `count` shares.
    public init(what: String, shares count: Int128) {
        description = "\(what) is \(count) shares, beyond the ±\(Limits.maxShares) a run may hold"
    }
}
