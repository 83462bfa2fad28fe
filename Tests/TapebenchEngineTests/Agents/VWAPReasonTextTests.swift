import Testing
@testable import TapebenchEngine

/// The VWAP agent's signal reason, written byte by byte: the same text the interpolation gave.
@Suite struct VWAPReasonTextTests {
    @Test("deviations −52.4, 52.5 (to even: 52), 53.5 (54), 0, −0.4 and the saturated ends read as whole basis points",
          arguments: [(-52.4, "vwap_deviation=-52bp"), (52.5, "vwap_deviation=52bp"), (53.5, "vwap_deviation=54bp"), (0, "vwap_deviation=0bp"),
                      (-0.4, "vwap_deviation=0bp"), (1e300, "vwap_deviation=9223372036854775807bp"),
                      (-1e300, "vwap_deviation=-9223372036854775808bp"), (Double.nan, "vwap_deviation=0bp")])
    func text(deviation: Double, expected: String) {
        let reason = VWAPMeanReversionAgent.reason(deviation)
        #expect(reason.text == expected)
        #expect(reason.text == "vwap_deviation=\(wholeNumberForText(deviation))bp")
    }
}
