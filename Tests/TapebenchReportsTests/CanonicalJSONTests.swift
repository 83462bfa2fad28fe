import Testing
import TapebenchCore
import TapebenchReports

@Suite struct CanonicalJSONTests {
    @Test("keys sorted, fixed formatting, LF, escaped strings")
    func rendering() {
        let value: JSONValue = .object([
            "b": .money(Fixed(parsing: "1.5")!),
            "a": .array([.statistic(1.0 / 3.0), .integer(-2), .null, .bool(true)]),
            "c": .string("say \"hi\"\n\u{1}"),
            "d": .object([:]),
        ])
        #expect(value.rendered() == """
            {
              "a": [
                0.333333,
                -2,
                null,
                true
              ],
              "b": 1.50,
              "c": "say \\"hi\\"\\n\\u0001",
              "d": {}
            }

            """)
    }

    @Test("strings escaped as scalar by scalar: the whole-text fast path and the escaping path agree", arguments: [
        "plain", "", "ünïcödé €", "emoji 📈 end", "tab\tin", "quote \" mid", "back\\slash", "nul \u{0} and \u{1F}", "del \u{7F} stays",
        "\u{1F}", "é\n",
    ])
    func escaping(text: String) {
        var expected = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: expected += "\\\""
            case 0x5C: expected += "\\\\"
            case 0x0A: expected += "\\n"
            case 0x0D: expected += "\\r"
            case 0x09: expected += "\\t"
            case 0..<0x20: expected += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: expected.unicodeScalars.append(scalar)
            }
        }
        expected += "\""
        #expect(JSONValue.string(text).rendered() == expected + "\n")
    }

    @Test("nesting deeper than the indentation string: 40 levels, 2 spaces each")
    func deepIndentation() {
        var value = JSONValue.null
        for _ in 0..<40 { value = .array([value]) }
        let lines = value.rendered().split(separator: "\n")
        #expect(lines.count == 81)
        #expect(lines[40] == Substring(String(repeating: " ", count: 80) + "null"))
        #expect(lines[79] == "  ]")
    }

    @Test("statistics are rounded half to even at six decimals, without exponent", arguments: [
        (0.0000005, "0.000000"), (0.0000015, "0.000002"), (-0.25, "-0.250000"), (1e-12, "0.000000"),
        (123456.5, "123456.500000"), (Double.nan, "0.000000"),
    ])
    func statistics(value: Double, text: String) {
        #expect(formatStatistic(value, digits: 6) == text)
    }
}

@Suite struct FormatStatisticTests {
    @Test("no decimals: rounded half to even, no point (it trapped on 'negative count')", arguments: [
        (0.2, "0"), (2.5, "2"), (3.5, "4"), (-1.6, "-2"), (12.0, "12"),
    ])
    func wholeNumbers(value: Double, text: String) {
        #expect(formatStatistic(value, digits: 0) == text)
    }
}
