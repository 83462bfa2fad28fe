import Testing
@testable import TapebenchCore

/// A rejection's reason text, written into one reserved string: byte for byte what the interpolation wrote.
@Suite struct RiskRejectionTextTests {
    /// The text as `RiskRejection.description` interpolated it before.
    static func interpolated(_ r: RiskRejection) -> String {
        switch r {
        case let .exceedsPosition(quantity, held):
            return "exceeds_position: sell of \(quantity) shares exceeds the \(held) held (long-only)"
        case let .buyingPower(required, available):
            return "buying_power: needs $\(required.rounded(toFractionDigits: 2)), has $\(available.rounded(toFractionDigits: 2))"
        case let .positionSize(value, equity, limit):
            return "position_size: $\(value.rounded(toFractionDigits: 2)) would be \(percent(value, of: equity)) of equity $\(equity.rounded(toFractionDigits: 2)), limit \(basisPointsAsPercent(limit))"
        case let .openPositions(open, limit):
            return "max_positions: \(open) positions open, limit \(limit)"
        case let .cashReserve(cashAfter, equity, minimum):
            return "cash_reserve: $\(cashAfter.rounded(toFractionDigits: 2)) cash left would be \(percent(cashAfter, of: equity)) of equity, minimum \(basisPointsAsPercent(minimum))"
        case let .shortExposure(value, equity, limit):
            return "short_exposure: shorts would total $\(value.rounded(toFractionDigits: 2)), \(percent(value, of: equity)) of equity, limit \(basisPointsAsPercent(limit))"
        case let .amountOutOfRange(detail):
            return "amount_out_of_range: " + detail
        case let .groupExposure(group, value, equity, limit):
            return "group_exposure: group '\(group)' would hold $\(value.rounded(toFractionDigits: 2)), \(percent(value, of: equity)) of equity, limit \(basisPointsAsPercent(limit))"
        }
    }

    /// The percentage as the interpolation wrote it: exact hundredths rounded to even, then `%`.
    static func percent(_ part: Money, of whole: Money) -> String {
        guard whole.raw != 0 else { return "n/a" }
        let hundredths = Fixed.divideRoundingHalfEvenWide(part.wide * 10_000, whole.wide)
        return Fixed.format(wide: hundredths * 1_000_000, minimumFractionDigits: 2) + "%"
    }

    static func basisPointsAsPercent(_ bp: Int64) -> String { Fixed.format(wide: Int128(bp) * 1_000_000, minimumFractionDigits: 0) + "%" }

    static let amounts: [Money] = [.zero, Fixed(raw: 1), Fixed(raw: 499_999), Fixed(raw: 500_000), Fixed(raw: 1_500_000), Fixed(10_000),
                                   Fixed(parsing: "10000.505")!, Fixed(parsing: "-35000.125")!, Limits.maxAmount, Fixed(raw: -Limits.maxAmount.raw),
                                   Fixed(raw: .max), Fixed(raw: .min)]

    static var rejections: [RiskRejection] {
        var all: [RiskRejection] = []
        for (i, a) in amounts.enumerated() {
            let b = amounts[(i * 5 + 3) % amounts.count]
            let bp: Int64 = [0, 1, 50, 1_000, 1_050, 10_000, 123_456][i % 7]
            all += [.exceedsPosition(quantity: a.raw, held: b.raw), .buyingPower(required: a, available: b),
                    .positionSize(value: a, equity: b, limitBasisPoints: bp), .openPositions(open: i * 37, limit: Int(b.raw % 1_000)),
                    .cashReserve(cashAfter: a, equity: b, minimumBasisPoints: bp), .shortExposure(value: a, equity: b, limitBasisPoints: bp),
                    .groupExposure(group: String(repeating: "correlated with BBB: AAA ", count: i % 3 + 1), value: a, equity: b, limitBasisPoints: bp),
                    .amountOutOfRange("the fill price \(a)")]
        }
        return all
    }

    @Test("every kind of rejection, with amounts from 0 to the ends of Int64, reads as the interpolation wrote it")
    func sameText() {
        for rejection in Self.rejections { #expect(rejection.description == Self.interpolated(rejection)) }
    }

    @Test("the text written into a row's buffer is the description, after what the buffer held")
    func writtenInPlace() {
        for rejection in Self.rejections {
            var out = ByteText()
            out.append("x,")
            rejection.write(to: &out)
            #expect(String(decoding: out.bytes, as: UTF8.self) == "x," + rejection.description)
        }
    }

    @Test("hand-checked: a position of $10 000.505 (rounded to even: 10000.50) against equity $35 000.125 is 28.57 %, limit 10.5 %")
    func handChecked() {
        let r = RiskRejection.positionSize(value: Fixed(parsing: "10000.505")!, equity: Fixed(parsing: "35000.125")!, limitBasisPoints: 1_050)
        #expect(r.description == "position_size: $10000.50 would be 28.57% of equity $35000.12, limit 10.5%")
    }
}
