/// A fixed-point decimal with eight fractional digits: `raw` counts units of 1e-8.
///
/// Used for every price and every amount of money, so that cash, positions and
/// P&L reconcile exactly. Eight digits keep sub-penny prices of real data
/// (0.0001 ticks, float artefacts of vendor files rounded once) and still leave
/// room for ±92 billion in an `Int64`.
///
/// **The one rounding rule**: whenever a result has more than eight fractional
/// digits (parsing, slippage, ratios, averages) it is rounded to the nearest
/// 1e-8, ties to even ("banker's rounding"). Nothing else ever rounds.
///
/// **The one overflow rule**: nothing a user gives Tapebench makes it trap. `raw` holds at most
/// ±92 233 720 368.54775807, and
/// - what is read is bounded where it is read (`Limits`): a price within ±$1 000 000 000, a volume or a
///   quantity within ±10^15 shares, a bar time from 1900 to 2149; a value beyond them is refused with its
///   file, line and field;
/// - an amount of money a run holds (cash, a fill's notional and commission, a position's cost and value,
///   running totals of P&L and costs) stays within ±`Limits.maxAmount` ($10 000 000 000). Such amounts are
///   computed in `Int128` (`wideProduct`, sums of `wide`) and checked once, by `Fixed(amount:_:)` or
///   `times(_:)`, which throw `AmountOutOfRange`; the executor turns that into a rejected order
///   (`amount_out_of_range`), a price move that carries an account past it stops the run in one line;
/// - the plain operators (`+`, `-`) trap on overflow as `Int64`'s do, and are used only on values inside those
///   bounds, where a sum of up to nine amounts or prices provably fits. There is no `Fixed × Int64` operator:
///   a price times a quantity is always checked;
/// - conversions that can fail are failable: `init?(rounding:)` (not finite, or beyond `Int64`),
///   `divideRoundingHalfEven` and `scaledIfRepresentable` (a quotient beyond `Int64`). `scaled(by:over:)`
///   takes only a share of the amount (|numerator| ≤ |denominator|), which always fits. A `Double` (a model's
///   output, a statistic) becomes an integer only through `Int64(exactly:)` or a bound checked first.
public struct Fixed: Sendable, Hashable, Comparable, Codable {
    /// Units of 1e-8.
    public var raw: Int64

    public static let scale: Int64 = 100_000_000
    public static let fractionDigits = 8
    public static let zero = Fixed(raw: 0)

    @inlinable public init(raw: Int64) { self.raw = raw }

    /// An integral amount, for constants and small counts (|units| ≤ 92 233 720 368).
    @inlinable public init(_ units: Int64) { self.raw = units * Fixed.scale }

    /// The nearest fixed-point value to a `Double`, ties to even; nil when the value is not finite or
    /// beyond the range. Only for values that arrive as binary floating point (JSON numbers, model
    /// outputs); text is parsed exactly.
    public init?(rounding value: Double) {
        let scaled = (value * Double(Fixed.scale)).rounded(.toNearestOrEven)
        guard let raw = Int64(exactly: scaled) else { return nil }
        self.raw = raw
    }

    /// An exact value in units of 1e-8 given wide; nil beyond the range of `Fixed`.
    @inlinable public init?(exactly wide: Int128) {
        guard let raw = Int64(exactly: wide) else { return nil }
        self.raw = raw
    }

    /// An amount of money a run may hold, given wide (units of 1e-8): throws beyond ±`Limits.maxAmount`.
    /// `what` names the amount for the error (`buying 1000 shares at $90000000000.00`).
    @inlinable public init(amount wide: Int128, _ what: @autoclosure () -> String) throws(AmountOutOfRange) {
        guard wide.magnitude <= UInt128(Limits.maxAmount.raw) else { throw AmountOutOfRange(what: what(), raw: wide) }
        self.raw = Int64(truncatingIfNeeded: wide)
    }

    public var doubleValue: Double { Double(raw) / Double(Fixed.scale) }

    /// The raw value, widened for sums and products that must not overflow.
    @inlinable public var wide: Int128 { Int128(raw) }

    /// `raw × quantity`, exact: a product of two `Int64`s always fits an `Int128`.
    @inlinable public func wideProduct(_ quantity: Int64) -> Int128 { Int128(raw) * Int128(quantity) }

    /// A price times a whole number of shares, as an amount a run may hold; throws beyond ±`Limits.maxAmount`.
    @inlinable public func times(_ quantity: Int64) throws(AmountOutOfRange) -> Fixed {
        try Fixed(amount: wideProduct(quantity), "\(quantity) × $\(self)")
    }

    @inlinable public static func < (a: Fixed, b: Fixed) -> Bool { a.raw < b.raw }
    @inlinable public static func + (a: Fixed, b: Fixed) -> Fixed { Fixed(raw: a.raw + b.raw) }
    @inlinable public static func - (a: Fixed, b: Fixed) -> Fixed { Fixed(raw: a.raw - b.raw) }
    @inlinable public static prefix func - (a: Fixed) -> Fixed { Fixed(raw: -a.raw) }
    @inlinable public static func += (a: inout Fixed, b: Fixed) { a.raw += b.raw }
    @inlinable public static func -= (a: inout Fixed, b: Fixed) { a.raw -= b.raw }

    /// `self × numerator / denominator`, rounded by the one rule, for a share of the amount:
    /// |numerator| ≤ |denominator|, so the result is never larger than `self` and always fits. A ratio that
    /// can grow goes through `scaledIfRepresentable`.
    public func scaled(by numerator: Int64, over denominator: Int64) -> Fixed {
        precondition(numerator.magnitude <= denominator.magnitude, "scaled(by:over:) takes a share; use scaledIfRepresentable")
        // |result| ≤ |raw|: fits, except −Int64.min, which no bounded amount is.
        return Fixed(raw: Int64(Fixed.divideRoundingHalfEvenWide(Int128(raw) * Int128(numerator), Int128(denominator))))
    }

    /// `self × numerator / denominator`, rounded by the one rule; nil when the result is beyond the range.
    public func scaledIfRepresentable(by numerator: Int64, over denominator: Int64) -> Fixed? {
        Fixed.divideRoundingHalfEven(Int128(raw) * Int128(numerator), Int128(denominator)).map(Fixed.init(raw:))
    }

    /// `self / divisor` as a whole number, rounded toward zero (how many shares a budget buys). The divisor
    /// is a positive price, so the quotient is never larger than `raw`.
    public func wholeUnits(dividedBy divisor: Fixed) -> Int64 {
        precondition(divisor.raw > 0, "a budget is divided by a positive price")
        return raw / divisor.raw
    }

    public var isNegative: Bool { raw < 0 }

    /// Integer division rounding to nearest, ties to even; nil when the quotient is beyond `Int64`.
    public static func divideRoundingHalfEven(_ n: Int128, _ d: Int128) -> Int64? {
        Int64(exactly: divideRoundingHalfEvenWide(n, d))
    }

    /// Integer division of 128-bit values, rounding to nearest with ties to even. `d` is never zero at any
    /// caller (a count, a price checked positive, a power of ten).
    public static func divideRoundingHalfEvenWide(_ n: Int128, _ d: Int128) -> Int128 {
        precondition(d != 0, "division by zero")
        var q = n / d
        let r = n % d
        let twiceR = r.magnitude * 2
        if twiceR > d.magnitude || (twiceR == d.magnitude && q % 2 != 0) {
            q += ((n < 0) != (d < 0)) ? -1 : 1
        }
        return q
    }
}

extension Fixed: CustomStringConvertible {
    /// Canonical text: no exponent, at least `minimumFractionDigits` digits, trailing zeros beyond that trimmed.
    public func formatted(minimumFractionDigits: Int = 2) -> String {
        Fixed.format(wide: wide, minimumFractionDigits: minimumFractionDigits)
    }

    /// Rounded to `digits` fraction digits by the one rule, padded with zeros (for tables people read).
    /// Computed wide: rounding the largest values up does not overflow.
    public func rounded(toFractionDigits digits: Int) -> String { Fixed.rounded(wide: wide, toFractionDigits: digits) }

    /// `rounded(toFractionDigits:)` for a value in units of 1e-8 of any size an `Int128` holds (a sum over a
    /// whole run, which may pass what one `Fixed` holds).
    public static func rounded(wide raw: Int128, toFractionDigits digits: Int) -> String {
        precondition((0...Fixed.fractionDigits).contains(digits))
        var step: Int128 = 1
        for _ in 0..<(Fixed.fractionDigits - digits) { step *= 10 }
        return format(wide: divideRoundingHalfEvenWide(raw, step) * step, minimumFractionDigits: digits)
    }

    /// The canonical text of a value in units of 1e-8, of any size an `Int128` holds (for amounts that
    /// are out of range, in error messages, as well as for `Fixed` itself).
    /// Written right to left into one buffer (a sign, 39 digits of units, a point, 8 fraction digits fit
    /// in 49 bytes): reject reasons, CSV rows and reports format many amounts, and the text built from
    /// pieces allocated several strings per amount.
    public static func format(wide raw: Int128, minimumFractionDigits: Int = 2) -> String {
        let magnitude = raw.magnitude
        var units = magnitude / UInt128(Fixed.scale)
        var fraction = UInt64(magnitude % UInt128(Fixed.scale))
        // Trailing zeros of the 8 fraction digits go, down to the minimum (beyond 8 there is nothing to pad).
        var fractionDigits = Fixed.fractionDigits
        let keep = max(0, min(minimumFractionDigits, Fixed.fractionDigits))
        while fractionDigits > keep, fraction % 10 == 0 {
            fraction /= 10
            fractionDigits -= 1
        }
        // Into a buffer on the stack, then copied into the string: a text of at most 15 bytes (most amounts
        // and percentages) is a small string, with no malloc; a longer one allocates once.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 49) { buffer in
            var end = 49
            func put(_ byte: UInt8) {
                end -= 1
                buffer[end] = byte
            }
            if fractionDigits > 0 {
                for _ in 0..<fractionDigits {
                    put(UInt8(ascii: "0") + UInt8(fraction % 10))
                    fraction /= 10
                }
                put(UInt8(ascii: "."))
            }
            // Units: 64-bit steps while they fit (always, for a `Fixed`), 128-bit only beyond.
            while units > UInt128(UInt64.max) {
                put(UInt8(ascii: "0") + UInt8(units % 10))
                units /= 10
            }
            var small = UInt64(units)
            repeat {
                put(UInt8(ascii: "0") + UInt8(small % 10))
                small /= 10
            } while small > 0
            if raw < 0 { put(UInt8(ascii: "-")) }
            return String(decoding: UnsafeMutableBufferPointer(rebasing: buffer[end...]), as: UTF8.self)
        }
    }

    public var description: String { formatted() }
}

public typealias Price = Fixed
public typealias Money = Fixed
