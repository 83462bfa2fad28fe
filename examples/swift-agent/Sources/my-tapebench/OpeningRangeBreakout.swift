import TapebenchCore
import TapebenchEngine

/// `kind: opening_range_breakout`, `params: {range_bars: 15, quantity: 10, reward_risk: 2}`.
struct OpeningRangeBreakoutKind: AgentKind {
    let name = "opening_range_breakout"

    struct Parameters: AgentDefinition {
        var rangeBars = 15
        var quantity: Int64 = 10
        var rewardRisk: Int64 = 2

        var parameterList: [(name: String, value: String)] {
            [("range_bars", "\(rangeBars)"), ("quantity", "\(quantity)"), ("reward_risk", "\(rewardRisk)")]
        }

        func prepare(_ context: AgentContext) throws -> PreparedAgent {
            let parameters = self
            return PreparedAgent(makeAgent: { OpeningRangeBreakout(parameters: parameters) })
        }
    }

    func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        var p = Parameters()
        p.rangeBars = Int(try params.integer("range_bars", range: 1...300) ?? Int64(p.rangeBars))
        p.quantity = try params.integer("quantity", range: 1...1_000_000) ?? p.quantity
        p.rewardRisk = try params.integer("reward_risk", range: 1...10) ?? p.rewardRisk
        try params.rejectUnknownKeys(known: ["range_bars", "quantity", "reward_risk"])
        return p
    }
}

/// Each session, per ticker: the high and low of the first `rangeBars` bars are the opening range. The
/// first close above the range buys `quantity` shares at the market; once filled, a stop at the range's low
/// and a limit at entry + `rewardRisk` × the range protect and take the trade, and whichever fills first
/// cancels the other. Its own orders, so no orchestrator sizing, stop-loss or take-profit.
struct OpeningRangeBreakout: Agent {
    let parameters: OpeningRangeBreakoutKind.Parameters

    struct Day {
        var bars = 0
        var high = Price.zero
        var low = Price.zero
        var entered = false
    }

    /// The session of each ticker, keyed by the UTC date (regular hours fall inside one UTC day).
    var days: [String: (date: Substring, day: Day)] = [:]

    mutating func decide(_ view: AgentView) -> [AgentAction] {
        var actions: [AgentAction] = []
        let date = view.time.iso8601.prefix(10)
        // Exits first: an entry filled gets its bracket; one side of a bracket filled cancels the other.
        for trade in view.fills {
            guard let id = view.clientID(ofOrder: trade.fill.orderID) else { continue }
            let ticker = trade.fill.ticker
            if id.hasPrefix("entry-"), let day = days[ticker]?.day, let reach = try? (day.high - day.low).times(parameters.rewardRisk) {
                let target = trade.fill.price + reach
                actions.append(.order(OrderRequest(ticker: ticker, side: .sell, type: .stop, quantity: trade.fill.quantity, stopPrice: day.low,
                                                   clientID: "stop-\(ticker)-\(date)", purpose: "orb_stop")))
                actions.append(.order(OrderRequest(ticker: ticker, side: .sell, type: .limit, quantity: trade.fill.quantity, limitPrice: target,
                                                   clientID: "target-\(ticker)-\(date)", purpose: "orb_target")))
            } else if id.hasPrefix("stop-") {
                actions.append(.cancel(clientID: "target-" + id.dropFirst("stop-".count)))
            } else if id.hasPrefix("target-") {
                actions.append(.cancel(clientID: "stop-" + id.dropFirst("target-".count)))
            }
        }
        for bar in view.bars {
            var day = days[bar.ticker].flatMap { $0.date == date ? $0.day : nil } ?? Day()
            day.bars += 1
            if day.bars <= parameters.rangeBars {
                day.high = day.bars == 1 ? bar.high : max(day.high, bar.high)
                day.low = day.bars == 1 ? bar.low : min(day.low, bar.low)
            } else if !day.entered, bar.close > day.high, view.position(bar.ticker) == nil,
                      !view.openOrders.contains(where: { $0.ticker == bar.ticker }) {
                day.entered = true
                actions.append(.order(OrderRequest(ticker: bar.ticker, side: .buy, type: .market, quantity: parameters.quantity,
                                                   clientID: "entry-\(bar.ticker)-\(date)", purpose: "orb_entry")))
            }
            days[bar.ticker] = (date, day)
        }
        return actions
    }
}
