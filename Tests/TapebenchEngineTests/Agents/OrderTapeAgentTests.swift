import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine

/// The order-tape agent finds a bar's queue by the bar's ticker id once it has seen it, checked by name.
@Suite struct OrderTapeAgentTests {
    func row(_ ticker: String, minute: Int64, line: Int) -> TapeOrder {
        TapeOrder(time: sessionOpen.adding(minutes: minute), ticker: ticker, side: .buy, type: .market, quantity: 1, limitPrice: nil,
                  stopPrice: nil, line: line, clientID: nil)
    }

    func view(_ bars: [Bar]) -> AgentView {
        AgentView(time: bars[0].end, bars: bars, account: AccountFacts(
            initialBalance: Fixed(1), cash: Fixed(1), equity: Fixed(1), buyingPower: Fixed(1), dayStartEquity: Fixed(1), peakEquity: Fixed(1),
            status: .active, entriesBlockedToday: false), openOrders: [], windows: [:], barCounts: [:], positions: [:])
    }

    func bar(_ ticker: String, _ minute: Int64, id: UInt32?) -> Bar {
        var bar = minuteBar(minute, open: "10.00", ticker: ticker)
        if let id { bar.tickerID = TickerID(raw: id) }
        return bar
    }

    func placed(_ actions: [AgentAction]) -> [String] {
        actions.compactMap { if case .order(let request) = $0 { request.purpose } else { nil } }
    }

    @Test("rows are placed by ticker whatever ids the bars carry: the same id naming another ticker, or no id")
    func idsCheckedByName() {
        let tape = OrderTape(file: "t.csv", orders: ["AAPL": [row("AAPL", minute: 0, line: 2), row("AAPL", minute: 1, line: 4)],
                                                      "MSFT": [row("MSFT", minute: 0, line: 3)]])
        var agent = OrderTapeAgent(tape: tape)
        // AAPL as id 0 first; then a bar of MSFT carrying id 0 (another table's numbering) must reach MSFT's queue.
        #expect(placed(agent.decide(view([bar("AAPL", 0, id: 0)]))) == ["tape_line_2"])
        #expect(placed(agent.decide(view([bar("MSFT", 0, id: 0)]))) == ["tape_line_3"])
        #expect(placed(agent.decide(view([bar("NVDA", 1, id: 0)]))).isEmpty)
        #expect(placed(agent.decide(view([bar("AAPL", 1, id: nil)]))) == ["tape_line_4"])
        #expect(agent.unplacedOrders().isEmpty)
    }

    @Test("mayAct is true exactly on the minutes decide places rows: AAPL rows at 0 and 3, MSFT at 1, over minutes 0–4 of AAPL, MSFT, NVDA")
    func mayActWhenRowsDue() {
        let tape = OrderTape(file: "t.csv", orders: ["AAPL": [row("AAPL", minute: 0, line: 2), row("AAPL", minute: 3, line: 4)],
                                                      "MSFT": [row("MSFT", minute: 1, line: 3)]])
        var asked = OrderTapeAgent(tape: tape)
        var reference = OrderTapeAgent(tape: tape)
        var acting: [Int64] = []
        for minute: Int64 in 0...4 {
            let bars = [bar("AAPL", minute, id: 0), bar("MSFT", minute, id: 1), bar("NVDA", minute, id: 2)]
            let may = asked.mayAct(on: bars)
            // Asked only when it may act (as the lane does); the reference is asked every minute.
            let placedByAsked = may ? placed(asked.decide(view(bars))) : []
            let placedByReference = placed(reference.decide(view(bars)))
            #expect(placedByAsked == placedByReference)
            #expect(may == !placedByReference.isEmpty)
            if may { acting.append(minute) }
        }
        #expect(acting == [0, 1, 3])
        #expect(asked.unplacedOrders().isEmpty && reference.unplacedOrders().isEmpty)
    }

    @Test("rows never reached are listed at the end, tickers in order, with the reason")
    func unplaced() {
        let tape = OrderTape(file: "t.csv", orders: ["MSFT": [row("MSFT", minute: 5, line: 3)], "AAPL": [row("AAPL", minute: 0, line: 2), row("AAPL", minute: 9, line: 4)]])
        var agent = OrderTapeAgent(tape: tape)
        _ = agent.decide(view([bar("AAPL", 0, id: 7)]))
        #expect(agent.unplacedOrders().map(\.request.purpose) == ["tape_line_4", "tape_line_3"])
        #expect(agent.unplacedOrders().map(\.reason) == ["no AAPL bar at or after its time", "no MSFT bar at or after its time"])
    }
}

/// The tape agent keeps its last actions' storage, as the scanning agents do.
@Suite struct OrderTapeAgentStorageTests {
    let t = OrderTapeAgentTests()

    func storage(_ actions: [AgentAction]) -> UnsafeRawPointer? { actions.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }

    @Test("rows at minutes 0, 1, 2: a held result keeps its order; a dropped one's storage is the next result's")
    func reused() {
        var agent = OrderTapeAgent(tape: OrderTape(file: "t.csv", orders: ["AAPL": (0..<3).map { t.row("AAPL", minute: Int64($0), line: 2 + $0) }]))
        let first = agent.decide(t.view([t.bar("AAPL", 0, id: 0)]))
        var second = agent.decide(t.view([t.bar("AAPL", 1, id: 0)]))
        #expect(t.placed(first) == ["tape_line_2"] && t.placed(second) == ["tape_line_3"])
        let secondStorage = storage(second), capacity = second.capacity
        second = []
        // Had the second's buffer been freed, an array of its size made now would likely take it.
        var blocker: [AgentAction] = []
        blocker.reserveCapacity(capacity)
        defer { withExtendedLifetime(blocker) {} }
        let third = agent.decide(t.view([t.bar("AAPL", 2, id: 0)]))
        #expect(t.placed(third) == ["tape_line_4"])
        #expect(storage(third) == secondStorage)
    }
}
