import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine

@Suite struct AgentMessagesTests {
    let account = AccountFacts(initialBalance: Fixed(100_000), cash: Fixed(raw: 9_012_345_678_900), equity: Fixed(raw: 10_000_000_000_000),
                               buyingPower: Fixed(raw: 9_012_345_678_900), dayStartEquity: Fixed(100_000), peakEquity: Fixed(100_000),
                               status: .active, entriesBlockedToday: false)

    @Test("hello says who the agent is: params as given, tickers, the account, the fill model and the orchestrator's cadence")
    func hello() {
        var messages = AgentMessages()
        var settings = OrchestratorSettings()
        settings.scanEveryBars = 3
        let line = messages.hello(agentID: "my-agent", params: #"{"k":[1,"x"]}"#, tickers: ["AAPL", "BRK.B"], account: account,
                                  fillModel: "seed", settings: settings)
        #expect(String(decoding: line, as: UTF8.self) == #"""
            {"type":"hello","protocol":1,"agent_id":"my-agent","params":{"k":[1,"x"]},"tickers":["AAPL","BRK.B"],"account":{"initial_balance":100000.00,"cash":90123.456789,"equity":100000.00,"buying_power":90123.456789},"fill_model":"seed","orchestrator":{"window_bars":100,"scan_every_bars":3,"signal_max_age_minutes":5}}

            """#)
    }

    @Test("a bars message holds the minute's bars with exact prices, the account, positions, fills since the last message and open orders")
    func bars() {
        let time = Timestamp(seconds: 1_709_562_660)  // 2024-03-04T14:31:00Z
        let aapl = Bar(ticker: "AAPL", start: time.adding(minutes: -1), open: Fixed(parsing: "91.2")!, high: Fixed(parsing: "91.23456789")!,
                       low: Fixed(parsing: "0.00000001")!, close: Fixed(parsing: "91")!, volume: 1_234, vwap: Fixed(parsing: "91.1")!, tradeCount: 17)
        let msft = Bar(ticker: "MSFT", start: time.adding(minutes: -1), open: Fixed(400), high: Fixed(401), low: Fixed(399), close: Fixed(400),
                       volume: 12.5)
        let position = Position(ticker: "AAPL", quantity: 3, costBasis: Fixed(raw: 27_400_000_001), currentPrice: Fixed(91), openedAt: time, signal: nil)
        let fill = Fill(orderID: 4, agent: "a", ticker: "AAPL", side: .buy, orderType: .limit, time: time, quantity: 3, price: Fixed(raw: 9_133_333_334),
                        referencePrice: Fixed(raw: 9_133_333_334), commission: Fixed(raw: 50_000_000), rule: .limitTouch)
        var open = Order(id: 5, agent: "a", ticker: "MSFT", side: .sell, type: .stopLimit, quantity: 10, limitPrice: Fixed(390), stopPrice: Fixed(raw: 39_050_000_000),
                         submittedAt: time.adding(minutes: -1), purpose: "agent_order")
        open.filledQuantity = 2
        let view = AgentView(time: time, bars: [aapl, msft], account: account, openOrders: [open], windows: [:], barCounts: [:],
                             positions: ["AAPL": position], fills: [Trade(id: 1, fill: fill, realizedPnL: nil, cashAfter: .zero, positionAfter: 3)],
                             orderClients: [5: "stop-1"])
        var messages = AgentMessages()
        let line = String(decoding: messages.bars(view), as: UTF8.self)
        #expect(line == #"""
            {"type":"bars","time":"2024-03-04T14:31:00Z","bars":[{"ticker":"AAPL","open":91.20,"high":91.23456789,"low":0.00000001,"close":91.00,"volume":1234,"vwap":91.10,"transactions":17},{"ticker":"MSFT","open":400.00,"high":401.00,"low":399.00,"close":400.00,"volume":12.5,"vwap":null,"transactions":null}],"account":{"cash":90123.456789,"equity":100000.00,"buying_power":90123.456789},"positions":[{"ticker":"AAPL","quantity":3,"average_price":91.33333334}],"fills":[{"order_id":4,"client_id":null,"ticker":"AAPL","side":"buy","quantity":3,"price":91.33333334,"commission":0.50,"realized_pnl":null,"time":"2024-03-04T14:31:00Z","rule":"limit_touch"}],"open_orders":[{"order_id":5,"client_id":"stop-1","ticker":"MSFT","side":"sell","order_type":"stop_limit","quantity":10,"filled_quantity":2,"limit_price":390.00,"stop_price":390.50,"submitted_at":"2024-03-04T14:30:00Z","purpose":"agent_order"}]}

            """#)
        // The buffer is reused: a second message is written whole, not appended.
        let again = String(decoding: messages.bars(view), as: UTF8.self)
        #expect(again == line)
    }

    @Test("fixed-point text is Fixed's canonical text, negative values and the largest included", arguments: [
        Fixed(raw: -1), Fixed(raw: -250_000_000), Fixed(raw: 0), Fixed(raw: 10), Fixed(raw: Int64.max), Fixed(raw: Int64.min + 1), Fixed(raw: 123_456_789_000),
    ])
    func fixedText(value: Fixed) {
        var json = JSONBuffer()
        json.fixed(value)
        #expect(String(decoding: json.bytes, as: UTF8.self) == value.description)
    }

    @Test("strings are escaped as JSON needs; volumes that are not whole round-trip")
    func stringsAndDoubles() {
        var json = JSONBuffer()
        json.string("a\"b\\c\n\u{01}é")
        json.double(0.1)
        json.double(-3)
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""a\"b\\c\n\u0001é"0.1-3"#)
    }
}
