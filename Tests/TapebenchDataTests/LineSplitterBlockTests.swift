import Testing
import TapebenchCore
@testable import TapebenchData

/// The splitter reads a first block of 4 bytes or more in place (no copy into its buffers) and gathers
/// only what does not tell the encoding or the line ending: the lines, their numbers and the errors are
/// those of the same text fed a byte at a time, whatever the first block's size.
@Suite struct LineSplitterBlockTests {
    /// The lines (number and text) of `text` fed in blocks of `first` bytes, then `rest` bytes each; or the error.
    static func split(_ text: [UInt8], first: Int, rest: Int, quoted: Bool) -> [String] {
        var splitter = LineSplitter(source: "t.csv", quoted: quoted)
        var out: [String] = []
        let body: LineSplitter.Body = { line, number, _ in out.append("\(number):\(String(decoding: line, as: UTF8.self))") }
        do {
            var start = 0
            while start < text.count {
                let end = min(text.count, start + (start == 0 ? first : rest))
                try text[start..<end].withUnsafeBytes { try splitter.feedRecords($0, body) }
                start = end
            }
            try splitter.finishRecords(body)
        } catch {
            out.append("error \(error)")
        }
        return out
    }

    @Test("texts of every line ending, with a byte order mark, UTF-16's or quotes: any first block splits as bytes one at a time",
          arguments: 0..<12)
    func sameLines(seed: UInt64) {
        var rng = SplitMix64(seed: 0x5B1 &+ seed)
        let pieces: [[UInt8]] = [Array("ticker,volume".utf8), Array("a,\"b\nc\",d".utf8), [10], [13], [13, 10], [0xEF, 0xBB, 0xBF],
                                 [0xFF, 0xFE], Array("T1,5".utf8), [44], [34]]
        // (No NUL: the encoding check looks for one in the whole first block, so where it is found depends on the blocks.)
        for _ in 0..<40 {
            var text: [UInt8] = []
            for _ in 0..<Int(rng.next() % 9) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            for quoted in [false, true] {
                let expected = Self.split(text, first: 1, rest: 1, quoted: quoted)
                for first in [2, 3, 4, 5, 8, 64] {
                    for rest in [1, 3, 64] {
                        #expect(Self.split(text, first: first, rest: rest, quoted: quoted) == expected, "\(text) \(first) \(rest) \(quoted)")
                    }
                }
            }
        }
    }
}
