import Testing
import TapebenchCore

@Suite struct FixedParsingTests {
    @Test("decimal text parses exactly", arguments: [
        ("167.41", Int64(16_741_000_000)),
        ("49", 4_900_000_000),
        ("0.0001", 10_000),
        ("-2.5", -250_000_000),
        ("+3", 300_000_000),
        ("1.062926E+08", 10_629_260_000_000_000),
        ("6.5799349e+07", 6_579_934_900_000_000),
        (".5", 50_000_000),
        ("7.", 700_000_000),
    ])
    func parses(text: String, raw: Int64) {
        #expect(Fixed(parsing: text)?.raw == raw)
    }

    @Test("digits past the eighth round half to even")
    func roundsHalfEven() {
        #expect(Fixed(parsing: "1.1285100000000001")?.raw == 112_851_000)  // a float artefact of a vendor file
        #expect(Fixed(parsing: "0.000000005")?.raw == 0)  // tie, 0 is even
        #expect(Fixed(parsing: "0.000000015")?.raw == 2)  // tie, 2 is even
        #expect(Fixed(parsing: "0.0000000151")?.raw == 2)
        #expect(Fixed(parsing: "0.0000000149")?.raw == 1)
        #expect(Fixed(parsing: "-0.000000025")?.raw == -2)
    }

    @Test("malformed text is rejected", arguments: ["", "-", ".", "abc", "1.2.3", "1e", "12a", "1,5", " 1", "1e999", "99999999999999"])
    func rejects(text: String) {
        #expect(Fixed(parsing: text) == nil)
    }
}

@Suite struct FixedArithmeticTests {
    @Test("scaling rounds half to even")
    func scaling() {
        // 1 bp on 100.00 is exact; on 0.00005 it is a tie and rounds to even.
        #expect(Fixed(100).scaledIfRepresentable(by: 10_001, over: 10_000) == Fixed(parsing: "100.01"))
        #expect(Fixed(raw: 5).scaled(by: 1, over: 2).raw == 2)
        #expect(Fixed(raw: 7).scaled(by: 1, over: 2).raw == 4)
        #expect(Fixed(raw: -7).scaled(by: 1, over: 2).raw == -4)
    }

    @Test("a share of the largest value fits; a growing ratio beyond the range is nil, not a trap")
    func scalingAtTheEdges() {
        let max = Fixed(raw: .max), min = Fixed(raw: .min)
        #expect(max.scaled(by: 9_999, over: 10_000).raw == 9_222_449_699_651_090_329)  // 9223372036854775807 × 0.9999, rounded
        #expect(min.scaled(by: 1, over: 1) == min)
        #expect(max.scaledIfRepresentable(by: 10_001, over: 10_000) == nil)
        #expect(min.scaledIfRepresentable(by: 2, over: 1) == nil)
        #expect(Fixed(raw: 1).scaledIfRepresentable(by: .max, over: 1) == Fixed(raw: .max))
    }

    @Test("a price times shares is exact, and checked against what a run may hold")
    func multiply() throws {
        #expect(try Fixed(parsing: "167.41")!.times(300) == Fixed(parsing: "50223")!)
        #expect(Fixed(raw: .max).wideProduct(.max) == Int128(Int64.max) * Int128(Int64.max))
        // $10 000 000 000 is the most a run may hold: exactly at it is fine, one unit past it is not.
        #expect(try Fixed(1).times(10_000_000_000) == Limits.maxAmount)
        #expect(throws: AmountOutOfRange.self) { try Fixed(raw: 1).times(1_000_000_000_000_000_001) }
        #expect(throws: AmountOutOfRange.self) { try Fixed(raw: .max).times(.max) }
        #expect(throws: AmountOutOfRange.self) { try Fixed(raw: .min).times(-1) }
        // The tape attack: 9223372036854775807 shares at $1.
        do {
            _ = try Fixed(1).times(.max)
            Issue.record("no error")
        } catch {
            #expect(error.description == "9223372036854775807 × $1.00 is $9223372036854775807.00, beyond the ±$10000000000.00 a run may hold")
        }
    }

    @Test("a Double that is not finite or beyond the range is no Fixed", arguments: [
        Double.infinity, -.infinity, .nan, 1e11, -1e11, 9.3e19, 1.7e308, 92_233_720_368.6,
    ])
    func roundingRefuses(value: Double) {
        #expect(Fixed(rounding: value) == nil)
    }

    @Test("a Double inside the range rounds to the nearest 1e-8, ties to even")
    func rounding() {
        #expect(Fixed(rounding: 100.5)?.raw == 10_050_000_000)
        #expect(Fixed(rounding: 0.000000005)?.raw == 0)  // 0.5 units, a tie (as near as a Double gets): to even
        #expect(Fixed(rounding: 1e10) == Fixed(10_000_000_000))
        #expect(Fixed(rounding: -0.0) == .zero)
    }

    @Test("division rounding half to even: nil when the quotient leaves Int64")
    func division() {
        #expect(Fixed.divideRoundingHalfEven(5, 2) == 2)
        #expect(Fixed.divideRoundingHalfEven(-7, 2) == -4)
        #expect(Fixed.divideRoundingHalfEven(Int128(Int64.max) * 2, 1) == nil)
        #expect(Fixed.divideRoundingHalfEven(Int128(Int64.min), -1) == nil)
        #expect(Fixed(exactly: Int128(Int64.max) + 1) == nil)
        #expect(Fixed(exactly: Int128(Int64.min)) == Fixed(raw: .min))
    }

    @Test("whole units a budget buys round down")
    func wholeUnits() {
        #expect(Fixed(10_000).wholeUnits(dividedBy: Fixed(parsing: "333.33")!) == 30)
        #expect(Fixed(raw: .max).wholeUnits(dividedBy: Fixed(raw: 1)) == .max)
    }

    @Test("formatting is canonical")
    func formatting() {
        #expect(Fixed(parsing: "93.1")!.description == "93.10")
        #expect(Fixed(parsing: "0.0001")!.description == "0.0001")
        #expect(Fixed(parsing: "-0.5")!.description == "-0.50")
        #expect(Fixed(parsing: "1.005")!.rounded(toFractionDigits: 2) == "1.00")  // tie to even
        #expect(Fixed(parsing: "1.015")!.rounded(toFractionDigits: 2) == "1.02")
        #expect(Fixed(parsing: "12")!.rounded(toFractionDigits: 0) == "12")
    }

    @Test("the largest values format, and round up, without overflow")
    func formattingAtTheEdges() {
        #expect(Fixed(raw: .max).description == "92233720368.54775807")
        #expect(Fixed(raw: .min).description == "-92233720368.54775808")
        // Rounding up the largest value passes Int64.max; it is done wide.
        #expect(Fixed(raw: .max).rounded(toFractionDigits: 2) == "92233720368.55")
        #expect(Fixed(raw: .min).rounded(toFractionDigits: 0) == "-92233720369")
        #expect(Fixed.format(wide: Int128(Int64.max) * 1_000) == "92233720368547.75807")
        #expect(Fixed.rounded(wide: -Int128(Int64.max) * 10, toFractionDigits: 2) == "-922337203685.48")
        #expect(Fixed.format(wide: .min) == "-1701411834604692317316873037158.84105728")
        #expect(Fixed.format(wide: .max) == "1701411834604692317316873037158.84105727")
    }

    /// The text as it was built before `format` wrote into one buffer: the canonical form the reports,
    /// CSV files and reasons hold, which must not change by a byte.
    static func pieceByPiece(_ raw: Int128, _ minimumFractionDigits: Int) -> String {
        let magnitude = raw.magnitude
        var fraction = String(magnitude % UInt128(Fixed.scale))
        fraction = String(repeating: "0", count: Fixed.fractionDigits - fraction.count) + fraction
        while fraction.count > minimumFractionDigits, fraction.last == "0" { fraction.removeLast() }
        return (raw < 0 ? "-" : "") + String(magnitude / UInt128(Fixed.scale)) + (fraction.isEmpty ? "" : "." + fraction)
    }

    @Test("format gives the canonical text of every shape of value, for every minimum of fraction digits", arguments: [0, 1, 2, 4, 8, 10])
    func formatMatchesTheCanonicalText(minimum: Int) {
        var values: [Int128] = [0, 1, -1, 9, 10, 99_999_999, 100_000_000, -100_000_000, 123_456_789, 120_000_000, 100_000_001,
                                Int128(Int64.max), Int128(Int64.min), Int128(UInt64.max) * 100_000_000, Int128(UInt64.max) * 100_000_000 + 5,
                                -Int128(UInt64.max) * 100_000_000 - 50, .max, .min, .max - 1, .min + 1]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17  // xorshift: many digits patterns, trailing zeros included
            let trailing = Int128(10).power(Int(x % 12))
            values.append(Int128(Int64(bitPattern: x) >> Int(x % 60)) * trailing)
        }
        for value in values { #expect(Fixed.format(wide: value, minimumFractionDigits: minimum) == Self.pieceByPiece(value, minimum)) }
    }
}

extension Int128 {
    fileprivate func power(_ n: Int) -> Int128 { (0..<n).reduce(1) { product, _ in product * self } }
}

@Suite struct LimitsTests {
    @Test("prices within ±$1 000 000 000 are accepted; beyond, the problem is named")
    func prices() {
        #expect(Limits.priceProblem(Fixed(1_000_000_000)) == nil)
        #expect(Limits.priceProblem(Fixed(-1_000_000_000)) == nil)
        #expect(Limits.priceProblem(Fixed(raw: 100_000_000_000_000_001)) == "1000000000.00000001 is beyond the largest price Tapebench accepts, ±1000000000.00")
        #expect(Limits.priceProblem(90_000_000_000.0) == "90000000000.0 is beyond the largest price Tapebench accepts, ±1000000000.00")
        #expect(Limits.priceProblem(Double.nan) != nil)
        #expect(Limits.priceProblem(999_999_999.99) == nil)
    }

    @Test("volumes within ±10^15 shares are accepted; beyond, or not finite, refused", arguments: [
        (1e15, true), (-1e15, true), (0, true), (1.5, true), (1.000001e15, false), (9.3e19, false), (1.7e308, false), (.infinity, false), (.nan, false),
    ] as [(Double, Bool)])
    func volumes(volume: Double, accepted: Bool) {
        #expect((Limits.volumeProblem(volume) == nil) == accepted)
    }

    @Test("nine of the largest amounts still sum inside a Fixed: reports may add a few without checks")
    func headroom() {
        #expect(Int128(Limits.maxAmount.raw) * 9 <= Int128(Int64.max))
        #expect(Int128(Limits.maxPrice.raw) * 9 <= Int128(Int64.max))
        // Whole numbers of shares up to the bound are exact as Doubles.
        #expect(Double(Limits.maxShares) < 9_007_199_254_740_992)
        // A price times a quantity at the bounds is far inside Int128.
        #expect(Limits.maxPrice.wideProduct(Limits.maxShares) < Int128.max / 1_000_000)
    }

    @Test("bar times from 1900 to 2149: any two differ by less than an Int64 of nanoseconds, and a day later is still a Timestamp")
    func times() {
        #expect(Limits.earliestTime.iso8601 == "1899-12-31T00:00:00Z")
        #expect(Limits.latestTime.iso8601 == "2150-01-02T00:00:00Z")
        #expect(!Limits.latestTime.nanoseconds.subtractingReportingOverflow(Limits.earliestTime.nanoseconds).overflow)
        #expect(!Limits.latestTime.nanoseconds.addingReportingOverflow(Timestamp.nanosecondsPerDay * 365).overflow)
        #expect(Limits.timeProblem(Limits.latestTime) == nil && Limits.timeProblem(Limits.earliestTime) == nil)
        #expect(Limits.timeProblem(Limits.latestTime.adding(nanoseconds: 1)) == "2150-01-02T00:00:00.000000001Z is outside the times Tapebench reads, the years 1900 to 2149")
    }
}
