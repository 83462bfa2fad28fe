import Testing
import TapebenchCore
@testable import TapebenchData

/// The row parser's prices and short integers, read a word at a time (`FlatFileRow.leadingDigits`): the same
/// values, refusals and end positions as the digit-by-digit reading they replaced, on seeded random and edge
/// texts, with every amount of line left after them (the word path needs eight readable bytes).
@Suite struct FlatFilePriceTests {
    /// The parser as it was before words: digit by digit, the scale from a table.
    static func referencePrice(_ bytes: [UInt8]) -> (Int64?, Int) {
        let powers: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]
        var i = 0
        var value: Int64 = 0
        var fraction = -1
        while i < bytes.count {
            let c = bytes[i]
            if c &- 48 < 10 {
                value = value &* 10 &+ Int64(c &- 48)
                if fraction >= 0 { fraction += 1 }
            } else if c == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
            } else {
                break
            }
            i += 1
        }
        let digits = i - (fraction >= 0 ? 1 : 0)
        guard digits > 0, digits <= 18, fraction <= 8 else { return (nil, i) }
        let (raw, overflow) = value.multipliedReportingOverflow(by: powers[8 - max(fraction, 0)])
        guard !overflow, raw <= Limits.maxPrice.raw else { return (nil, i) }
        return (raw, i)
    }

    static func price(_ bytes: [UInt8]) -> (Int64?, Int) {
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let value = FlatFileRow.price(buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!, &i, buffer.count)
            return (value, i)
        }
    }

    static func integer(_ bytes: [UInt8]) -> (Int64?, Int) {
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let value = FlatFileRow.integer(buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!, &i, buffer.count)
            return (value, i)
        }
    }

    /// A price-like text: 0…20 whole digits (some leading zeros), maybe a dot and 0…11 fraction digits, maybe
    /// a byte broken, then what follows a field (a comma and more fields, another byte, or the line's end).
    static func randomField(_ rng: inout SplitMix64) -> [UInt8] {
        func digits(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(48 + rng.next() % 10) } }
        var bytes = digits(Int(rng.next() % (rng.next() % 4 == 0 ? 21 : 9)))
        if rng.next() % 3 == 0, !bytes.isEmpty { bytes[0] = UInt8(ascii: "0") }
        if rng.next() % 5 != 0 { bytes += [UInt8(ascii: ".")] + digits(Int(rng.next() % 12)) }
        switch rng.next() % 8 {
        case 0: if !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(rng.next() % 256) }
        case 1: bytes.insert([UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: " ")][Int(rng.next() % 3)], at: 0)
        case 2: bytes += Array("e\(rng.next() % 12)".utf8)
        case 3: bytes += [UInt8(ascii: ".")] + digits(Int(rng.next() % 3))
        default: break
        }
        // The rest of the line: nothing, a few bytes, or the fields after a price.
        switch rng.next() % 3 {
        case 0: break
        case 1: bytes += (0..<Int(rng.next() % 9)).map { _ in UInt8(rng.next() % 256) }
        default: bytes += Array(",202.31,1709550180000000000,1".utf8.prefix(Int(rng.next() % 31)))
        }
        return bytes
    }

    @Test("random prices: the digit-by-digit value, refusal and end", arguments: 0..<40)
    func randomPrices(seed: UInt64) {
        var rng = SplitMix64(seed: 0xF1A7 &+ seed)
        for _ in 0..<500 {
            let bytes = Self.randomField(&rng)
            let (value, end) = Self.price(bytes)
            let (expected, expectedEnd) = Self.referencePrice(bytes)
            #expect(value == expected && end == expectedEnd, "\(String(decoding: bytes, as: UTF8.self)) \(bytes)")
        }
    }

    @Test("edge prices by hand, each followed by nothing, by a comma and by a long rest of line")
    func edgePrices() {
        let cases: [(String, Int64?)] = [
            ("202.10", 20_210_000_000), ("0", 0), ("0.0", 0), ("5.", 500_000_000), (".5", 50_000_000), (".", nil), ("", nil),
            ("00000001.5", 150_000_000), ("1234567.1234567", 123_456_712_345_670), ("12345678.12345678", 1_234_567_812_345_678),
            ("0.00000001", 1), ("0.000000001", nil), ("1.123456789", nil), ("999999999.99999999", 99_999_999_999_999_999),
            ("1000000000", 100_000_000_000_000_000), ("1000000000.00000001", nil), ("1000000001", nil),
            ("123456789012345678", nil), ("12345678901.2345678", nil), ("-1.5", nil), ("+1.5", nil), ("1e5", 100_000_000),
            ("1.5e2", 150_000_000), (" 1", nil), ("9999999", 999_999_900_000_000), ("9999999.9999999", 999_999_999_999_990),
        ]
        for (text, expected) in cases {
            for rest in ["", ",", ",202.31,1709550180000000000,1"] {
                let bytes = Array((text + rest).utf8)
                let (value, end) = Self.price(bytes)
                let (reference, referenceEnd) = Self.referencePrice(bytes)
                #expect(value == expected, "\(text + rest)")
                #expect(value == reference && end == referenceEnd, "\(text + rest)")
            }
        }
        // A value the row reads is the one `Fixed.parse` reads from the same text.
        for text in ["202.10", "0.00000001", "1234567.1234567", "999999999.99999999", ".5", "5."] {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { Fixed.parse($0) }
            #expect(Self.price(Array((text + ",1,2,3,4,5,6,7").utf8)).0 == parsed?.raw, "\(text)")
        }
    }

    @Test("prices whose dot and end fall in their first word: every dot place, end and ending byte")
    func pricesWithinAWord() {
        // Whole digits 0…7, fraction digits 0…7, then an ending byte (or more digits, to cross the word), then
        // the rest of the line: all the shapes around a word's bounds.
        let endings: [[UInt8]] = [[], Array(",".utf8), Array(".".utf8), Array(".5".utf8), Array("e2".utf8), [0x2F], [0x3A], [0xAE], [0x0E],
                                  Array("9".utf8), Array("99".utf8)]
        let rests: [[UInt8]] = [[], Array(",202.31,1709550180000000000,1".utf8), Array(",1".utf8)]
        var checked = 0
        for whole in 0...7 {
            for fraction in 0...7 {
                let digits = (0..<(whole + fraction)).map { UInt8(48 + ($0 * 7 + whole) % 10) }
                for ending in endings {
                    for rest in rests {
                        let bytes = Array(digits[0..<whole]) + [UInt8(ascii: ".")] + Array(digits[whole...]) + ending + rest
                        let (value, end) = Self.price(bytes)
                        let (expected, expectedEnd) = Self.referencePrice(bytes)
                        #expect(value == expected && end == expectedEnd, "\(String(decoding: bytes, as: UTF8.self)) \(bytes)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 8 * 8 * 11 * 3)
        // By hand: the dot at each place of the word, and a dot alone.
        for (text, expected) in [("1.2345,", 123_450_000), ("123456.7,", 12_345_670_000_000), (".000001,", 100), ("0.5,", 50_000_000),
                                 ("202.10,202.11", 20_210_000_000), ("9999.99,", 999_999_000_000)] as [(String, Int64)] {
            #expect(Self.price(Array((text + "1234567").utf8)).0 == expected, "\(text)")
        }
        let (dotAlone, dotEnd) = Self.price(Array(".,123456789".utf8))
        #expect(dotAlone == nil && dotEnd == 1)
    }

    @Test("short integers read as one word: the digit-by-digit value, refusal and end", arguments: 0..<20)
    func shortIntegers(seed: UInt64) {
        var rng = SplitMix64(seed: 0x1A7 &+ seed)
        for _ in 0..<500 {
            let bytes = Self.randomField(&rng)
            let (value, end) = Self.integer(bytes)
            let (expected, expectedEnd) = FlatFileRowTests.digitByDigit(bytes)
            #expect(value == expected && end == expectedEnd, "\(bytes)")
        }
    }

    @Test("leading digits of a word: each count 0…8, and a non-digit byte at each place")
    func leadingDigits() {
        for count in 0...8 {
            var bytes = Array("98765432".utf8)
            if count < 8 { bytes[count] = UInt8(ascii: ",") }
            let (value, found) = bytes.withUnsafeBufferPointer { FlatFileRow.leadingDigits($0.baseAddress!) }
            #expect(found == count)
            #expect(value == (count == 0 ? 0 : UInt64(String(decoding: bytes.prefix(count), as: UTF8.self))!))
        }
        for byte in 0...255 where !(48...57).contains(byte) {
            for place in 0..<8 {
                var bytes = Array("12345678".utf8)
                bytes[place] = UInt8(byte)
                let (_, found) = bytes.withUnsafeBufferPointer { FlatFileRow.leadingDigits($0.baseAddress!) }
                #expect(found == place, "byte \(byte) at \(place)")
            }
        }
    }

    @Test("ticker keys: a key only for a ticker of up to 7 bytes in the line's first word, equal keys exactly for equal tickers",
          arguments: 0..<10)
    func tickerKeys(seed: UInt64) {
        var rng = SplitMix64(seed: 0x7E4 &+ seed)
        // Short tickers from a small alphabet, so that pairs often agree, and rows of 0…14 bytes after them.
        func line() -> [UInt8] {
            let alphabet: [UInt8] = [0x41, 0x42, 0x2C, 0x00, 0x2D, 0xAC]
            return (0..<Int(rng.next() % 15)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        }
        for _ in 0..<2_000 {
            let (a, b) = (line(), line())
            guard let (commaA, keyA) = a.withUnsafeBufferPointer({ PolygonFlatFileReader.tickerKey($0) }),
                  let (commaB, keyB) = b.withUnsafeBufferPointer({ PolygonFlatFileReader.tickerKey($0) }) else {
                #expect(a.firstIndex(of: 0x2C) == nil || b.firstIndex(of: 0x2C) == nil, "\(a) \(b)")
                continue
            }
            #expect(commaA == a.firstIndex(of: 0x2C) && commaB == b.firstIndex(of: 0x2C))
            #expect((keyA != 0) == (a.count >= 8 && commaA < 8), "\(a)")
            if keyA != 0, keyB != 0 { #expect((keyA == keyB) == (a[..<commaA] == b[..<commaB]), "\(a) \(b)") }
        }
    }

    @Test("the first comma of a line, found in a word or by memchr: the byte scan's answer", arguments: 0..<10)
    func firstComma(seed: UInt64) {
        var rng = SplitMix64(seed: 0xC0 &+ seed)
        for _ in 0..<2_000 {
            // Lines of 0…20 bytes, commas rare or common, and bytes that a borrow could confuse (0x2B, 0x2D, 0xAC, 0x00).
            let alphabet: [UInt8] = [0x2C, 0x2B, 0x2D, 0xAC, 0x00, 0x01, 0xFF, 0x54, 0x30]
            let bytes = (0..<Int(rng.next() % 21)).map { _ in
                rng.next() % 3 == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(rng.next() % 256)
            }
            let expected = bytes.firstIndex(of: UInt8(ascii: ","))
            let found = bytes.withUnsafeBufferPointer { PolygonFlatFileReader.firstComma($0) }
            #expect(found == expected, "\(bytes)")
        }
        for place in 0..<12 {
            var bytes = [UInt8](repeating: UInt8(ascii: "T"), count: 12)
            bytes[place] = UInt8(ascii: ",")
            if place > 0 { bytes[place - 1] = 0x2D }  // ',' + 1 just before it
            #expect(bytes.withUnsafeBufferPointer { PolygonFlatFileReader.firstComma($0) } == place)
        }
    }
}
