import Testing
import TapebenchCore
@testable import TapebenchData

/// The row parser's integers, read eight digits at a time: the same values and the same refusals as
/// reading digit by digit.
@Suite struct FlatFileRowTests {
    /// What `FlatFileRow.integer` answered before it read eight digits at once: digits up to the first
    /// other byte, 1 to 19 of them, within Int64; and where it stopped.
    static func digitByDigit(_ bytes: [UInt8]) -> (Int64?, Int) {
        var i = 0
        var value: UInt64 = 0
        while i < bytes.count, bytes[i] &- 48 < 10 {
            value = value &* 10 &+ UInt64(bytes[i] &- 48)
            i += 1
        }
        return (i > 0 && i <= 19 && value <= UInt64(Int64.max) ? Int64(value) : nil, i)
    }

    static func integer(_ bytes: [UInt8]) -> (Int64?, Int) {
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let value = FlatFileRow.integer(buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!, &i, buffer.count)
            return (value, i)
        }
    }

    @Test("eight digits by hand, and each byte just outside 0…9 at each place refused")
    func eightDigits() {
        func value(_ text: String) -> UInt64? { Array(text.utf8).withUnsafeBufferPointer { FlatFileRow.eightDigits($0.baseAddress!) } }
        #expect(value("12345678") == 12_345_678)
        #expect(value("00000000") == 0)
        #expect(value("99999999") == 99_999_999)
        #expect(value("17095464") == 17_095_464)
        #expect(value("10000001") == 10_000_001)
        for place in 0..<8 {
            for byte: UInt8 in [0x2F, 0x3A, 0x3F, 0x20, 0x2C, 0x2E, 0xB0, 0x00, 0x70] {
                var bytes = Array("12345678".utf8)
                bytes[place] = byte
                #expect(bytes.withUnsafeBufferPointer { FlatFileRow.eightDigits($0.baseAddress!) } == nil, "byte \(byte) at \(place)")
            }
        }
    }

    @Test("integers of 0 to 24 digits, with and without a byte after them: the digit-by-digit answer and end",
          arguments: 0..<200)
    func sameAsDigitByDigit(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let length = Int(rng.next() % 25)
        var bytes = (0..<length).map { _ in UInt8(48 + rng.next() % 10) }
        // Near the limits: Int64.max and one more, as 19 digits.
        if seed == 0 { bytes = Array("9223372036854775807".utf8) }
        if seed == 1 { bytes = Array("9223372036854775808".utf8) }
        if seed == 2 { bytes = Array("1709546400000000000".utf8) }
        switch seed < 3 ? 3 : rng.next() % 4 {
        case 0: bytes += Array(",55".utf8)
        case 1: bytes += [UInt8(rng.next() % 256)]
        case 2: if !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(rng.next() % 256) }
        default: break
        }
        let (expected, end) = Self.digitByDigit(bytes)
        let (value, stop) = Self.integer(bytes)
        #expect(value == expected && stop == end, "\(bytes)")
        if seed == 0 { #expect(value == Int64.max) }
        if seed == 1 { #expect(value == nil) }
        if seed == 2 { #expect(value == 1_709_546_400_000_000_000) }
    }

    @Test("Polygon's exact header is read as bytes into the columns the general header path makes; any other header is left to it")
    func standardHeader() {
        func columns(_ header: String) -> FlatFileColumns? { Array(header.utf8).withUnsafeBufferPointer { FlatFileColumns.standard(header: $0) } }
        func viaNames(_ header: String) -> FlatFileColumns {
            let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            var map: [String: Int] = [:]
            for (index, name) in names.enumerated() { map[name] = index }
            return FlatFileColumns(map, count: names.count)
        }
        func same(_ a: FlatFileColumns, _ b: FlatFileColumns) -> Bool {
            [a.ticker, a.volume, a.open, a.close, a.high, a.low, a.windowStart] == [b.ticker, b.volume, b.open, b.close, b.high, b.low, b.windowStart]
                && a.transactions == b.transactions && a.isStandard == b.isStandard
        }
        let full = "ticker,volume,open,close,high,low,window_start,transactions"
        let short = "ticker,volume,open,close,high,low,window_start"
        for header in [full, short] {
            guard let fast = columns(header) else { Issue.record("\(header) not recognised"); continue }
            #expect(same(fast, viaNames(header)) && fast.isStandard)
        }
        #expect(columns(full)?.transactions == 7 && columns(short)?.transactions == nil)
        // Near misses: the general path reads them (some as Polygon's order after trimming, some not at all).
        for header in [" " + full, full + " ", full + ",", full + ",x", "Ticker" + full.dropFirst(6), short + ",transaction",
                       "ticker,volume,open,close,low,high,window_start", full + "\r", "", "ticker"] {
            #expect(columns(header) == nil, "\(header)")
        }
    }
}
