import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine

@Suite struct AgentAnswersTests {
    let answers = AgentAnswers(agentID: "py", tickers: ["AAPL", "MSFT"])
    let time = Timestamp(seconds: 1_709_562_660)  // 2024-03-04T14:31:00Z

    func view(openOrders: [Order] = [], clients: [Int64: String] = [:]) -> AgentView {
        var window = BarWindow(capacity: 10)
        for (minute, close) in [(-2, "90.00"), (-1, "91.50")] {
            let c = Fixed(parsing: close)!
            window.append(Bar(ticker: "AAPL", start: time.adding(minutes: Int64(minute)), open: c, high: c, low: c, close: c, volume: 1))
        }
        let facts = AccountFacts(initialBalance: Fixed(100_000), cash: Fixed(100_000), equity: Fixed(100_000), buyingPower: Fixed(100_000),
                                 dayStartEquity: Fixed(100_000), peakEquity: Fixed(100_000), status: .active, entriesBlockedToday: false)
        return AgentView(time: time, bars: [window.last!], account: facts, openOrders: openOrders, windows: ["AAPL": window], barCounts: [:],
                         positions: [:], orderClients: clients)
    }

    func actions(_ text: String, view: AgentView? = nil) throws(AnswerError) -> [AgentAction] {
        try answers.actions(Array(text.utf8), view: view ?? self.view())
    }

    @Test("signals, orders and cancels become actions; prices are read exactly from their text")
    func valid() throws {
        let got = try actions(#"""
            {"actions":[{"type":"signal","ticker":"AAPL","side":"buy","strength":0.5,"reason":"dip"},
            {"type":"signal","ticker":"AAPL","side":"sell","time":"2024-03-04T14:30:00Z"},
            {"type":"order","ticker":"MSFT","side":"sell","order_type":"stop_limit","quantity":10,"limit_price":390.12345678,"stop_price":391,"client_id":"s-1"},
            {"type":"order","ticker":"AAPL","side":"buy","order_type":"market","quantity":1,"limit_price":null},
            {"type":"cancel","client_id":"s-0"}]}
            """#.replacingOccurrences(of: "\n", with: ""))
        #expect(got == [
            .signal(Signal(agent: "py", ticker: "AAPL", side: .buy, time: time, price: Fixed(parsing: "91.50")!, reason: "dip", strength: 0.5)),
            // An earlier time: the close of the window's bar that ended then.
            .signal(Signal(agent: "py", ticker: "AAPL", side: .sell, time: time.adding(minutes: -1), price: Fixed(90), reason: "signal")),
            .order(OrderRequest(ticker: "MSFT", side: .sell, type: .stopLimit, quantity: 10, limitPrice: Fixed(raw: 39_012_345_678), stopPrice: Fixed(391),
                                clientID: "s-1", purpose: "agent_order", label: "agent order s-1")),
            .order(OrderRequest(ticker: "AAPL", side: .buy, type: .market, quantity: 1, purpose: "agent_order", label: "agent order")),
            .cancel(clientID: "s-0"),
        ])
        #expect(try actions(#"{"actions":[]}"#).isEmpty)
        #expect(try actions(#" { "actions" : [ ] } "#).isEmpty)
    }

    @Test("an answer outside the schema is refused, naming the field", arguments: [
        (#"{"action":[]}"#, "not the protocol's schema: actions: required"),
        (#"{"actions":[],"extra":1}"#, "not the protocol's schema: extra: not a key of the protocol (version 1)"),
        (#"{"actions":{}}"#, "not the protocol's schema: actions: expected an array of actions"),
        (#"[]"#, "not the protocol's schema: the answer: expected an object, got an array"),
        (#"{"actions":[{"type":"buy"}]}"#, #"not the protocol's schema: actions[0].type: expected "signal", "order" or "cancel", got 'buy'"#),
        (#"{"actions":[{"type":"signal","ticker":"TSLA","side":"buy"}]}"#, "not the protocol's schema: actions[0].ticker: 'TSLA' is not one of the scenario's data.tickers"),
        (#"{"actions":[{"type":"signal","ticker":"AAPL","side":"BUY"}]}"#, #"not the protocol's schema: actions[0].side: expected "buy" or "sell", got 'BUY'"#),
        (#"{"actions":[{"type":"signal","ticker":"AAPL","side":"buy","qty":1}]}"#, "not the protocol's schema: actions[0].qty: not a key of the protocol (version 1)"),
        (#"{"actions":[{"type":"signal","ticker":"AAPL","side":"buy","strength":2}]}"#, "not the protocol's schema: actions[0].strength: expected a number from 0 to 1, got 2"),
        (#"{"actions":[{"type":"signal","ticker":"AAPL","side":"buy","time":"2024-03-04T14:32:00Z"}]}"#,
         "not the protocol's schema: actions[0].time: 2024-03-04T14:32:00Z is after the message's time 2024-03-04T14:31:00Z"),
        (#"{"actions":[{"type":"signal","ticker":"AAPL","side":"buy","time":"2024-03-04 14:30"}]}"#,
         "not the protocol's schema: actions[0].time: expected a time as YYYY-MM-DDTHH:MM:SSZ, got '2024-03-04 14:30'"),
        (#"{"actions":[{"type":"order","ticker":"AAPL","side":"buy","order_type":"market","quantity":1.5}]}"#,
         "not the protocol's schema: actions[0].quantity: expected a whole number of shares from 1 to 1000000000000000, got 1.5"),
        (#"{"actions":[{"type":"order","ticker":"AAPL","side":"buy","order_type":"market","quantity":"1"}]}"#,
         "not the protocol's schema: actions[0].quantity: expected a number, got a string"),
        (#"{"actions":[{"type":"order","ticker":"AAPL","side":"buy","order_type":"limit","quantity":1}]}"#,
         "not the protocol's schema: actions[0].limit_price: required for a limit order"),
        (#"{"actions":[{"type":"order","ticker":"AAPL","side":"buy","order_type":"market","quantity":1,"stop_price":3}]}"#,
         "not the protocol's schema: actions[0].stop_price: not used by a market order; leave it out"),
        (#"{"actions":[{"type":"order","ticker":"AAPL","side":"buy","order_type":"limit","quantity":1,"limit_price":91.123456789}]}"#,
         "not the protocol's schema: actions[0].limit_price: expected a price with at most 8 decimals, got 91.123456789"),
        (#"{"actions":[{"type":"order","ticker":"AAPL","side":"buy","order_type":"limit","quantity":1,"limit_price":1e2}]}"#,
         "not the protocol's schema: actions[0].limit_price: expected a price with at most 8 decimals, got 1e2"),
        (#"{"actions":[{"type":"order","ticker":"AAPL","side":"buy","order_type":"limit","quantity":1,"limit_price":-1}]}"#,
         "not the protocol's schema: actions[0].limit_price: expected a price above 0 and at most 1000000000.00, got -1"),
        (#"{"actions":[{"type":"order","ticker":"AAPL","side":"buy","order_type":"market","quantity":1,"client_id":"a b"}]}"#,
         "not the protocol's schema: actions[0].client_id: expected 1 to 64 letters, digits, '_', '-', '.', ':', got 'a b'"),
        (#"{"actions":[{"type":"cancel"}]}"#, "not the protocol's schema: actions[0].client_id: required"),
    ])
    func refused(text: String, message: String) {
        #expect(throws: AnswerError(message: message)) { try actions(text) }
    }

    @Test("a client id still naming an open order, or used twice in one answer, is refused")
    func clientIDReuse() {
        let open = Order(id: 3, agent: "py", ticker: "AAPL", side: .buy, type: .limit, quantity: 1, limitPrice: Fixed(1), submittedAt: time, purpose: "agent_order")
        let o = #"{"type":"order","ticker":"AAPL","side":"buy","order_type":"market","quantity":1,"client_id":"x"}"#
        #expect(throws: AnswerError(message: "not the protocol's schema: actions[0].client_id: 'x' names an order that is still open; use a new client id")) {
            try actions(#"{"actions":["# + o + "]}", view: view(openOrders: [open], clients: [3: "x"]))
        }
        #expect(throws: AnswerError(message: "not the protocol's schema: actions[1].client_id: 'x' names an order that is still open; use a new client id")) {
            try actions(#"{"actions":["# + o + "," + o + "]}")
        }
    }

    @Test("ready answers hello; anything else does not")
    func ready() throws {
        try answers.ready(Array(#"{"type":"ready"}"#.utf8))
        #expect(throws: AnswerError(message: #"not the protocol's schema: type: expected "ready" in answer to hello, got 'bars'"#)) {
            try answers.ready(Array(#"{"type":"bars"}"#.utf8))
        }
        #expect(throws: AnswerError(message: "not JSON: unexpected character 'o' at byte 1: 'ok'")) { try answers.ready(Array("ok".utf8)) }
    }
}
