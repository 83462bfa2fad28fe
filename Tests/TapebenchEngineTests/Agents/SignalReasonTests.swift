import Foundation
import Testing
import TapebenchCore
@testable import TapebenchEngine

/// A signal's reason is a value, written as text only where the signal is written: each kind's text, hand
/// written here as the agents interpolated it when the reason was a string.
@Suite struct SignalReasonTests {
    static let kinds: [(SignalReason, String)] = [
        (.vwapDeviation(basisPoints: -52), "vwap_deviation=-52bp"),
        (.vwapDeviation(basisPoints: 0), "vwap_deviation=0bp"),
        (.vwapDeviation(basisPoints: .min), "vwap_deviation=-9223372036854775808bp"),
        (.breakout(Fixed(parsing: "101.5")!), "breakout=101.50"),
        (.breakout(Fixed(parsing: "0.00012345")!), "breakout=0.00012345"),
        (.breakdown(Fixed(parsing: "-3")!), "breakdown=-3.00"),
        (.volumeSurge(percent: 300), "volume_surge=300%"),
        (.volumeSurge(percent: .max), "volume_surge=9223372036854775807%"),
        (.volumeSurgeFade, "volume_surge_fade"),
        (.text("a tape's own words"), "a tape's own words"),
    ]

    @Test("each kind reads as the agent's interpolation wrote it")
    func texts() {
        for (reason, text) in Self.kinds {
            #expect(reason.text == text)
            #expect("\(reason)" == text)
        }
    }

    @Test("the kind reports group closes by is the text up to its first '='")
    func kinds() {
        for (reason, text) in Self.kinds { #expect(reason.kind == String(text.prefix { $0 != "=" })) }
        #expect(SignalReason.volumeSurgeFade.kind == "volume_surge_fade")
        #expect(LaneTotals.signalKind(nil) == "none")
        #expect(LaneTotals.signalKind(.vwapDeviation(basisPoints: 7)) == "vwap_deviation")
    }

    @Test("coded as its text, read back as text equal to it")
    func coding() throws {
        for (reason, text) in Self.kinds {
            let data = try JSONEncoder().encode([reason])
            #expect(String(decoding: data, as: UTF8.self) == "[\"\(text.replacingOccurrences(of: "'", with: "'"))\"]")
            #expect(try JSONDecoder().decode([SignalReason].self, from: data) == [reason])
        }
    }

    @Test("the breakout texts are the price's own description (as `breakout=\\(high)` wrote it)")
    func priceText() {
        for raw: Int64 in [0, 1, 99, 100_000_000, 123_456_789_012, -5, .max, .min] {
            let price = Fixed(raw: raw)
            #expect(SignalReason.breakout(price).text == "breakout=\(price)")
            #expect(SignalReason.breakdown(price).text == "breakdown=\(price)")
        }
    }

    @Test("written into a row's buffer: the same bytes, after what the buffer held")
    func writtenInPlace() {
        for (reason, text) in Self.kinds {
            var out = ByteText()
            out.append("9,")
            reason.write(to: &out)
            #expect(out.bytes == Array("9,\(text)".utf8))
        }
    }

    @Test("a reason equals its text as a literal (`.text`) and hashes as it")
    func equalByText() {
        let typed = SignalReason.vwapDeviation(basisPoints: -202)
        #expect(typed == "vwap_deviation=-202bp")
        #expect(typed.hashValue == SignalReason.text("vwap_deviation=-202bp").hashValue)
        #expect(typed != .vwapDeviation(basisPoints: -203))
    }
}
