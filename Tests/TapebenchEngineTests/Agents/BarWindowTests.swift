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

    @Test("forEachAverage visits first...last oldest first, in a window that has wrapped (7 bars into 5 slots: 2, 3, 4, 5, 6)")
    func forEachAcrossTheWrap() {
        var w = BarWindow(capacity: 5)
        for i in 0..<7 { w.append(bar(i)) }
        var prices: [Double] = []
        w.forEachAverage(from: 1, through: 4) { prices.append($0.price) }
        #expect(prices == [3, 4, 5, 6])  // (h + l + c) / 3 of bars whose prices are all i dollars
        prices.removeAll()
        w.forEachAverage(from: 0, through: 0) { prices.append($0.price) }
        #expect(prices == [2])
        w.forEachAverage(from: 3, through: 2) { _ in Issue.record("an empty range visits nothing") }
    }

    @Test("a bar's average price is its vwap when it has one, else (high + low + close) / 3; with its volume")
    func averagePrice() {
        var w = BarWindow(capacity: 2)
        w.append(Bar(ticker: "T", start: Timestamp(nanoseconds: 0), open: Fixed(9), high: Fixed(12), low: Fixed(6), close: Fixed(9), volume: 250))
        w.append(Bar(ticker: "T", start: Timestamp(nanoseconds: 60_000_000_000), open: Fixed(9), high: Fixed(12), low: Fixed(6), close: Fixed(9),
                     volume: 7, vwap: Fixed(parsing: "10.5")))
        var seen: [BarWindow.PriceVolume] = []
        w.forEachAverage(from: 0, through: 1) { seen.append($0) }
        #expect(seen.map(\.price) == [9, 10.5])
        #expect(seen.map(\.volume) == [250, 7])
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

    /// The walk as the VWAP scan wrote it before (a loop over `start(at:)`), the reference for `walkBack`.
    static func walkedOneByOne(_ w: BarWindow, _ time: Timestamp, _ reach: Int) -> Int {
        var index = w.count - 1
        while index > 0, w.count - index < reach, w.start(at: index - 1) >= time { index -= 1 }
        return index
    }

    @Test("walkBack stops at the first bar before the time, at reach, or at 0; across the wrap, and out of order too")
    func walkBack() {
        var w = BarWindow(capacity: 6)
        #expect(w.walkBack(whileStartingAtOrAfter: Timestamp(nanoseconds: 0), reach: 10) == -1)
        // Starts (minutes) 0...8 into 6 slots: the window holds 3...8.
        for i in 0..<9 { w.append(bar(i)) }
        let minute = { (m: Int64) in Timestamp(nanoseconds: m * Timestamp.nanosecondsPerMinute) }
        #expect(w.walkBack(whileStartingAtOrAfter: minute(5), reach: 10) == 2)  // bars 5, 6, 7, 8 are indexes 2...5
        #expect(w.walkBack(whileStartingAtOrAfter: minute(0), reach: 10) == 0)
        #expect(w.walkBack(whileStartingAtOrAfter: minute(0), reach: 3) == 3)  // count - reach
        #expect(w.walkBack(whileStartingAtOrAfter: minute(9), reach: 10) == 5)  // the newest, even when it is before
        // Every time and reach, and a window whose starts go back and forth, as the one-by-one loop.
        var mixed = BarWindow(capacity: 5)
        for i in [4, 1, 7, 2, 9, 3, 8] { mixed.append(bar(i)) }
        for window in [w, mixed] {
            for m in 0..<11 {
                for reach in 0..<9 {
                    #expect(window.walkBack(whileStartingAtOrAfter: minute(Int64(m)), reach: reach) == Self.walkedOneByOne(window, minute(Int64(m)), reach))
                }
            }
        }
    }
}
