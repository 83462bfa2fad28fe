import Foundation
import Testing
import TapebenchCore

/// `Bar` keeps `vwap` and `tradeCount` as plain numbers and a byte of which are present (96 bytes, not 112);
/// the optionals read, write, compare and encode as stored optionals did.
@Suite struct BarTests {
    static func bar(vwap: Price? = nil, tradeCount: Int64? = nil) -> Bar {
        Bar(ticker: "AAPL", start: Timestamp(seconds: 1_710_163_800), open: Fixed(10), high: Fixed(11), low: Fixed(9), close: Fixed(10),
            volume: 1_500, vwap: vwap, tradeCount: tradeCount)
    }

    @Test("a bar is 96 bytes, a stride with no optional's padding")
    func size() {
        #expect(MemoryLayout<Bar>.stride == 96)
    }

    @Test("vwap and tradeCount keep every value, 0 and the extremes included, and nil apart from them",
          arguments: [nil, 0, 1, -1, Int64.max, Int64.min] as [Int64?])
    func optionals(value: Int64?) {
        var bar = Self.bar(vwap: value.map(Fixed.init(raw:)), tradeCount: value)
        #expect(bar.vwap == value.map(Fixed.init(raw:)))
        #expect(bar.tradeCount == value)
        // Each set on its own leaves the other as it was.
        bar.vwap = Fixed(raw: 7)
        #expect(bar.tradeCount == value && bar.vwap == Fixed(raw: 7))
        bar.tradeCount = nil
        #expect(bar.tradeCount == nil && bar.vwap == Fixed(raw: 7))
        bar.vwap = nil
        #expect(bar.vwap == nil && bar.tradeCount == nil)
        bar.tradeCount = value
        #expect(bar.tradeCount == value && bar.vwap == nil)
    }

    @Test("a missing value equals only a missing value: nil is not 0")
    func nilIsNotZero() {
        #expect(Self.bar(vwap: nil) != Self.bar(vwap: Fixed(raw: 0)))
        #expect(Self.bar(tradeCount: nil) != Self.bar(tradeCount: 0))
        #expect(Self.bar(vwap: Fixed(3), tradeCount: 4) == Self.bar(vwap: Fixed(3), tradeCount: 4))
    }

    @Test("JSON as the stored optionals wrote it: absent keys for nil, and back")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let without = String(decoding: try encoder.encode(Self.bar()), as: UTF8.self)
        #expect(!without.contains("vwap") && !without.contains("tradeCount"))
        let with = Self.bar(vwap: Fixed(raw: 1_005_000_000), tradeCount: 12)
        let text = String(decoding: try encoder.encode(with), as: UTF8.self)
        #expect(text.contains("\"tradeCount\":12"))
        for bar in [Self.bar(), with] {
            #expect(try JSONDecoder().decode(Bar.self, from: encoder.encode(bar)) == bar)
        }
    }
}
