import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine

@Suite struct TickerInternerTests {
    func bar(_ ticker: String, id: TickerID = .unassigned) -> Bar {
        Bar(ticker: ticker, start: sessionOpen, open: Fixed(1), high: Fixed(1), low: Fixed(1), close: Fixed(1), volume: 1, tickerID: id)
    }

    @Test("bars made by hand get ids in the order their tickers are first seen")
    func byName() {
        var interner = TickerInterner()
        var a = bar("MSFT"), b = bar("AAPL"), c = bar("MSFT")
        let new = [interner.intern(&a), interner.intern(&b), interner.intern(&c)]
        #expect(new == [true, true, false])
        #expect([a.tickerID, b.tickerID, c.tickerID] == [TickerID(raw: 0), TickerID(raw: 1), TickerID(raw: 0)])
        #expect(interner.table.names == ["MSFT", "AAPL"])
    }

    @Test("a stream's ids map to the replay's, and an id that names another ticker is not trusted")
    func streamIDs() {
        var interner = TickerInterner()
        // Given a stream numbering SPY 5 and QQQ 2
        var spy = bar("SPY", id: TickerID(raw: 5)), qqq = bar("QQQ", id: TickerID(raw: 2))
        let spyNew = interner.intern(&spy), qqqNew = interner.intern(&qqq)
        #expect(spyNew && qqqNew)
        #expect(spy.tickerID == TickerID(raw: 0) && qqq.tickerID == TickerID(raw: 1))
        var again = bar("SPY", id: TickerID(raw: 5))
        let againNew = interner.intern(&again)
        #expect(!againNew)
        #expect(again.tickerID == TickerID(raw: 0))
        // When a bar from another table reuses 5 for IWM, IWM gets its own id, and SPY keeps 0
        var iwm = bar("IWM", id: TickerID(raw: 5))
        let iwmNew = interner.intern(&iwm)
        #expect(iwmNew)
        #expect(iwm.tickerID == TickerID(raw: 2))
        var handMade = bar("SPY")
        _ = interner.intern(&handMade)
        #expect(handMade.tickerID == TickerID(raw: 0))
        #expect(interner.table.names == ["SPY", "QQQ", "IWM"])
    }
}

@Suite struct TickerWindowsTests {
    @Test("windows and counts by id, found by name and by a bar, nil and 0 before a ticker's first bar")
    func lookups() {
        var interner = TickerInterner()
        var windows = TickerWindows()
        for (minute, ticker) in [(0, "MSFT"), (0, "AAPL"), (1, "MSFT"), (2, "MSFT")] {
            var bar = minuteBar(Int64(minute), open: "10", ticker: ticker)
            _ = interner.intern(&bar)
            windows.tickers = interner.table
            windows.append(bar, capacity: 2)
        }
        #expect(windows.count("MSFT") == 3 && windows.count("AAPL") == 1 && windows.count("SPY") == 0)
        #expect(windows.window("MSFT")?.count == 2)  // capacity 2
        #expect(windows.window("MSFT")?.last?.start == sessionOpen.adding(minutes: 2))
        #expect(windows.window("SPY") == nil)
        // A bar made by hand (no id) is found by its name; one whose id names another ticker too.
        #expect(windows.count(of: minuteBar(5, open: "1", ticker: "AAPL")) == 1)
        var lying = minuteBar(5, open: "1", ticker: "AAPL")
        lying.tickerID = TickerID(raw: 0)  // MSFT's id
        #expect(windows.count(of: lying) == 1)
        #expect(windows.window(of: lying)?.count == 1)
    }

    @Test("ids appended out of order and with gaps: each id's own window and count; an id past the table's names is looked up by name")
    func idsOutOfOrder() {
        var windows = TickerWindows(tickers: TickerTable(sorted: ["A", "B", "C", "D"]))
        // D (id 3) first: room is made for ids 0 to 3, A to C without a window yet.
        for (minute, ticker) in [(0, "D"), (0, "B"), (1, "D"), (1, "A"), (2, "D")] {
            var bar = minuteBar(Int64(minute), open: "10", ticker: ticker)
            bar.tickerID = windows.tickers.existingID(for: ticker) ?? .unassigned
            windows.append(bar, capacity: 2)
        }
        let ids = (0...3).map { TickerID(raw: $0) }
        #expect(ids.map { windows.count($0) } == [1, 1, 0, 3])
        #expect(ids.map { windows.window($0)?.count ?? 0 } == [1, 1, 0, 2])  // capacity 2
        #expect(ids.map { windows.window($0)?.ticker ?? "-" } == ["A", "B", "-", "D"])
        #expect(windows.count(TickerID(raw: 9)) == 0 && windows.window(TickerID(raw: 9)) == nil)
        var far = minuteBar(3, open: "1", ticker: "D")
        far.tickerID = TickerID(raw: 9)  // past the table's names: found by its name
        #expect(windows.id(of: far) == TickerID(raw: 3))
        #expect(windows.count(of: far) == 3)
    }

    @Test("a view made from windows by name answers as the lane's does")
    func viewByName() {
        var w = BarWindow(capacity: 3)
        w.append(minuteBar(0, open: "10", ticker: "NVDA"))
        let view = AgentView(time: sessionOpen, bars: [minuteBar(0, open: "10", ticker: "NVDA")], account: AccountFacts(
            initialBalance: Fixed(1), cash: Fixed(1), equity: Fixed(1), buyingPower: Fixed(1), dayStartEquity: Fixed(1), peakEquity: Fixed(1),
            status: .active, entriesBlockedToday: false), openOrders: [], windows: ["NVDA": w], barCounts: ["NVDA": 7, "AMD": 2], positions: [:])
        #expect(view.barCount("NVDA") == 7 && view.barCount("AMD") == 2 && view.barCount("SPY") == 0)
        #expect(view.barCount(of: view.bars[0]) == 7)
        #expect(view.window(of: view.bars[0])?.count == 1)
        #expect(view.window("AMD") == nil)
    }
}
