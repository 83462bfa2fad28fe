import Foundation
import Testing
import TapebenchCore
import TapebenchTestSupport
@testable import TapebenchData

/// The line splitter hands its lines to a `LineConsumer` (the flat-file row loop's state), not a closure:
/// the lines, their numbers and the rows are those of a plain reference split of the same text, over seeded
/// texts with LF or CRLF endings, empty lines, a last line with or without its line break, and lines split
/// across blocks (the read buffer's refills).
@Suite struct FlatFileRowLoopTests {
    /// Records what it is handed, as "number:text".
    struct RecordingConsumer: LineConsumer {
        var lines: [String] = []
        mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int, mayHoldQuote: Bool) throws {
            lines.append("\(number):\(String(decoding: line, as: UTF8.self))")
        }
    }

    /// Lines of printable bytes (no quote, no line break), some empty, each ended by LF or CRLF (one for the
    /// whole text), the last one perhaps not.
    static func randomText(_ rng: inout SplitMix64) -> (text: [UInt8], lines: [[UInt8]]) {
        let crlf = rng.next() % 2 == 0
        var lines: [[UInt8]] = []
        for _ in 0..<Int(rng.next() % 40) {
            let length = rng.next() % 4 == 0 ? 0 : Int(rng.next() % 90)
            lines.append((0..<length).map { _ in UInt8(0x23 + rng.next() % 0x5B) })  // '#'...'}'
        }
        if lines.first?.isEmpty == false, rng.next() % 3 == 0 { lines[0] = Array("ticker,volume".utf8) }
        var text: [UInt8] = []
        var lastEnded = true
        for (i, line) in lines.enumerated() {
            text += line
            lastEnded = i < lines.count - 1 || rng.next() % 2 == 0
            if lastEnded { text += crlf ? [13, 10] : [10] }
        }
        // A last line without its line break is still a line; an empty one is none.
        if let last = lines.last, last.isEmpty, !lastEnded { lines.removeLast() }
        return (text, lines)
    }

    /// `text` fed to `splitter` in blocks: the first `first` bytes, then `rest` each.
    static func feed<Consumer: LineConsumer>(_ text: [UInt8], first: Int, rest: Int, into consumer: inout Consumer) throws {
        var splitter = LineSplitter(source: "t.csv")
        var start = 0
        while start < text.count {
            let end = min(text.count, start + (start == 0 ? first : rest))
            try text[start..<end].withUnsafeBytes { try splitter.feedRecords($0, into: &consumer) }
            start = end
        }
        try splitter.finishRecords(into: &consumer)
    }

    @Test("the consumer gets the lines of a reference split, and the closure API the same, whatever the blocks", arguments: 0..<8)
    func sameLinesAsReference(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x11E5 &+ seed)
        for _ in 0..<60 {
            let (text, lines) = Self.randomText(&rng)
            let expected = lines.enumerated().map { "\($0.offset + 1):\(String(decoding: $0.element, as: UTF8.self))" }
            for (first, rest) in [(1, 1), (4, 7), (5, 64), (64, 3), (text.count + 1, 1), (Int(rng.next() % 97) + 1, Int(rng.next() % 97) + 1)] {
                var consumer = RecordingConsumer()
                try Self.feed(text, first: first, rest: rest, into: &consumer)
                #expect(consumer.lines == expected, "\(text) \(first) \(rest)")
            }
            #expect(LineSplitterBlockTests.split(text, first: 5, rest: 11, quoted: false) == expected)
        }
    }

    /// A flat file's text (Polygon's header, or its columns shuffled), runs of a few tickers' rows with empty
    /// lines among them, LF or CRLF, the last line perhaps without its line break; and the rows a plain
    /// reference reading gives for `selected` ("ticker|start|open|high|low|close|volume|trades|line"), and the
    /// number of rows of every ticker.
    static func randomFlatFile(_ rng: inout SplitMix64, selected: Set<String>?) -> (text: [UInt8], rows: [String], rowCount: Int) {
        let standard = ["ticker", "volume", "open", "close", "high", "low", "window_start", "transactions"]
        var order = Array(0..<8)
        if rng.next() % 4 == 0 { order.shuffle(using: &rng) }
        let crlf = rng.next() % 2 == 0
        let ending: [UInt8] = crlf ? [13, 10] : [10]
        var text = Array(order.map { standard[$0] }.joined(separator: ",").utf8) + ending
        var rows: [String] = []
        var line = 1
        let tickers = ["A", "AAPL", "BRK.B", "GOOGL", "ABCDEFGH", "X"]
        let rowCount = 1500 + Int(rng.next() % 2500)  // past a 64 KiB read block
        var ticker = tickers[0]
        for i in 0..<rowCount {
            if rng.next() % 50 == 0 {
                text += ending
                line += 1
            }
            if rng.next() % 200 == 0 { ticker = tickers[Int(rng.next() % UInt64(tickers.count))] }
            func price() -> String {
                let cents = 1 + rng.next() % 5_000_000
                switch rng.next() % 3 {
                case 0: return "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
                case 1: return "\(cents / 10_000).\(cents % 10_000)"
                default: return "\(cents)"
                }
            }
            let values = [ticker, rng.next() % 7 == 0 ? "\(rng.next() % 100_000).5" : "\(rng.next() % 1_000_000)", price(), price(), price(), price(),
                          "\(1_700_000_000_000_000_000 + Int64(i) * 60_000_000_000)", rng.next() % 9 == 0 ? "" : "\(rng.next() % 10_000)"]
            let fields = order.map { values[$0] }
            text += Array(fields.joined(separator: ",").utf8)
            line += 1
            if i < rowCount - 1 || rng.next() % 2 == 0 { text += ending }
            guard selected?.contains(ticker) ?? true else { continue }
            func fixed(_ s: String) -> Int64 { var s = s; return s.withUTF8 { Fixed.parse($0)!.raw } }
            func number(_ s: String) -> Double { var s = s; return s.withUTF8 { FieldParsing.volume($0)! } }
            rows.append("\(ticker)|\(values[6])|\(fixed(values[2]))|\(fixed(values[4]))|\(fixed(values[5]))|\(fixed(values[3]))|\(number(values[1]))|\(values[7].isEmpty ? "nil" : values[7])|\(line)")
        }
        return (text, rows, rowCount)
    }

    @Test("a file's rows through the row loop are a reference reading's, for all tickers or a selection", arguments: 0..<6)
    func sameRowsAsReference(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0xF1A7 &+ seed)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var reading = FlatFileReading()  // one for all the files, as the day stream reads them
        for file in 0..<4 {
            let selected: Set<String>? = rng.next() % 2 == 0 ? nil : ["AAPL", "X", "ABCDEFGH"]
            let (text, expected, allRows) = Self.randomFlatFile(&rng, selected: selected)
            let path = folder + "/\(file).csv"
            try Data(text).write(to: URL(fileURLWithPath: path))
            var got: [String] = []
            let rowCount = try PolygonFlatFileReader.forEachRow(path: path, tickers: selected, reading: &reading) { ticker, row, line in
                got.append("\(ticker)|\(row.start)|\(row.open)|\(row.high)|\(row.low)|\(row.close)|\(row.volume)|\(row.trades.map { "\($0)" } ?? "nil")|\(line)")
            }
            #expect(got == expected, "file \(file) seed \(seed)")
            #expect(rowCount == allRows)
        }
    }
}
