import Testing
import TapebenchCore
@testable import TapebenchEngine

/// The ring buffer's in-place reads give the same bars as its subscript, across the wrap-around.
@Suite struct BarWindowTests {
    /// Bar i starts at minute i and closes at i dollars.
    func bar(_ i: Int) -> Bar {
        let price = Fixed(raw: Int64(i) * Fixed.scale)
        return Bar(ticker: "T", start: Timestamp(nanoseconds: Int64(i) * Timestamp.nanosecondsPerMinute), open: price, high: price, low: price,
                   close: price, volume: 1)
    }

    @Test("the subscript gives back each bar as appended (ticker, id, vwap, trade count, duration), across the wrap")
    func roundTrip() {
        var w = BarWindow(capacity: 3)
        var bars: [Bar] = []
        for i in 0..<7 {
            var b = bar(i)
            b.tickerID = TickerID(raw: 4)
            b.vwap = i % 2 == 0 ? Fixed(raw: Int64(i) * 7) : nil
            b.tradeCount = i % 3 == 0 ? Int64(i) : nil
            b.duration = Int64(i + 1) * Timestamp.nanosecondsPerMinute
            b.volume = Double(i) + 0.5
            bars.append(b)
            w.append(b)
            #expect(w.last == b && w.last?.tickerID == b.tickerID)
        }
        #expect((0..<3).map { w[$0] } == Array(bars[4...]))
        #expect((0..<3).map { w[$0].tickerID } == Array(repeating: TickerID(raw: 4), count: 3))
        #expect(w.ticker == "T")
        #expect(w.entry(at: 2).end == bars[6].end)
    }

    @Test("a bar's average price is its vwap when it has one, else (high + low + close) / 3")
    func averagePrice() {
        var w = BarWindow(capacity: 2)
        w.append(Bar(ticker: "T", start: Timestamp(nanoseconds: 0), open: Fixed(9), high: Fixed(12), low: Fixed(6), close: Fixed(9), volume: 250))
        w.append(Bar(ticker: "T", start: Timestamp(nanoseconds: 60_000_000_000), open: Fixed(9), high: Fixed(12), low: Fixed(6), close: Fixed(9),
                     volume: 7, vwap: Fixed(parsing: "10.5")))
        #expect(w.entry(at: 0).averagePrice == 9)
        #expect(w.entry(at: 1).averagePrice == 10.5)
        #expect(w.entry(at: 0).volume == 250)
        #expect(w.close(at: 1) == Fixed(9))
    }

    @Test("start(at:) is the subscript's start, before and after the window fills")
    func startInPlace() {
        var w = BarWindow(capacity: 3)
        w.append(bar(10))
        #expect(w.start(at: 0) == bar(10).start)
        for i in 11..<15 { w.append(bar(i)) }
        #expect((0..<3).map { w.start(at: $0) } == [bar(12).start, bar(13).start, bar(14).start])
        #expect((0..<3).map { w.start(at: $0) } == (0..<3).map { w[$0].start })
    }
}

@Suite struct BarWindowEntryTests {
    @Test("an entry is 80 bytes, a plain value; vwap and trade count come back as given, nil too")
    func layout() {
        #expect(MemoryLayout<BarWindow.Entry>.stride == 80)
        #expect(_isPOD(BarWindow.Entry.self))
        var w = BarWindow(capacity: 4)
        let start = Timestamp(nanoseconds: 0)
        for (vwap, trades) in [(Fixed?.none, Int64?.none), (Fixed(raw: 0), Int64(0)), (Fixed(raw: -5), nil), (nil, Int64.max)] {
            let bar = Bar(ticker: "T", start: start, open: Fixed(1), high: Fixed(1), low: Fixed(1), close: Fixed(1), volume: 1, vwap: vwap, tradeCount: trades)
            w.append(bar)
            #expect(w.entry(at: w.count - 1).vwap == vwap && w.entry(at: w.count - 1).tradeCount == trades)
            #expect(w.last == bar)
        }
    }
}
