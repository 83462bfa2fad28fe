import Testing
import TapebenchCore
import TapebenchData
import TapebenchExecution
@testable import TapebenchEngine

/// Buys 10 AAPL at market at the given decision times.
struct BuyAtAgent: Agent {
    let times: Set<Timestamp>

    mutating func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction] {
        guard times.contains(view.time) else { return [] }
        return [.order(OrderRequest(ticker: "AAPL", side: .buy, type: .market, quantity: 10, purpose: "test"))]
    }
}

/// Polygon omits a minute without trades: AAPL has no bars starting 09:36, 09:37, 09:38; MSFT trades every minute.
@Suite struct MissingMinutesTests {
    static func at(_ minute: Int64) -> Timestamp { sessionOpen.adding(minutes: minute) }

    static func replay(_ policy: MissingMinutePolicy, decisions: [Int64] = [6]) throws -> LaneResult {
        var settings = OrchestratorSettings()
        settings.missingMinutes = policy
        let config = AgentConfig(id: "a", kind: "test", definition: VWAPMeanReversionParameters())
        let times = Set(decisions.map(at))
        var o = Orchestrator(settings: settings, agents: [(config, PreparedAgent(makeAgent: { BuyAtAgent(times: times) }))],
                             variants: [ConfigurableFillModel.seed], risk: .reference, initialBalance: Fixed(100_000))
        for m in Int64(0)..<20 {
            for ticker in ["AAPL", "MSFT"] where ticker == "MSFT" || !(6...8).contains(m) {
                let price = Fixed(100 + m)
                try o.process(Bar(ticker: ticker, start: at(m), open: price, high: price, low: price, close: price, volume: 1_000))
            }
        }
        try o.finish()
        return o.lanes[0].result
    }

    @Test("next_bar (the reference): the order decided at 09:36 fills at the 09:39 bar's open, counted as late")
    func nextBar() throws {
        let run = try Self.replay(.nextBar)
        #expect(run.trades.first?.fill.referencePrice == Fixed(109))
        #expect(run.trades.first?.fill.time == Self.at(10))
        #expect(run.counts.ordersAfterMissingMinute == 1 && run.counts.ordersCancelledMissingMinute == 0)
    }

    @Test("wait: 3 still takes the 09:39 bar (its first minute plus 3)")
    func waitLongEnough() throws {
        let run = try Self.replay(.wait(minutes: 3))
        #expect(run.trades.first?.fill.referencePrice == Fixed(109))
        #expect(run.counts.ordersAfterMissingMinute == 1 && run.counts.ordersCancelledMissingMinute == 0)
    }

    @Test("wait: 2 cancels at 09:39, when the 09:38 minute has ended without an AAPL bar")
    func waitCancels() throws {
        let run = try Self.replay(.wait(minutes: 2))
        #expect(run.trades.isEmpty)
        let order = try #require(run.orders.first)
        #expect(order.status == .cancelled && order.closedAt == Self.at(9))
        #expect(order.rejectReason == "missing_minutes: no AAPL bar within 2 minute(s) of the order's first minute")
        #expect(run.counts.ordersAfterMissingMinute == 0 && run.counts.ordersCancelledMissingMinute == 1)
    }

    @Test("cancel: cancelled at 09:37, when its first minute has ended without a bar; an order whose minute has a bar fills")
    func cancel() throws {
        let run = try Self.replay(.cancel, decisions: [6, 12])
        #expect(run.orders[0].status == .cancelled && run.orders[0].closedAt == Self.at(7))
        #expect(run.orders[1].status == .filled && run.trades.map(\.fill.referencePrice) == [Fixed(112)])
        #expect(run.counts.ordersAfterMissingMinute == 0 && run.counts.ordersCancelledMissingMinute == 1)
    }

    @Test("a step's bar of a ticker is found by the ticker's id: none for a ticker without a bar there or without an id")
    func barOfTicker() throws {
        var table = TickerTable()
        let (aapl, msft, nvda) = (table.id(for: "AAPL")!, table.id(for: "MSFT")!, table.id(for: "NVDA")!)
        func bar(_ ticker: String, _ id: TickerID, close: Int64) -> Bar {
            Bar(ticker: ticker, start: Self.at(3), open: Fixed(close), high: Fixed(close), low: Fixed(close), close: Fixed(close), volume: 1, tickerID: id)
        }
        let minute = Minute(time: Self.at(4), bars: [bar("AAPL", aapl, close: 101), bar("NVDA", nvda, close: 102)])
        #expect(LaneState.bar(of: "NVDA", in: minute, tickers: table)?.close == Fixed(102))
        #expect(LaneState.bar(of: "AAPL", in: minute, tickers: table)?.close == Fixed(101))
        #expect(LaneState.bar(of: "MSFT", in: minute, tickers: table) == nil)
        #expect(msft.isAssigned)
        #expect(LaneState.bar(of: "TSLA", in: minute, tickers: table) == nil)
        // The start alone, read in place: the found bar's, or none.
        var later = bar("MSFT", msft, close: 103)
        later.start = Self.at(2)
        let mixed = Minute(time: Self.at(4), bars: [bar("AAPL", aapl, close: 101), later])
        #expect(LaneState.barStart(of: "MSFT", in: mixed, tickers: table) == Self.at(2))
        #expect(LaneState.barStart(of: "AAPL", in: mixed, tickers: table) == Self.at(3))
        #expect(LaneState.barStart(of: "NVDA", in: mixed, tickers: table) == nil)
        #expect(LaneState.barStart(of: "TSLA", in: mixed, tickers: table) == nil)
        #expect(LaneState.barStart(of: "AAPL", in: Minute(time: Self.at(4), bars: []), tickers: table) == nil)
        // A step's first start: none for no bars, also when the emptied array kept its storage (and its address).
        var emptied = mixed.bars
        emptied.removeAll(keepingCapacity: true)
        #expect(Minute(time: Self.at(4), bars: emptied).firstStart == nil)
        #expect(mixed.firstStart == Self.at(3))
    }

    @Test("an order decided at the close may first fill at the next session's open (over a weekend too)")
    func firstMinute() {
        let nyse = ExchangeCalendar.nyse
        // Monday 2024-03-11 16:00 EDT → Tuesday 09:30 EDT (13:30Z).
        #expect(Lane<SimulatedClock, InMemoryRecorder>.firstMinute(after: Self.at(390), calendar: nyse) == Timestamp(seconds: 1_710_250_200))
        // Friday 2024-03-15 16:00 EDT → Monday 2024-03-18 09:30 EDT.
        #expect(Lane<SimulatedClock, InMemoryRecorder>.firstMinute(after: Self.at(390 + 4 * 1_440), calendar: nyse) == Timestamp(seconds: 1_710_768_600))
        #expect(Lane<SimulatedClock, InMemoryRecorder>.firstMinute(after: Self.at(10), calendar: nyse) == Self.at(10))
    }
}
