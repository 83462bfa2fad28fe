import Testing
import TapebenchCore
@testable import TapebenchData

/// The row parser's whole-word reads: a price in one word (`priceInWord`), a 19-digit time in three
/// (`nineteenDigits`), a line's last short field in the line's last word (`trailingDigits`), and the time
/// bounds compared in the row. Each against the digit-by-digit readings, at an offset inside a line (the
/// last-word read needs the line's bytes before the field).
@Suite struct FlatFileWordTests {
    /// `FlatFileRow.integer` on `field` placed after `prefix` in one line: its value and end within the field.
    static func integer(_ field: [UInt8], after prefix: [UInt8]) -> (Int64?, Int) {
        (prefix + field).withUnsafeBufferPointer { buffer in
            var i = prefix.count
            let value = FlatFileRow.integer(buffer.baseAddress!, &i, buffer.count)
            return (value, i - prefix.count)
        }
    }

    static func price(_ field: [UInt8], after prefix: [UInt8]) -> (Int64?, Int) {
        (prefix + field).withUnsafeBufferPointer { buffer in
            var i = prefix.count
            let value = FlatFileRow.price(buffer.baseAddress!, &i, buffer.count)
            return (value, i - prefix.count)
        }
    }

    static let prefixes: [[UInt8]] = [[], Array("T,".utf8), Array("AAPL,12345,".utf8), Array("T00001,136,185.06,185.17,".utf8)]

    @Test("integers of 0 to 24 digits after 0 to 25 bytes of line, with what may end them: the digit-by-digit value and end",
          arguments: 0..<40)
    func integersInLines(seed: UInt64) {
        var rng = SplitMix64(seed: 0x19D &+ seed)
        let endings: [[UInt8]] = [[], Array(",".utf8), Array(",1".utf8), Array(",12345678".utf8), Array("9".utf8), Array(".5".utf8), [0x2F], [0x3A], [0xB0]]
        for _ in 0..<500 {
            let length = rng.next() % 3 == 0 ? 19 : Int(rng.next() % 25)
            var field = (0..<length).map { _ in UInt8(48 + rng.next() % 10) }
            if rng.next() % 4 == 0, !field.isEmpty { field[Int(rng.next() % UInt64(field.count))] = UInt8(rng.next() % 256) }
            field += endings[Int(rng.next() % UInt64(endings.count))]
            let prefix = Self.prefixes[Int(rng.next() % UInt64(Self.prefixes.count))]
            let (value, end) = Self.integer(field, after: prefix)
            let (expected, expectedEnd) = FlatFileRowTests.digitByDigit(field)
            #expect(value == expected && end == expectedEnd, "\(prefix) \(field)")
        }
    }

    @Test("19-digit times by hand: the largest Int64, one more, 20 digits, and a broken digit at each place")
    func nineteenDigitTimes() {
        let line = Array("T,1,2,2,2,2,".utf8)
        for ending in ["", ",", ",1", ",123456789"] {
            #expect(Self.integer(Array(("1709546400000000000" + ending).utf8), after: line) == (1_709_546_400_000_000_000, 19))
            #expect(Self.integer(Array(("9223372036854775807" + ending).utf8), after: line) == (Int64.max, 19))
            #expect(Self.integer(Array(("9223372036854775808" + ending).utf8), after: line).0 == nil)
            #expect(Self.integer(Array(("9999999999999999999" + ending).utf8), after: line).0 == nil)
            #expect(Self.integer(Array(("0000000000000000001" + ending).utf8), after: line) == (1, 19))
            #expect(Self.integer(Array(("17095464000000000001" + ending).utf8), after: line).0 == nil)  // 20 digits
            for place in 0..<19 {
                var field = Array(("1709546400000000000" + ending).utf8)
                field[place] = UInt8(ascii: ",")
                let (value, end) = Self.integer(field, after: line)
                let (expected, expectedEnd) = FlatFileRowTests.digitByDigit(field)
                #expect(value == expected && end == expectedEnd, "\(field)")
            }
        }
    }

    @Test("a line's last field of 1 to 7 bytes, read from the line's last word: digits, and a non-digit at each place")
    func trailingFields() {
        for count in 1...7 {
            let digits = Array("8765432".utf8.prefix(count))
            for prefix in Self.prefixes.dropFirst(2) {
                #expect(Self.integer(digits, after: prefix) == (Int64(String(decoding: digits, as: UTF8.self))!, count))
                for place in 0..<count {
                    for byte: UInt8 in [0x2C, 0x2F, 0x3A, 0x2E, 0x20, 0xB9, 0x00] {
                        var field = digits
                        field[place] = byte
                        let (value, end) = Self.integer(field, after: prefix)
                        let (expected, expectedEnd) = FlatFileRowTests.digitByDigit(field)
                        #expect(value == expected && end == expectedEnd, "\(prefix) \(field)")
                    }
                }
            }
        }
    }

    @Test("prices after 0 to 25 bytes of line: the reference parser's value, refusal and end", arguments: 0..<20)
    func pricesInLines(seed: UInt64) {
        var rng = SplitMix64(seed: 0x9A1 &+ seed)
        for _ in 0..<500 {
            let field = FlatFilePriceTests.randomField(&rng)
            let prefix = Self.prefixes[Int(rng.next() % UInt64(Self.prefixes.count))]
            let (value, end) = Self.price(field, after: prefix)
            let (expected, expectedEnd) = FlatFilePriceTests.referencePrice(field)
            #expect(value == expected && end == expectedEnd, "\(String(decoding: field, as: UTF8.self)) \(field)")
        }
    }

    @Test("prices in one word by hand: value and length")
    func pricesInAWord() {
        func inWord(_ text: String) -> (Int64, Int)? {
            Array((text + "12345678").utf8).withUnsafeBufferPointer { FlatFileRow.priceInWord($0.baseAddress!) }.map { ($0.value, $0.length) }
        }
        #expect(inWord("185.06,") ?? (0, 0) == (18_506_000_000, 6))
        #expect(inWord("0.5,") ?? (0, 0) == (50_000_000, 3))
        #expect(inWord(".000001,") ?? (0, 0) == (100, 7))
        #expect(inWord("5.,") ?? (0, 0) == (500_000_000, 2))
        #expect(inWord("123456.,") ?? (0, 0) == (12_345_600_000_000, 7))
        #expect(inWord("1234567,") ?? (0, 0) == (123_456_700_000_000, 7))
        #expect(inWord("12345.67,") == nil)  // 7 digits: left to the two-word read
        #expect(inWord("1234567.,") == nil)  // the dot last in the word
        #expect(inWord(".,") == nil)
        #expect(inWord(",") == nil)
        #expect(inWord("-1.5,") == nil)
    }

    @Test("the row's time bounds: the latest time Tapebench reads is a row, one nanosecond more is left to the general path")
    func timeBounds() {
        func row(_ start: Int64) -> FlatFileRow? {
            let line = Array("T,100,1.5,1.5,1.5,1.5,\(start),3".utf8)
            return line.withUnsafeBufferPointer { FlatFileRow.parse($0, from: 2, hasTransactions: true) }
        }
        let latest = Limits.latestTime.nanoseconds
        #expect(row(latest)?.start == latest)
        #expect(row(latest)?.trades == 3)
        #expect(row(latest + 1) == nil)
        #expect(row(0)?.start == 0)
        #expect(row(1_709_546_400_000_000_000)?.open == 150_000_000)
    }
}
