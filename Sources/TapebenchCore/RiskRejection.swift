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

    /// The text written into `out`. Literals are copied as static bytes (`append(literal:)`), amounts and
    /// percentages are written straight into the buffer as hundredths (`append(hundredths:negative:)`, the
    /// same text as `Fixed.format`), rounded in 64 bits where that is exact: only a percentage of a part
    /// beyond ≈ $18 million goes through `Int128`. Through `String`s and `Int128` divisions every time, the
    /// text was ≈ 1,340 instructions a rejection (155,070 rejections on the 500 × 26 run).
    public func write(to out: inout ByteText) {
        func dollars(_ amount: Money) {
            out.append(byte: UInt8(ascii: "$"))
            // To cents by the one rule (`rounded(toFractionDigits: 2)`), on the magnitude: rounding half to
            // even is symmetric about zero, and a magnitude rounded up (≤ 2⁶⁴ / 10⁶ cents) cannot overflow.
            let magnitude = amount.raw.magnitude
            var cents = magnitude / 1_000_000
            let rest = magnitude &- cents &* 1_000_000
            if rest > 500_000 || (rest == 500_000 && cents & 1 == 1) { cents &+= 1 }
            out.append(hundredths: cents, negative: amount.raw < 0)
        }
        func percent(_ part: Money, of whole: Money) {
            guard whole.raw != 0 else { return out.append(literal: "n/a") }
            let negative = (part.raw < 0) != (whole.raw < 0)
            let partMagnitude = part.raw.magnitude, wholeMagnitude = whole.raw.magnitude
            if partMagnitude <= UInt64.max / 10_000 {
                // Exact in 64 bits, rounded by the one rule on magnitudes; 2 × rest < 2 × |whole| ≤ 2⁶⁴.
                let scaled = partMagnitude &* 10_000
                var hundredths = scaled / wholeMagnitude
                let twiceRest = (scaled &- hundredths &* wholeMagnitude) &* 2
                if twiceRest > wholeMagnitude || (twiceRest == wholeMagnitude && hundredths & 1 == 1) { hundredths &+= 1 }
                out.append(hundredths: hundredths, negative: negative)
            } else {
                // Wide: a tiny equity beside a large position gives a large percentage, not an overflow.
                let hundredths = Fixed.divideRoundingHalfEvenWide(part.wide * 10_000, whole.wide)
                if let magnitude = UInt64(exactly: hundredths.magnitude) {
                    out.append(hundredths: magnitude, negative: negative)
                } else {
                    out.append(Fixed.format(wide: hundredths * 1_000_000, minimumFractionDigits: 2))
                }
            }
            out.append(byte: UInt8(ascii: "%"))
        }
        func limit(_ basisPoints: Int64) { Fixed.writePercent(basisPoints: basisPoints, to: &out) }
        switch self {
        case let .exceedsPosition(quantity, held):
            out.append(literal: "exceeds_position: sell of ")
            out.append(integer: quantity)
            out.append(literal: " shares exceeds the ")
            out.append(integer: held)
            out.append(literal: " held (long-only)")
        case let .buyingPower(required, available):
            out.append(literal: "buying_power: needs ")
            dollars(required)
            out.append(literal: ", has ")
            dollars(available)
        case let .positionSize(value, equity, basisPoints):
            out.append(literal: "position_size: ")
            dollars(value)
            out.append(literal: " would be ")
            percent(value, of: equity)
            out.append(literal: " of equity ")
            dollars(equity)
            out.append(literal: ", limit ")
            limit(basisPoints)
        case let .openPositions(open, most):
            out.append(literal: "max_positions: ")
            out.append(integer: open)
            out.append(literal: " positions open, limit ")
            out.append(integer: most)
        case let .cashReserve(cashAfter, equity, minimum):
            out.append(literal: "cash_reserve: ")
            dollars(cashAfter)
            out.append(literal: " cash left would be ")
            percent(cashAfter, of: equity)
            out.append(literal: " of equity, minimum ")
            limit(minimum)
        case let .shortExposure(value, equity, basisPoints):
            out.append(literal: "short_exposure: shorts would total ")
            dollars(value)
            out.append(literal: ", ")
            percent(value, of: equity)
            out.append(literal: " of equity, limit ")
            limit(basisPoints)
        case let .groupExposure(group, value, equity, basisPoints):
            out.append(literal: "group_exposure: group '")
            out.append(group)
            out.append(literal: "' would hold ")
            dollars(value)
            out.append(literal: ", ")
            percent(value, of: equity)
            out.append(literal: " of equity, limit ")
            limit(basisPoints)
        case let .amountOutOfRange(detail):
            out.append(literal: "amount_out_of_range: ")
            out.append(detail)
        }
    }
}

extension Fixed {
    /// A rate in basis points as a percentage, trailing zeros trimmed (`1050` → `10.5%`, `500` → `5%`).
    public static func percentText(basisPoints: Int64) -> String { ByteText.string { writePercent(basisPoints: basisPoints, to: &$0) } }

    /// `percentText(basisPoints:)` written into `out`.
    static func writePercent(basisPoints: Int64, to out: inout ByteText) {
        out.append(hundredths: basisPoints.magnitude, negative: basisPoints < 0, trimmingZeros: true)
        out.append(byte: UInt8(ascii: "%"))
    }
}
