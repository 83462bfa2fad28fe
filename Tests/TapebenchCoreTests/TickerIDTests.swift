import Testing
import TapebenchCore

@Suite struct TickerTableTests {
    @Test("a closed table numbers its tickers in sorted order and knows no other name")
    func closed() {
        var table = TickerTable(sorted: ["MSFT", "AAPL", "SPY", "AAPL"])
        #expect(table.names == ["AAPL", "MSFT", "SPY"])
        #expect(table.id(for: "SPY") == TickerID(raw: 2))
        #expect(table.id(for: "AAPL") == TickerID(raw: 0))
        #expect(table.id(for: "QQQ") == nil)
        #expect(table.id(for: "QQQ") == nil)  // the cached miss answers the same
        #expect(table.name(TickerID(raw: 1)) == "MSFT")
        #expect(table.isSorted && table.sortedOrder() == [0, 1, 2])
    }

    @Test("existingID finds a name's id without adding it, in an open table as in a closed one")
    func existing() {
        var open = TickerTable()
        _ = open.id(for: "SPY")
        #expect(open.existingID(for: "SPY") == TickerID(raw: 0))
        #expect(open.existingID(for: "AAPL") == nil)
        #expect(open.count == 1)
        let closed = TickerTable(sorted: ["MSFT", "AAPL"])
        #expect(closed.existingID(for: "MSFT") == TickerID(raw: 1))
        #expect(closed.existingID(for: "SPY") == nil)
    }

    @Test("an open table numbers names as first seen, and tells their order by name")
    func open() {
        var table = TickerTable()
        #expect(table.id(for: "SPY") == TickerID(raw: 0))
        #expect(table.id(for: "SPY") == TickerID(raw: 0))
        #expect(table.id(for: "AAPL") == TickerID(raw: 1))
        #expect(table.id(for: "MSFT") == TickerID(raw: 2))
        #expect(table.id(for: "") == TickerID(raw: 3))
        #expect(table.id(for: "SPY") == TickerID(raw: 0))
        #expect(!table.isSorted)
        // Name order: "" < AAPL < MSFT < SPY.
        #expect(table.sortedOrder() == [3, 1, 2, 0])
    }

    @Test("a bar's id is not part of its value")
    func barValue() {
        let a = Bar(ticker: "X", start: Timestamp(seconds: 60), open: Fixed(raw: 1), high: Fixed(raw: 1), low: Fixed(raw: 1), close: Fixed(raw: 1), volume: 1)
        var b = a
        b.tickerID = TickerID(raw: 4)
        #expect(a == b && a.hashValue == b.hashValue && !a.tickerID.isAssigned && b.tickerID.isAssigned)
    }

    @Test("existingID finds a name's id and nothing else, in tables small enough to scan and larger, canonically equal names alike")
    func existingIDs() {
        let pool = ["SPY", "AAPL", "MSFT", "", "é", "T00001", "BRK.B", "X", "LONGER-NAME-THAN-15", "QQQ"]
        for count in 0...pool.count {
            var table = TickerTable()
            for name in pool.prefix(count) { _ = table.id(for: name) }
            for (index, name) in pool.enumerated() {
                #expect(table.existingID(for: name) == (index < count ? TickerID(raw: UInt32(index)) : nil), "\(count) \(name)")
            }
            // "é" written as e and a combining accent is the same name.
            #expect(table.existingID(for: "e\u{301}") == (count > 4 ? TickerID(raw: 4) : nil))
            #expect(table.existingID(for: "NONE") == nil)
        }
    }
}
