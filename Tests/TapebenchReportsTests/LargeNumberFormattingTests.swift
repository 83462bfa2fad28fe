import Testing
import TapebenchCore
import TapebenchReports

/// Statistics and amounts at the edge of what a report may show are written, not trapped on.
@Suite struct LargeNumberFormattingTests {
    @Test("statistics too large for their digits are written whole, or as Swift prints a Double past Int128", arguments: [
        (1e19, 2, "10000000000000000000"),
        (-9.3e19, 6, "-93000000000000000000"),
        (1.7e308, 6, "1.7e+308"),
        (-1e300, 2, "-1e+300"),
        (Double.nan, 2, "0.00"),
        (Double.infinity, 6, "0.000000"),
        (1234.5678, 2, "1234.57"),
    ] as [(Double, Int, String)])
    func statistics(value: Double, digits: Int, text: String) {
        #expect(formatStatistic(value, digits: digits) == text)
    }

    @Test("money at the edges of Fixed, rounded for tables")
    func money() {
        #expect(JSONValue.money(Fixed(raw: .max)) == .number("92233720368.54775807"))
        #expect(JSONValue.money(Fixed(raw: .min)) == .number("-92233720368.54775808"))
    }
}
