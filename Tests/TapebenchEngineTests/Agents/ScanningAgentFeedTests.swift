import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine

extension WindowFollower {
    /// `newestOnly` asked for a bar of `ticker` (of which only the text is read).
    mutating func newestOnly(ticker: String, windows: TickerWindows, id: TickerID, barCount: Int) -> BarWindow.Entry? {
        let bar = Bar(ticker: ticker, start: sessionOpen, open: Fixed(1), high: Fixed(1), low: Fixed(1), close: Fixed(1), volume: 1)
        return withUnsafePointer(to: bar) { newestOnly(ticker: $0, windows: windows, id: id, barCount: barCount) }
    }
}

/// How a scanning agent follows its windows minute by minute, and what the built-in kinds hand the lane.
@Suite struct ScanningAgentFeedTests {
    /// A flat bar (o = h = l = c) of `ticker` at `minute` after the open, numbered `id` in the table.
    func bar(_ minute: Int64, _ ticker: String = "AAA", close: Int64 = 100, id: UInt32 = 0) -> Bar {
        let price = Fixed(close)
        var made = Bar(ticker: ticker, start: sessionOpen.adding(minutes: minute), open: price, high: price, low: price, close: price, volume: 10)
        made.tickerID = TickerID(raw: id)
        return made
    }

    func windows(_ bars: [Bar]) -> TickerWindows {
        var windows = TickerWindows(tickers: TickerTable(sorted: ["AAA", "BBB"]))
        for bar in bars { windows.append(bar, capacity: 10) }
        return windows
    }

    @Test("one bar more than last time, the newest fed now second newest: that bar alone is fed, in place")
    func newestOnly() {
        let id = TickerID(raw: 0)
        var follower = WindowFollower()
        var w = windows([bar(0), bar(1)])
        // The first time it cannot tell: the whole window (firstNew says 0).
        #expect(follower.newestOnly(ticker: "AAA", windows: w, id: id, barCount: 2) == nil)
        #expect(follower.firstNew(ticker: "AAA", window: w.window(id)!, barCount: 2) == 0)
        w.append(bar(2, close: 101), capacity: 10)
        #expect(follower.newestOnly(ticker: "AAA", windows: w, id: id, barCount: 3)?.close == Fixed(101))
        // Asked again at the same count: nothing new, and not the fast path (firstNew: no bar to feed).
        #expect(follower.newestOnly(ticker: "AAA", windows: w, id: id, barCount: 3) == nil)
        #expect(follower.firstNew(ticker: "AAA", window: w.window(id)!, barCount: 3) == 3)
    }

    @Test("two bars more, another ticker at the same id, or a window that no longer holds the bar fed: not the fast path")
    func notNewestOnly() {
        let id = TickerID(raw: 0)
        var follower = WindowFollower()
        var w = windows([bar(0), bar(1)])
        _ = follower.firstNew(ticker: "AAA", window: w.window(id)!, barCount: 2)
        var two = w
        two.append(bar(2), capacity: 10)
        two.append(bar(3), capacity: 10)
        #expect(follower.newestOnly(ticker: "AAA", windows: two, id: id, barCount: 4) == nil)
        w.append(bar(2), capacity: 10)
        #expect(follower.newestOnly(ticker: "BBB", windows: w, id: id, barCount: 3) == nil)
        // The same count, but the bar fed (minute 1, close 100) is no longer the one before the newest.
        let replaced = windows([bar(0), bar(1, close: 99), bar(2)])
        #expect(follower.newestOnly(ticker: "AAA", windows: replaced, id: id, barCount: 3) == nil)
        #expect(follower.newestOnly(ticker: "AAA", windows: w, id: id, barCount: 3) != nil)
    }

    @Test("the slots' newest two bars are the window's, over seeded appends to windows of 1 to 4 bars and windows made by hand")
    func slotsKeepTheNewestTwo() {
        var random = SplitMix64(seed: 12)
        // The window's own newest two entries, as start and close: what the slots must say.
        func expected(_ windows: TickerWindows, _ id: TickerID) -> String {
            guard let window = windows.window(id), window.count > 0 else { return "none" }
            let newest = TickerWindows.Mark(window.entry(at: window.count - 1))
            let before = window.count > 1 ? TickerWindows.Mark(window.entry(at: window.count - 2)) : nil
            return "\(newest) \(before.map { "\($0)" } ?? "nil")"
        }
        func told(_ windows: TickerWindows, _ id: TickerID) -> String {
            guard let two = windows.newestTwo(id) else { return "none" }
            return "\(TickerWindows.Mark(two.newest)) \(two.before.map { "\($0)" } ?? "nil")"
        }
        for round in 0..<40 {
            let capacity = 1 + round % 4
            var windows = TickerWindows(tickers: TickerTable(sorted: ["AAA", "BBB"]))
            var minute: Int64 = 0
            for _ in 0..<(random.next() % 12) {
                let ticker = random.next() % 3 == 0 ? "BBB" : "AAA"
                minute += Int64(1 + random.next() % 3)
                windows.append(bar(minute, ticker, close: Int64(90 + random.next() % 20), id: ticker == "AAA" ? 0 : 1), capacity: capacity)
                for id in [TickerID(raw: 0), TickerID(raw: 1), TickerID(raw: 2)] { #expect(told(windows, id) == expected(windows, id)) }
            }
            // The same windows handed to a view made by hand.
            var byName: [String: BarWindow] = [:]
            for (index, name) in ["AAA", "BBB"].enumerated() { byName[name] = windows.window(TickerID(raw: UInt32(index))) }
            let made = TickerWindows(windows: byName, counts: [:])
            for name in byName.keys {
                let id = made.tickers.existingID(for: name)!
                #expect(told(made, id) == expected(made, id))
            }
        }
    }

    @Test("the ticker's text compared as text when its storage differs (long names made twice), and told apart")
    func tickerTextInOtherStorage() {
        let id = TickerID(raw: 0)
        // Longer than a string kept inline (15 bytes): each is its own storage.
        let name = String(repeating: "LONG", count: 5), same = ["LONG", "LONG", "LONG", "LONG", "LONG"].joined()
        let other = String(repeating: "LONG", count: 4) + "LONX"
        func window(_ ticker: String, _ closes: [Int64]) -> TickerWindows {
            var windows = TickerWindows(tickers: TickerTable(sorted: [ticker]))
            for (minute, close) in closes.enumerated() { windows.append(bar(Int64(minute), ticker, close: close), capacity: 10) }
            return windows
        }
        var follower = WindowFollower()
        #expect(follower.firstNew(ticker: name, window: window(name, [100, 101]).window(id)!, barCount: 2) == 0)
        #expect(follower.newestOnly(ticker: other, windows: window(other, [100, 101, 102]), id: id, barCount: 3) == nil)
        #expect(follower.newestOnly(ticker: same, windows: window(same, [100, 101, 102]), id: id, barCount: 3)?.close == Fixed(102))
        #expect(follower.newestOnly(ticker: name, windows: window(name, [100, 101, 102, 103]), id: id, barCount: 4)?.close == Fixed(103))
    }

    @Test("the lane's held flags answer as its positions do: flat where unflagged, the position's shares where flagged")
    func heldFlags() {
        let facts = AccountFacts(initialBalance: Fixed(1), cash: Fixed(1), equity: Fixed(1), buyingPower: Fixed(1), dayStartEquity: Fixed(1),
                                 peakEquity: Fixed(1), status: .active, entriesBlockedToday: false)
        let bars = [bar(0, "AAA", id: 0), bar(0, "BBB", id: 1)]
        let positions = ["BBB": Position(ticker: "BBB", quantity: -7, costBasis: Fixed(1), currentPrice: Fixed(1), openedAt: sessionOpen, signal: nil)]
        for held in [nil, [false, true], [false, true, false]] as [[Bool]?] {
            let view = AgentView(time: bars[0].end, bars: bars, account: facts, openOrders: [], windows: windows(bars), positions: positions,
                                 fills: [], orderClients: [:], held: held)
            #expect(view.heldQuantity(of: bars[0], id: TickerID(raw: 0)) == 0)
            #expect(view.heldQuantity(of: bars[1], id: TickerID(raw: 1)) == -7)
        }
    }

    @Test("the built-in scanning kinds hand the lane concrete agents (a generic one runs unspecialized)")
    func concreteAgents() throws {
        let context = AgentContext(agentID: "a", tickers: ["AAA"], tickerLines: [:], settings: OrchestratorSettings())
        let lane = LaneInfo(agentID: "a", fillModel: "seed", initialBalance: Fixed(100_000))
        #expect(try VWAPMeanReversionParameters().prepare(context).makeAgent(for: lane) is VWAPScanningAgent)
        #expect(try BreakoutParameters().prepare(context).makeAgent(for: lane) is BreakoutScanningAgent)
        #expect(try VolumeSurgeParameters().prepare(context).makeAgent(for: lane) is VolumeSurgeScanningAgent)
    }
}
