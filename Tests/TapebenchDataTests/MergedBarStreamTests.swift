import Testing
import TapebenchCore
import TapebenchData

/// Merging streams that are each in replay order: one stream passes through, several interleave by
/// (start, ticker), and a stream out of time order is refused rather than replayed.
@Suite struct MergedBarStreamTests {
    /// Bars given as a list, with an open table numbering their tickers in the order first seen.
    struct ListStream: BarStream {
        var bars: [Bar]
        var position = 0
        var quality = DataQualityReport()
        var tickers = TickerTable()

        init(_ bars: [Bar]) { self.bars = bars }

        mutating func next() throws -> Bar? {
            guard position < bars.count else { return nil }
            defer { position += 1 }
            var bar = bars[position]
            bar.tickerID = tickers.id(for: bar.ticker) ?? .unassigned
            return bar
        }
    }

    func bar(_ ticker: String, minute: Int64) -> Bar {
        Bar(ticker: ticker, start: Timestamp(nanoseconds: minute * Timestamp.nanosecondsPerMinute), open: Fixed(1), high: Fixed(1), low: Fixed(1),
            close: Fixed(1), volume: 1)
    }

    func drain(_ stream: inout MergedBarStream) throws -> [String] {
        var out: [String] = []
        while let bar = try stream.next() { out.append("\(bar.ticker)@\(bar.start.nanoseconds / Timestamp.nanosecondsPerMinute)#\(bar.tickerID.raw)") }
        return out
    }

    @Test("one stream: its bars and ids as they come, and its table")
    func one() throws {
        var merged = MergedBarStream([ListStream([bar("B", minute: 0), bar("A", minute: 0), bar("B", minute: 1)])])
        #expect(try drain(&merged) == ["B@0#0", "A@0#1", "B@1#0"])
        #expect(merged.tickers.names == ["B", "A"])
        #expect(try merged.next() == nil)
    }

    @Test("two streams: by start, then ticker; ids renumbered into one table in the order the merged bars come")
    func two() throws {
        var merged = MergedBarStream([ListStream([bar("B", minute: 0), bar("B", minute: 2)]), ListStream([bar("A", minute: 0), bar("C", minute: 1)])])
        #expect(try drain(&merged) == ["A@0#0", "B@0#1", "C@1#2", "B@2#1"])
    }

    @Test("a stream out of time order is refused at the bar that goes back, with one stream or several", arguments: [1, 2])
    func outOfOrder(streams: Int) throws {
        let broken = ListStream([bar("A", minute: 5), bar("A", minute: 3)])
        var merged = MergedBarStream(streams == 1 ? [broken] : [broken, ListStream([])])
        #expect(try merged.next()?.start == Timestamp(nanoseconds: 5 * Timestamp.nanosecondsPerMinute))
        #expect(throws: InputError.self) { try merged.next() }
    }
}
