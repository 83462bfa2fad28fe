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

    /// The writer before cents and percentages were rounded in 64 bits and literals appended as static
    /// bytes (8fe580f), kept as the reference: `Int128` rounding, `Fixed.format` digits.
    static func previousText(_ r: RiskRejection) -> String {
        ByteText.string { out in
            func number(_ units: Int128, minimumFractionDigits: Int) {
                if let raw = Int64(exactly: units) {
                    out.append(fixed: Fixed(raw: raw), minimumFractionDigits: minimumFractionDigits)
                } else {
                    out.append(Fixed.format(wide: units, minimumFractionDigits: minimumFractionDigits))
                }
            }
            func dollars(_ amount: Money) {
                out.append(byte: UInt8(ascii: "$"))
                number(Fixed.divideRoundingHalfEvenWide(amount.wide, 1_000_000) * 1_000_000, minimumFractionDigits: 2)
            }
            func percent(_ part: Money, of whole: Money) {
                guard whole.raw != 0 else { return out.append("n/a") }
                let hundredths = Fixed.divideRoundingHalfEvenWide(part.wide * 10_000, whole.wide)
                number(hundredths * 1_000_000, minimumFractionDigits: 2)
                out.append(byte: UInt8(ascii: "%"))
            }
            func limit(_ basisPoints: Int64) {
                number(Int128(basisPoints) * 1_000_000, minimumFractionDigits: 0)
                out.append(byte: UInt8(ascii: "%"))
            }
            out.append(r.code)
            out.append(": ")
            switch r {
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

    /// A seeded amount: any `Int64` raw, one a run may hold, a few dollars, or a half cent exactly (a tie,
    /// odd or even cents), either sign.
    static func randomAmount(_ random: inout Xoshiro256) -> Money {
        let sign: Int64 = random.next() & 1 == 0 ? 1 : -1
        switch random.next() % 6 {
        case 0: return Fixed(raw: Int64(bitPattern: random.next()))
        case 1: return Fixed(raw: sign * Int64(random.next() % UInt64(Limits.maxAmount.raw + 1)))
        case 2: return Fixed(raw: sign * Int64(random.next() % 100_000_000_000))
        case 3: return Fixed(raw: sign * (Int64(random.next() % 10_000_000) * 1_000_000 + 500_000))
        case 4: return Fixed(raw: sign * Int64(random.next() % 2_000_000))
        default: return Fixed(raw: sign * Int64(random.next() % 4_000_000_000_000_000))
        }
    }

    /// A seeded part and whole: random, a tiny whole beside a large part, a part just either side of where
    /// 64-bit scaling stops, or a part exactly half a hundredth of a percent between two (a tie).
    static func randomShare(_ random: inout Xoshiro256) -> (part: Money, whole: Money) {
        let sign: Int64 = random.next() & 1 == 0 ? 1 : -1
        switch random.next() % 5 {
        case 0: return (randomAmount(&random), randomAmount(&random))
        case 1: return (randomAmount(&random), Fixed(raw: sign * Int64(random.next() % 1_000 + 1)))
        case 2:
            let edge = Int64(UInt64.max / 10_000) + Int64(random.next() % 5) - 2
            return (Fixed(raw: sign * edge), randomAmount(&random))
        case 3:
            // part × 10 000 = hundredths × whole + whole / 2, with whole = 20 000 × m.
            let m = Int64(random.next() % 1_000_000 + 1), hundredths = Int64(random.next() % 20_000)
            return (Fixed(raw: sign * (hundredths * 2 * m + m)), Fixed(raw: 20_000 * m * (random.next() & 1 == 0 ? 1 : -1)))
        default:
            let whole = Int64(random.next() % 1_000_000_000_000 + 1)
            return (Fixed(raw: sign * Int64(random.next() % UInt64(whole * 3))), Fixed(raw: whole))
        }
    }

    static func randomBasisPoints(_ random: inout Xoshiro256) -> Int64 {
        switch random.next() % 4 {
        case 0: return Int64(bitPattern: random.next())
        case 1: return Int64(random.next() % 100) * 100 * (random.next() & 1 == 0 ? 1 : -1)
        case 2: return Int64(random.next() % 1_000) * 10
        default: return Int64(random.next() % 20_000) - 10_000
        }
    }

    @Test("seeded random amounts, shares and limits of every kind: the same text as the previous writer")
    func sameAsPrevious() {
        var random = Xoshiro256(seed: 0x5EED_12B)
        for _ in 0..<20_000 {
            let (part, whole) = Self.randomShare(&random)
            let other = Self.randomAmount(&random), bp = Self.randomBasisPoints(&random)
            let rejections: [RiskRejection] = [
                .exceedsPosition(quantity: Int64(bitPattern: random.next()), held: Int64(bitPattern: random.next())),
                .buyingPower(required: part, available: other),
                .positionSize(value: part, equity: whole, limitBasisPoints: bp),
                .openPositions(open: Int(truncatingIfNeeded: random.next()), limit: Int(truncatingIfNeeded: random.next())),
                .cashReserve(cashAfter: part, equity: whole, minimumBasisPoints: bp),
                .shortExposure(value: part, equity: whole, limitBasisPoints: bp),
                .groupExposure(group: "tech", value: part, equity: whole, limitBasisPoints: bp),
                .amountOutOfRange("notional \(other)"),
            ]
            for rejection in rejections {
                let text = rejection.description
                #expect(text == Self.previousText(rejection), "\(rejection)")
                #expect(text.hasPrefix(rejection.code + ": "))
            }
        }
    }

    @Test("the edges of the previous writer: the same text", arguments: [
        RiskRejection.cashReserve(cashAfter: Fixed(raw: .min), equity: Fixed(raw: 1), minimumBasisPoints: .min),
        .cashReserve(cashAfter: Fixed(raw: .max), equity: Fixed(raw: -1), minimumBasisPoints: .max),
        .positionSize(value: Fixed(raw: -4_999), equity: Fixed(raw: 1_000_000_000), limitBasisPoints: -1),
        .shortExposure(value: Fixed(raw: -499_999), equity: Fixed(raw: 0), limitBasisPoints: -10),
        .buyingPower(required: Fixed(raw: -500_000), available: Fixed(raw: -1_500_000)),
        .buyingPower(required: Fixed(raw: .max), available: Fixed(raw: .min)),
    ])
    func edges(_ rejection: RiskRejection) {
        #expect(rejection.description == Self.previousText(rejection))
    }

    @Test("hand-computed: every kind's text")
    func everyKindByHand() {
        let texts: [(RiskRejection, String)] = [
            (.exceedsPosition(quantity: 150, held: 100), "exceeds_position: sell of 150 shares exceeds the 100 held (long-only)"),
            (.buyingPower(required: Fixed(parsing: "12345.675")!, available: Fixed(parsing: "999.994")!),
             "buying_power: needs $12345.68, has $999.99"),
            (.buyingPower(required: Fixed(parsing: "0.025")!, available: Fixed(parsing: "-0.004")!), "buying_power: needs $0.02, has $0.00"),
            (.positionSize(value: Fixed(parsing: "2500")!, equity: Fixed(parsing: "10000")!, limitBasisPoints: 2_000),
             "position_size: $2500.00 would be 25.00% of equity $10000.00, limit 20%"),
            (.openPositions(open: 10, limit: 10), "max_positions: 10 positions open, limit 10"),
            (.cashReserve(cashAfter: Fixed(parsing: "715.405")!, equity: Fixed(parsing: "99000")!, minimumBasisPoints: 500),
             "cash_reserve: $715.40 cash left would be 0.72% of equity, minimum 5%"),
            (.cashReserve(cashAfter: Fixed(parsing: "-1.5")!, equity: Fixed(parsing: "200")!, minimumBasisPoints: 5),
             "cash_reserve: $-1.50 cash left would be -0.75% of equity, minimum 0.05%"),
            // 1 / 4 000 = 0.025 %: a tie, rounded to the even 0.02 %; 3 / 4 000 = 0.075 % → 0.08 %.
            (.cashReserve(cashAfter: Fixed(1), equity: Fixed(4_000), minimumBasisPoints: 1_050),
             "cash_reserve: $1.00 cash left would be 0.02% of equity, minimum 10.5%"),
            (.cashReserve(cashAfter: Fixed(3), equity: Fixed(4_000), minimumBasisPoints: -250),
             "cash_reserve: $3.00 cash left would be 0.08% of equity, minimum -2.5%"),
            (.shortExposure(value: Fixed(parsing: "-3000")!, equity: Fixed(parsing: "9000")!, limitBasisPoints: 3_000),
             "short_exposure: shorts would total $-3000.00, -33.33% of equity, limit 30%"),
            (.groupExposure(group: "chips", value: Fixed(parsing: "5000")!, equity: .zero, limitBasisPoints: 4_001),
             "group_exposure: group 'chips' would hold $5000.00, n/a of equity, limit 40.01%"),
            (.amountOutOfRange("the notional"), "amount_out_of_range: the notional"),
        ]
        for (rejection, text) in texts { #expect(rejection.description == text) }
    }

    @Test("hand-computed: a percentage of basis points, trailing zeros trimmed")
    func basisPointsByHand() {
        let texts: [(Int64, String)] = [(0, "0%"), (5, "0.05%"), (50, "0.5%"), (500, "5%"), (1_050, "10.5%"), (1_234, "12.34%"),
                                        (-1, "-0.01%"), (-100, "-1%"), (.min, "-92233720368547758.08%"), (.max, "92233720368547758.07%")]
        for (basisPoints, text) in texts { #expect(Fixed.percentText(basisPoints: basisPoints) == text) }
    }

    @Test("hand-computed: every signal reason kind's text, written after what the buffer held")
    func signalReasonsByHand() {
        let texts: [(SignalReason, String)] = [
            (.vwapDeviation(basisPoints: -52), "vwap_deviation=-52bp"), (.vwapDeviation(basisPoints: 7), "vwap_deviation=7bp"),
            (.breakout(Fixed(parsing: "101.5")!), "breakout=101.50"), (.breakdown(Fixed(parsing: "99.125")!), "breakdown=99.125"),
            (.volumeSurge(percent: 300), "volume_surge=300%"), (.volumeSurgeFade, "volume_surge_fade"), (.text("tape says so"), "tape says so"),
        ]
        for (reason, text) in texts {
            var out = ByteText()
            out.append("7,")
            reason.write(to: &out)
            #expect(String(decoding: out.bytes, as: UTF8.self) == "7," + text)
        }
    }
}
