import TapebenchCore
import TapebenchLedger

/// The messages Tapebench writes to an agent's program, protocol version 1 (docs/agent-protocol.md, with a
/// JSON Schema for each in docs/schemas/). One JSON object per line, keys in a fixed order, prices and
/// money as Tapebench's canonical decimal text (at most 8 decimals: read them back exactly, or as binary
/// floating point, which gives the nearest double to the exact value), times as ISO 8601 UTC.
/// Written by hand into one reused buffer: see `JSONBuffer`.
struct AgentMessages {
    static let protocolVersion = 1

    private(set) var json = JSONBuffer()

    /// `{"type":"hello",…}`: who the agent is and what it replays. `params` is JSON text already.
    mutating func hello(agentID: String, params: String, tickers: [String], account: AccountFacts, fillModel: String,
                        settings: OrchestratorSettings) -> [UInt8] {
        json.removeAll()
        json.raw("{\"type\":\"hello\",\"protocol\":1,")
        json.key("agent_id"); json.string(agentID)
        json.raw(",\"params\":"); json.rawText(params)
        json.raw(",\"tickers\":[")
        for (i, ticker) in tickers.enumerated() {
            if i > 0 { json.byte(UInt8(ascii: ",")) }
            json.string(ticker)
        }
        json.raw("],\"account\":{")
        json.key("initial_balance"); json.fixed(account.initialBalance)
        json.raw(","); accountFields(account)
        json.raw("},\"fill_model\":"); json.string(fillModel)
        json.raw(",\"orchestrator\":{")
        json.key("window_bars"); json.integer(Int64(settings.windowBars))
        json.raw(","); json.key("scan_every_bars"); json.integer(Int64(settings.scanEveryBars))
        json.raw(","); json.key("signal_max_age_minutes"); json.integer(settings.signalMaxAgeMinutes)
        json.raw("}}\n")
        return json.bytes
    }

    /// `{"type":"bars",…}`: the minute's bars, the account, positions, fills since the last message and open orders.
    mutating func bars(_ view: AgentView) -> [UInt8] {
        json.removeAll()
        json.raw("{\"type\":\"bars\",\"time\":"); json.timestamp(view.time)
        json.raw(",\"bars\":[")
        for (i, bar) in view.bars.enumerated() {
            json.raw(i == 0 ? "{\"ticker\":" : ",{\"ticker\":"); json.string(bar.ticker)
            json.raw(",\"open\":"); json.fixed(bar.open)
            json.raw(",\"high\":"); json.fixed(bar.high)
            json.raw(",\"low\":"); json.fixed(bar.low)
            json.raw(",\"close\":"); json.fixed(bar.close)
            json.raw(",\"volume\":"); json.double(bar.volume)
            json.raw(",\"vwap\":"); json.optional(bar.vwap) { $0.fixed($1) }
            json.raw(",\"transactions\":"); json.optional(bar.tradeCount) { $0.integer($1) }
            json.byte(UInt8(ascii: "}"))
        }
        json.raw("],\"account\":{"); accountFields(view.account)
        json.raw("},\"positions\":[")
        for (i, position) in view.sortedPositions.enumerated() {
            json.raw(i == 0 ? "{\"ticker\":" : ",{\"ticker\":"); json.string(position.ticker)
            json.raw(",\"quantity\":"); json.integer(position.quantity)
            json.raw(",\"average_price\":"); json.fixed(position.averageEntryPrice)
            json.byte(UInt8(ascii: "}"))
        }
        json.raw("],\"fills\":[")
        for (i, trade) in view.fills.enumerated() {
            let fill = trade.fill
            json.raw(i == 0 ? "{\"order_id\":" : ",{\"order_id\":"); json.integer(fill.orderID)
            json.raw(",\"client_id\":"); json.optional(view.clientID(ofOrder: fill.orderID)) { $0.string($1) }
            json.raw(",\"ticker\":"); json.string(fill.ticker)
            json.raw(",\"side\":"); json.string(fill.side.rawValue)
            json.raw(",\"quantity\":"); json.integer(fill.quantity)
            json.raw(",\"price\":"); json.fixed(fill.price)
            json.raw(",\"commission\":"); json.fixed(fill.commission)
            json.raw(",\"realized_pnl\":"); json.optional(trade.realizedPnL) { $0.fixed($1) }
            json.raw(",\"time\":"); json.timestamp(fill.time)
            json.raw(",\"rule\":"); json.string(fill.rule.rawValue)
            json.byte(UInt8(ascii: "}"))
        }
        json.raw("],\"open_orders\":[")
        for (i, order) in view.openOrders.enumerated() {
            json.raw(i == 0 ? "{\"order_id\":" : ",{\"order_id\":"); json.integer(order.id)
            json.raw(",\"client_id\":"); json.optional(view.clientID(ofOrder: order.id)) { $0.string($1) }
            json.raw(",\"ticker\":"); json.string(order.ticker)
            json.raw(",\"side\":"); json.string(order.side.rawValue)
            json.raw(",\"order_type\":"); json.string(order.type.rawValue)
            json.raw(",\"quantity\":"); json.integer(order.quantity)
            json.raw(",\"filled_quantity\":"); json.integer(order.filledQuantity)
            json.raw(",\"limit_price\":"); json.optional(order.limitPrice) { $0.fixed($1) }
            json.raw(",\"stop_price\":"); json.optional(order.stopPrice) { $0.fixed($1) }
            json.raw(",\"submitted_at\":"); json.timestamp(order.submittedAt)
            json.raw(",\"purpose\":"); json.string(order.purpose)
            json.byte(UInt8(ascii: "}"))
        }
        json.raw("]}\n")
        return json.bytes
    }

    /// `{"type":"end"}`: the replay is over; the program exits 0.
    static let end: [UInt8] = Array("{\"type\":\"end\"}\n".utf8)

    private mutating func accountFields(_ account: AccountFacts) {
        json.key("cash"); json.fixed(account.cash)
        json.raw(","); json.key("equity"); json.fixed(account.equity)
        json.raw(","); json.key("buying_power"); json.fixed(account.buyingPower)
    }
}
