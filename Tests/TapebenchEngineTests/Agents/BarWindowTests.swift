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

    @Test("forEach visits first...last oldest first, in a window that has wrapped (7 bars into 5 slots: 2, 3, 4, 5, 6)")
    func forEachAcrossTheWrap() {
        var w = BarWindow(capacity: 5)
        for i in 0..<7 { w.append(bar(i)) }
        var closes: [Int64] = []
        w.forEach(from: 1, through: 4) { closes.append($0.pointee.close.raw / Fixed.scale) }
        #expect(closes == [3, 4, 5, 6])
        closes.removeAll()
        w.forEach(from: 0, through: 0) { closes.append($0.pointee.close.raw / Fixed.scale) }
        #expect(closes == [2])
        w.forEach(from: 3, through: 2) { _ in Issue.record("an empty range visits nothing") }
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
