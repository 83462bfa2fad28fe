import Testing
import TapebenchCore
@testable import TapebenchData

/// The row parser's reuse of the last price's shape (`PriceShape`) and its reading of a whole minute's time
/// (`FlatFileRow.time`): rows read one after another with the shape kept give what each row gives read
/// alone (no shape: every price by `price`), and a time what `integer` gives, for generated rows that mix
/// the common shapes with odd widths, leading zeros, broken and non-ASCII bytes, signs, exponents, missing
/// and extra fields and too many digits.
@Suite struct FlatFileShapeTests {
    /// A price's text: mostly the shapes of real files, often another width, sometimes what no shape reads.
    static func price(_ rng: inout SplitMix64) -> [UInt8] {
        func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(rng.next() % 10)) }) }
        switch rng.next() % 24 {
        case 0: return Array((digits(Int(rng.next() % 9)) + "." + digits(Int(rng.next() % 10))).utf8)  // any width, 9 fraction digits
        case 1: return Array(digits(Int(rng.next() % 12)).utf8)  // no dot, 0 to 11 digits
        case 2: return Array("1e2".utf8)
        case 3: return Array("-1.5".utf8)
        case 4: return Array("+3.25".utf8)
        case 5: return Array(".".utf8)
        case 6: return Array("7.".utf8)
        case 7: return Array(".5".utf8)
        case 8: return Array("007.50".utf8)
        case 9: return Array("1.2.3".utf8)
        case 10: return Array("12345678901234567890".utf8)
        case 11: return Array("1234567.5".utf8)  // 7 whole digits and a dot: not a shape
        case 12: return Array("12é.5".utf8)
        case 13:
            var bytes = Array("182.76".utf8)
            // Any byte at any place, often one just outside the digits (`/`, `:`, `?`) or a dot or comma.
            let edges: [UInt8] = [0x2F, 0x3A, 0x3F, 0x2E, 0x2C, 0xB5]
            bytes[Int(rng.next() % 6)] = rng.next() % 2 == 0 ? edges[Int(rng.next() % 6)] : UInt8(rng.next() % 256)
            return bytes
        case 14...18: return Array("182.\(digits(2))".utf8)
        default: return Array("\(rng.next() % 1000).\(digits(Int(rng.next() % 4)))".utf8)
        }
    }

    static func integer(_ rng: inout SplitMix64) -> [UInt8] {
        switch rng.next() % 12 {
        case 0: return []
        case 1: return Array("-5".utf8)
        case 2: return Array("1.5".utf8)
        case 3: return Array("99999999999999999999".utf8)
        default: return Array(String(rng.next() % 100_000).utf8)
        }
    }

    /// A `window_start`: mostly whole minutes, sometimes one nanosecond or a second off, 18 or 20 digits,
    /// beyond Int64, the largest whole minute of 19 digits, or a broken digit.
    static func time(_ rng: inout SplitMix64) -> [UInt8] {
        let minute = 1_710_163_800_000_000_000 + Int64(rng.next() % 100_000) * 60_000_000_000
        switch rng.next() % 14 {
        case 0: return Array(String(minute + 1).utf8)
        case 1: return Array(String(minute + 1_000_000_000).utf8)
        case 2: return Array("171016380000000000".utf8)  // 18 digits
        case 3: return Array("17101638000000000000".utf8)  // 20 digits
        case 4: return Array("9300000000000000000".utf8)  // beyond Int64, ten zeros
        case 5: return Array("9220000000000000000".utf8)  // the largest such within Int64
        case 6: return Array("0000000000000000000".utf8)
        case 7:
            var bytes = Array(String(minute).utf8)
            let edges: [UInt8] = [0x2F, 0x3A, 0x3F, 0x2C, 0x31]
            bytes[Int(rng.next() % 19)] = rng.next() % 2 == 0 ? edges[Int(rng.next() % 5)] : UInt8(rng.next() % 256)
            return bytes
        default: return Array(String(minute).utf8)
        }
    }

    static func row(_ rng: inout SplitMix64) -> [UInt8] {
        var fields: [[UInt8]] = [Array("T".utf8), integer(&rng), price(&rng), price(&rng), price(&rng), price(&rng), time(&rng), integer(&rng)]
        // Mostly the four prices of one shape, as real rows are.
        if rng.next() % 3 != 0 {
            let shape = price(&rng)
            for k in 2...5 {
                fields[k] = shape
                if !fields[k].isEmpty, fields[k][fields[k].count - 1] &- 48 < 10 { fields[k][fields[k].count - 1] = UInt8(48 + rng.next() % 10) }
            }
        }
        switch rng.next() % 30 {
        case 0: fields.removeLast()
        case 1: fields.append(Array("extra".utf8))
        case 2: fields.remove(at: 2 + Int(rng.next() % 4))  // a price missing
        default: break
        }
        var line = Array(fields.joined(separator: Array(",".utf8)))
        if rng.next() % 40 == 0 { line.append(UInt8(ascii: ",")) }  // a trailing comma
        if rng.next() % 40 == 0 { line.append(13) }  // a CR left in the line
        return line
    }

    static func same(_ a: FlatFileRow?, _ b: FlatFileRow?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.start == b.start && a.open == b.open && a.high == b.high && a.low == b.low && a.close == b.close
            && a.volume == b.volume && a.trades == b.trades
    }

    @Test("rows read with the last shape kept: each row's answer read alone, with and without transactions", arguments: 0..<40)
    func shapeKeptSameAsAlone(seed: UInt64) {
        var rng = SplitMix64(seed: 0x5A_A9E &+ seed)
        var shape = PriceShape.none
        var readByShape = 0
        for _ in 0..<500 {
            let line = Self.row(&rng)
            let hasTransactions = rng.next() % 5 != 0
            line.withUnsafeBufferPointer { buffer in
                let before = shape
                let kept = FlatFileRow.parse(buffer, from: 2, hasTransactions: hasTransactions, shape: &shape)
                let alone = FlatFileRow.parse(buffer, from: 2, hasTransactions: hasTransactions)
                #expect(Self.same(kept, alone), "\(String(decoding: line, as: UTF8.self))")
                if kept != nil, before.length > 0, before.length == shape.length { readByShape += 1 }
            }
        }
        #expect(readByShape > 10)  // the shape was used, not only made (15 to 37 rows of 500 a seed)
    }

    @Test("every price of a row read by the shape of another: the value and end of reading it without one")
    func everyShapeOnEveryPrice() {
        var texts: [String] = []
        for whole in 0...8 {
            for fraction in -1...8 { texts.append(String(repeating: "7", count: whole) + (fraction < 0 ? "" : "." + String(repeating: "3", count: fraction))) }
        }
        texts += ["0.0", "000.001", "99.99", "9999999", "999999.", ".999999", "12,5", "1.2.3", "1e5", "-1.5", "1 2", "12\u{e9}"]
        // A byte just outside 0…9 (`/`, `:`, `?`), a dot or a comma at each place of common shapes.
        for base in ["182.76", "18.5", "7", "1234567", ".25"] {
            for place in base.indices {
                for byte in ["/", ":", "?", ".", ","] {
                    var text = base
                    text.replaceSubrange(place...place, with: byte)
                    texts.append(text)
                }
            }
        }
        var shapes: [PriceShape] = [.none]
        for text in texts {
            let bytes = Array((text + ",").utf8)
            if let shape = bytes.withUnsafeBufferPointer({ PriceShape($0.baseAddress!, length: bytes.count) }) { shapes.append(shape) }
        }
        #expect(shapes.count > 30)
        for text in texts {
            for ending in ["", ",", ",1", ",1711010940000000000,1", "5,1", ".,1"] {
                let line = Array((text + ending).utf8)
                // Bytes after the line's end, as in a block: they must not be read as the line's.
                let padded = line + Array("123,45.6,".utf8)
                for shape in shapes {
                    padded.withUnsafeBufferPointer { buffer in
                        let p = buffer.baseAddress!
                        var (i, j) = (0, 0)
                        var kept = shape
                        let byShape = FlatFileRow.price(p, &i, line.count, shape: &kept)
                        var expected = FlatFileRow.price(p, &j, line.count)
                        if expected != nil, !FlatFileRow.comma(p, &j, line.count) { expected = nil }
                        #expect(byShape == expected, "\(text + ending) by a shape of length \(shape.length)")
                        if byShape != nil { #expect(i == j, "\(text + ending)") }
                    }
                }
            }
        }
    }

    @Test("times: `integer`'s value and end, after a line's start, with what may end them", arguments: 0..<20)
    func timesSameAsInteger(seed: UInt64) {
        var rng = SplitMix64(seed: 0x71_3E &+ seed)
        let endings: [[UInt8]] = [[], Array(",".utf8), Array(",1".utf8), Array("0".utf8), Array("5,1".utf8), [0xB0], Array(",12345678".utf8)]
        for _ in 0..<500 {
            let prefix = Array("T,1,2,2,2,2,".utf8)
            let field = Self.time(&rng) + endings[Int(rng.next() % UInt64(endings.count))]
            (prefix + field).withUnsafeBufferPointer { buffer in
                var (i, j) = (prefix.count, prefix.count)
                let fast = FlatFileRow.time(buffer.baseAddress!, &i, buffer.count)
                let expected = FlatFileRow.integer(buffer.baseAddress!, &j, buffer.count)
                #expect(fast == expected && i == j, "\(String(decoding: field, as: UTF8.self))")
            }
        }
        let minute: Int64? = Array("1710163800000000000".utf8).withUnsafeBufferPointer { buffer in
            var i = 0
            return FlatFileRow.time(buffer.baseAddress!, &i, buffer.count)
        }
        #expect(minute == 1_710_163_800_000_000_000)
    }
}
