import TapebenchCore
import TapebenchData
import TapebenchEngine

/// `trades.csv` and `equity.csv`, for users' own tools: one header row, ISO 8601 times, exact money. Rows
/// in lane order, each lane's as they happened (as in `fills.csv`).
public enum TablesCSV {
    public static let tradesHeader = "trade_id,order_id,agent,variant,time,ticker,side,type,quantity,price,reference_price,commission,slippage,rule,realized_pnl,cash_after,position_after,opening_signal"
    public static let equityHeader = "agent,variant,date,time,cash,market_value,equity,realized_pnl,unrealized_pnl,commissions,open_positions,drawdown"

    /// trades.csv for a run kept in memory (`RunResult`): the bytes a run folder streams for the same events.
    public static func trades(_ result: RunResult) -> String {
        var out = ByteText()
        out.append(tradesHeader + "\n")
        for lane in result.lanes {
            for trade in lane.trades { appendTrade(trade, variant: lane.variant, to: &out) }
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Every fill as the ledger booked it, with realized P&L and the position after it.
    public static func appendTrade(_ t: Trade, variant: String, to out: inout ByteText) {
        let f = t.fill
        out.append(integer: t.id)
        out.append(byte: comma)
        FillsCSV.appendOrderColumns(f, variant: variant, to: &out)
        appendAmount(f.price, to: &out)
        appendAmount(f.referencePrice, to: &out)
        appendAmount(f.commission, to: &out)
        appendAmount(f.slippageCost, to: &out)
        out.append(byte: comma)
        out.append(f.rule.rawValue)
        out.append(byte: comma)
        if let realized = t.realizedPnL { out.append(fixed: realized) }
        out.append(byte: comma)
        out.append(fixed: t.cashAfter)
        out.append(byte: comma)
        out.append(integer: t.positionAfter)
        out.append(byte: comma)
        if let signal = t.openingSignal {
            // An agent's own kinds are numbers and names (no comma, quote or line break): written straight in.
            if case .text(let text) = signal { appendText(text, to: &out) } else { signal.write(to: &out) }
        }
        out.append(byte: newline)
    }

    /// The account every `EquitySampler.intervalMinutes` minutes of replay time (the last step of each
    /// period), with the drawdown from the running peak of equity (every step's, from the initial balance).
    /// `date` is the trading day (of the calendar's session; NYSE: the America/New_York date) of the sample's
    /// minute (`calendar.day(of: time − 1 minute)`).
    public static func appendEquity(_ sample: EquitySample, agent: String, variant: String, date: CivilDate, to out: inout ByteText) {
        var day = DayText()
        appendEquity(sample, agent: agent, variant: variant, date: date, day: &day, to: &out)
    }

    /// As above, the time's date part kept in `day` from row to row (a lane's rows, a day after another).
    public static func appendEquity(_ sample: EquitySample, agent: String, variant: String, date: CivilDate, day: inout DayText, to out: inout ByteText) {
        let m = sample.mark
        out.append(agent)
        out.append(byte: comma)
        out.append(variant)
        out.append(byte: comma)
        out.append(date: date)
        out.append(byte: comma)
        out.append(iso8601: m.time, day: &day)
        appendAmount(m.cash, to: &out)
        appendAmount(m.marketValue, to: &out)
        appendAmount(m.equity, to: &out)
        appendAmount(m.realizedPnL, to: &out)
        appendAmount(m.unrealizedPnL, to: &out)
        appendAmount(m.commissions, to: &out)
        out.append(byte: comma)
        out.append(integer: m.openPositions)
        out.append(byte: comma)
        out.append(statistic: sample.drawdown, digits: 6)
        out.append(byte: newline)
    }

    /// A comma, then an amount.
    static func appendAmount(_ amount: Fixed, to out: inout ByteText) {
        out.append(byte: comma)
        out.append(fixed: amount)
    }

    /// A CSV field: quoted when it holds a comma, a quote or a line break.
    static func appendText(_ text: String, to out: inout ByteText) {
        guard text.utf8.contains(where: { $0 == comma || $0 == UInt8(ascii: "\"") || $0 == newline || $0 == UInt8(ascii: "\r") }) else {
            out.append(text)
            return
        }
        out.append(byte: UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte: byte) }
            out.append(byte: byte)
        }
        out.append(byte: UInt8(ascii: "\""))
    }
}
