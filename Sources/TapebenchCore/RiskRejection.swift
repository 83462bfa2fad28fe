/// Why a risk check rejected a fill: the kind and its numbers, kept as a value on the order
/// (`OrderReason.risk`) and written as text only where a reason is written (a CSV field, a database row, a
/// report). `description` is that text. In Core, beside `Order`, so an order can hold it.
public enum RiskRejection: Sendable, Hashable, CustomStringConvertible {
    case exceedsPosition(quantity: Int64, held: Int64)
    case buyingPower(required: Money, available: Money)
    case positionSize(value: Money, equity: Money, limitBasisPoints: Int64)
    case openPositions(open: Int, limit: Int)
    case cashReserve(cashAfter: Money, equity: Money, minimumBasisPoints: Int64)
    case groupExposure(group: String, value: Money, equity: Money, limitBasisPoints: Int64)
    case shortExposure(value: Money, equity: Money, limitBasisPoints: Int64)
    /// An amount of the fill cannot be held (`Limits`): its notional, commission, slippage, the price after
    /// slippage, or what the account would hold after it.
    case amountOutOfRange(String)

    /// A short stable code for grouping in reports.
    public var code: String {
        switch self {
        case .exceedsPosition: return "exceeds_position"
        case .buyingPower: return "buying_power"
        case .positionSize: return "position_size"
        case .openPositions: return "max_positions"
        case .cashReserve: return "cash_reserve"
        case .groupExposure: return "group_exposure"
        case .shortExposure: return "short_exposure"
        case .amountOutOfRange: return "amount_out_of_range"
        }
    }

    /// The reason's text, e.g. `cash_reserve: $715.41 cash left would be 0.72% of equity, minimum 5%`.
    public var description: String { ByteText.string { write(to: &$0) } }

    /// The text written into `out`. Amounts and percentages go straight into the buffer as `Fixed` digits
    /// (`ByteText.append(fixed:)`, the same text as `Fixed.format`); only one beyond what a `Fixed` holds
    /// (an amount near the ends of `Int64` rounded up, a percentage of a tiny equity) is made a `String`
    /// first. Written through `String`s every time, the numbers were ≈ 0.5 % of the 200 × 13 run (27,808
    /// rejected orders).
    public func write(to out: inout ByteText) {
        func number(_ units: Int128, minimumFractionDigits: Int) { Fixed.write(wide: units, minimumFractionDigits: minimumFractionDigits, to: &out) }
        func dollars(_ amount: Money) {
            out.append(byte: UInt8(ascii: "$"))
            // `rounded(toFractionDigits: 2)`: to cents by the one rule, wide (rounding up the largest does
            // not overflow).
            number(Fixed.divideRoundingHalfEvenWide(amount.wide, 1_000_000) * 1_000_000, minimumFractionDigits: 2)
        }
        func percent(_ part: Money, of whole: Money) {
            guard whole.raw != 0 else { return out.append("n/a") }
            // Exact, rounded by the one rule; wide: a tiny equity beside a large position gives a large
            // percentage, not an overflow.
            let hundredths = Fixed.divideRoundingHalfEvenWide(part.wide * 10_000, whole.wide)
            number(hundredths * 1_000_000, minimumFractionDigits: 2)
            out.append(byte: UInt8(ascii: "%"))
        }
        func limit(_ basisPoints: Int64) { Fixed.writePercent(basisPoints: basisPoints, to: &out) }
        out.append(code)
        out.append(": ")
        switch self {
        case let .exceedsPosition(quantity, held):
            out.append("sell of ")
            out.append(integer: quantity)
            out.append(" shares exceeds the ")
            out.append(integer: held)
            out.append(" held (long-only)")
        case let .buyingPower(required, available):
            out.append("needs ")
            dollars(required)
            out.append(", has ")
            dollars(available)
        case let .positionSize(value, equity, basisPoints):
            dollars(value)
            out.append(" would be ")
            percent(value, of: equity)
            out.append(" of equity ")
            dollars(equity)
            out.append(", limit ")
            limit(basisPoints)
        case let .openPositions(open, most):
            out.append(integer: open)
            out.append(" positions open, limit ")
            out.append(integer: most)
        case let .cashReserve(cashAfter, equity, minimum):
            dollars(cashAfter)
            out.append(" cash left would be ")
            percent(cashAfter, of: equity)
            out.append(" of equity, minimum ")
            limit(minimum)
        case let .shortExposure(value, equity, basisPoints):
            out.append("shorts would total ")
            dollars(value)
            out.append(", ")
            percent(value, of: equity)
            out.append(" of equity, limit ")
            limit(basisPoints)
        case let .groupExposure(group, value, equity, basisPoints):
            out.append("group '")
            out.append(group)
            out.append("' would hold ")
            dollars(value)
            out.append(", ")
            percent(value, of: equity)
            out.append(" of equity, limit ")
            limit(basisPoints)
        case let .amountOutOfRange(detail):
            out.append(detail)
        }
    }
}

extension Fixed {
    /// A rate in basis points as a percentage, trailing zeros trimmed (`1050` → `10.5%`, `500` → `5%`).
    public static func percentText(basisPoints: Int64) -> String { ByteText.string { writePercent(basisPoints: basisPoints, to: &$0) } }

    /// `percentText(basisPoints:)` written into `out`.
    static func writePercent(basisPoints: Int64, to out: inout ByteText) {
        write(wide: Int128(basisPoints) * 1_000_000, minimumFractionDigits: 0, to: &out)
        out.append(byte: UInt8(ascii: "%"))
    }

    /// `units` (1e-8) as `format(wide:minimumFractionDigits:)` writes it: straight into `out` as `Fixed` digits
    /// when they fit a `Fixed`, through a `String` only beyond.
    static func write(wide units: Int128, minimumFractionDigits: Int, to out: inout ByteText) {
        if let raw = Int64(exactly: units) {
            out.append(fixed: Fixed(raw: raw), minimumFractionDigits: minimumFractionDigits)
        } else {
            out.append(format(wide: units, minimumFractionDigits: minimumFractionDigits))
        }
    }
}
