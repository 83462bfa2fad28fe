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
public struct Fixed: Sendable, Hashable, Comparable, Codable {
    /// Units of 1e-8.
    public var raw: Int64

    public static let scale: Int64 = 100_000_000
    public static let fractionDigits = 8
    public static let zero = Fixed(raw: 0)

    @inlinable public init(raw: Int64) { self.raw = raw }

    /// An integral amount (for example dollars or shares as money).
    @inlinable public init(_ units: Int64) { self.raw = units * Fixed.scale }

    /// The nearest fixed-point value to a `Double`, ties to even. Only for values that
    /// arrive as binary floating point (JSON numbers, statistics); text is parsed exactly.
    public init(rounding value: Double) {
        self.raw = Int64((value * Double(Fixed.scale)).rounded(.toNearestOrEven))
    }

    public var doubleValue: Double { Double(raw) / Double(Fixed.scale) }

    @inlinable public static func < (a: Fixed, b: Fixed) -> Bool { a.raw < b.raw }
    @inlinable public static func + (a: Fixed, b: Fixed) -> Fixed { Fixed(raw: a.raw + b.raw) }
    @inlinable public static func - (a: Fixed, b: Fixed) -> Fixed { Fixed(raw: a.raw - b.raw) }
    @inlinable public static prefix func - (a: Fixed) -> Fixed { Fixed(raw: -a.raw) }
    @inlinable public static func += (a: inout Fixed, b: Fixed) { a.raw += b.raw }
    @inlinable public static func -= (a: inout Fixed, b: Fixed) { a.raw -= b.raw }

    /// Exact: a price times a whole number of shares.
    @inlinable public static func * (a: Fixed, quantity: Int64) -> Fixed { Fixed(raw: a.raw * quantity) }

    /// `self × numerator / denominator`, rounded by the one rule.
    public func scaled(by numerator: Int64, over denominator: Int64) -> Fixed {
        Fixed(raw: Fixed.divideRoundingHalfEven(Int128(raw) * Int128(numerator), Int128(denominator)))
    }

    /// `self / divisor` as a whole number, rounded toward zero (how many shares a budget buys).
    public func wholeUnits(dividedBy divisor: Fixed) -> Int64 {
        precondition(divisor.raw != 0, "division by zero")
        return raw / divisor.raw
    }

    public var isNegative: Bool { raw < 0 }

    /// Integer division rounding to nearest, ties to even; traps if the quotient leaves `Int64`.
    public static func divideRoundingHalfEven(_ n: Int128, _ d: Int128) -> Int64 {
        Int64(divideRoundingHalfEvenWide(n, d))
    }

    /// Integer division of 128-bit values, rounding to nearest with ties to even.
    public static func divideRoundingHalfEvenWide(_ n: Int128, _ d: Int128) -> Int128 {
        precondition(d != 0, "division by zero")
        var q = n / d
        let r = n % d
        let twiceR = (r < 0 ? -r : r) * 2
        let absD = d < 0 ? -d : d
        if twiceR > absD || (twiceR == absD && q % 2 != 0) {
            q += ((n < 0) != (d < 0)) ? -1 : 1
        }
        return q
    }
}

extension Fixed: CustomStringConvertible {
    /// Canonical text: no exponent, at least `minimumFractionDigits` digits, trailing zeros beyond that trimmed.
    public func formatted(minimumFractionDigits: Int = 2) -> String {
        let negative = raw < 0
        let magnitude = raw.magnitude
        let units = magnitude / UInt64(Fixed.scale)
        var fraction = String(magnitude % UInt64(Fixed.scale))
        fraction = String(repeating: "0", count: Fixed.fractionDigits - fraction.count) + fraction
        while fraction.count > minimumFractionDigits, fraction.last == "0" { fraction.removeLast() }
        var text = negative ? "-" : ""
        text += String(units)
        if !fraction.isEmpty { text += "." + fraction }
        return text
    }

    /// Rounded to `digits` fraction digits by the one rule, padded with zeros (for tables people read).
    public func rounded(toFractionDigits digits: Int) -> String {
        precondition((0...Fixed.fractionDigits).contains(digits))
        var step: Int64 = 1
        for _ in 0..<(Fixed.fractionDigits - digits) { step *= 10 }
        let roundedRaw = Fixed.divideRoundingHalfEven(Int128(raw), Int128(step)) * step
        return Fixed(raw: roundedRaw).formatted(minimumFractionDigits: digits)
    }

    public var description: String { formatted() }
}

public typealias Price = Fixed
public typealias Money = Fixed
