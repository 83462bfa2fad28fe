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
        #expect(Fixed(100).scaled(by: 10_001, over: 10_000) == Fixed(parsing: "100.01"))
        #expect(Fixed(raw: 5).scaled(by: 1, over: 2).raw == 2)
        #expect(Fixed(raw: 7).scaled(by: 1, over: 2).raw == 4)
        #expect(Fixed(raw: -7).scaled(by: 1, over: 2).raw == -4)
    }

    @Test("a price times shares is exact")
    func multiply() {
        #expect(Fixed(parsing: "167.41")! * 300 == Fixed(parsing: "50223")!)
    }

    @Test("whole units a budget buys round down")
    func wholeUnits() {
        #expect(Fixed(10_000).wholeUnits(dividedBy: Fixed(parsing: "333.33")!) == 30)
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
}
