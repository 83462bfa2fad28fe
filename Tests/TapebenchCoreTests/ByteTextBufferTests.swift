import Testing
import TapebenchCore

/// `ByteText` keeps its bytes in a buffer of its own, copied on write: appends of every kind, growing from
/// small capacities, must give the bytes an `[UInt8]` gets, and a copy must never see another's changes.
@Suite struct ByteTextBufferTests {
    /// One seeded append, to the text and to the array that checks it.
    private static func append(_ random: inout SplitMix64, to text: inout ByteText, checked array: inout [UInt8]) {
        switch random.next() % 6 {
        case 0:
            let byte = UInt8(truncatingIfNeeded: random.next())
            text.append(byte: byte)
            array.append(byte)
        case 1:
            // Short names and texts longer than any scratch, multi-byte characters among them.
            let piece = String(repeating: "é,x", count: Int(random.next() % 4 == 0 ? random.next() % 400 : random.next() % 6))
            text.append(piece)
            array += Array(piece.utf8)
        case 2:
            let piece: StaticString = "a static piece"
            text.append(piece)
            array += Array("a static piece".utf8)
        case 3:
            let value = Int64(bitPattern: random.next()) >> Int64(random.next() % 63)
            text.append(integer: value)
            array += Array(String(value).utf8)
        case 4:
            let width = Int(random.next() % 32)
            let value = random.next() >> (random.next() % 64)
            text.append(digitsOf: value, width: width)
            let digits = String(value)
            array += Array((String(repeating: "0", count: max(0, width - digits.count)) + digits).utf8)
        default:
            let bytes = (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            text.append(bytes)
            array += bytes
        }
    }

    @Test("500 seeded texts of up to 400 appends from capacities 0 to 64: the bytes an array gets")
    func seeded() {
        var random = SplitMix64(seed: 21)
        for _ in 0..<500 {
            var text = ByteText(capacity: Int(random.next() % 65)), array: [UInt8] = []
            for _ in 0..<Int(random.next() % 400) { Self.append(&random, to: &text, checked: &array) }
            #expect(text.bytes == array)
            #expect(text.count == array.count)
            #expect(text.withUnsafeBytes { Array($0) } == array)
        }
    }

    @Test("copies are independent: appending to, emptying or growing one leaves the other as it was")
    func copyOnWrite() {
        var first = ByteText(capacity: 4)
        first.append("abc")
        var second = first
        second.append("def")
        #expect(first.bytes == Array("abc".utf8))
        #expect(second.bytes == Array("abcdef".utf8))
        var third = second
        third.removeAll()
        third.append(byte: UInt8(ascii: "z"))
        #expect(second.bytes == Array("abcdef".utf8))
        #expect(third.bytes == Array("z".utf8))
        // Grown far past its first buffer while a copy holds that buffer.
        let kept = third
        for _ in 0..<1_000 { third.append(integer: 1_234_567) }
        #expect(kept.bytes == Array("z".utf8))
        #expect(third.count == 1 + 7_000)
        #expect(third.isEmpty == false)
    }

    @Test("a kept field is copied only for its own key: repeated, changed and interleaved keys give the written bytes")
    func recentText() {
        var random = SplitMix64(seed: 9)
        var recent = RecentText()
        var kept = ByteText(), direct = ByteText()
        var written = 0
        var raw: Int64 = 0
        for _ in 0..<5_000 {
            // One field in five changes, to one of four values (so sometimes to the same one): most repeat the one before.
            if random.next() % 5 == 0 { raw = Int64(random.next() % 4) * 123_456_789 - 200_000_000 }
            kept.append(key: UInt64(bitPattern: raw), recent: &recent) { text in
                written += 1
                text.append(fixed: Fixed(raw: raw))
            }
            kept.append(byte: UInt8(ascii: ";"))
            direct.append(fixed: Fixed(raw: raw))
            direct.append(byte: UInt8(ascii: ";"))
        }
        #expect(kept.bytes == direct.bytes)
        // Repeats were copied: only about one field in seven (a change to a new value) was written.
        #expect(written < 1_200)
    }

    @Test("a field too long to keep is written again each time")
    func notKept() {
        var recent = RecentText()
        var out = ByteText()
        var writes = 0
        let long = String(repeating: "z", count: 30)
        for _ in 0..<3 {
            out.append(key: 1, recent: &recent) { text in
                writes += 1
                text.append(long)
            }
        }
        #expect(writes == 3)
        #expect(String(decoding: out.bytes, as: UTF8.self) == String(repeating: long, count: 3))
    }

    @Test("a repeated field of 24 bytes (the slot's size) is kept and copied; one of 25 is written each time; a new key writes again")
    func recentBoundary() {
        for (length, expectedWrites) in [(24, 2), (25, 4)] {
            var out = ByteText(capacity: 8)
            var recent = RecentText()
            var writes = 0
            let field = String(repeating: "y", count: length)
            for key: UInt64 in [7, 7, 7, 8] {
                out.append(key: key, recent: &recent) { text in
                    writes += 1
                    text.append(key == 7 ? field : "x")
                }
                out.append(byte: UInt8(ascii: ","))
            }
            #expect(writes == expectedWrites, "\(length) bytes")
            #expect(String(decoding: out.bytes, as: UTF8.self) == String(repeating: field + ",", count: 3) + "x,")
        }
    }
}
