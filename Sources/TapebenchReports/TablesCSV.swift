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

    /// One row of equity.csv (`EquityRows.append`, for a row on its own).
    public static func appendEquity(_ sample: EquitySample, agent: String, variant: String, calendar: ExchangeCalendar = .nyse,
                                    to out: inout ByteText) {
        var rows = EquityRows(agent: agent, variant: variant, calendar: calendar)
        rows.append(sample, to: &out)
    }

    /// A comma, then an amount.
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

/// The rows of equity.csv of one lane, in time order: the account every `EquitySampler.intervalMinutes`
/// minutes of replay time (the last step of each period), with the drawdown from the running peak of equity
/// (every step's, from the initial balance). `date` is the trading day (of the calendar's session; NYSE: the
/// America/New_York date) of the sample's minute (`calendar.day(of: time − 1 minute)`): a step ending at
/// 16:00 belongs to the day of the 15:59 minute.
///
/// What repeats from row to row is copied, not written again (`ByteText.append(key:recent:_:)`): the agent and variant, the date, the date part of the time, and any
/// amount, count or drawdown equal to the row before's (an account without a position keeps its cash, P&L and
/// commissions for hours). ≈ 3,600 instructions a row before, on the peers order tape's 97,884 rows.
public struct EquityRows: Sendable {
    /// `agent,variant,`
    private let prefix: String
    private var days: SessionCache
    private var date = RecentText()
    private var day = DayText()
    private var cash = RecentText(), marketValue = RecentText(), equity = RecentText(), realizedPnL = RecentText()
    private var unrealizedPnL = RecentText(), commissions = RecentText(), openPositions = RecentText(), drawdown = RecentText()

    public init(agent: String, variant: String, calendar: ExchangeCalendar = .nyse) {
        prefix = agent + "," + variant + ","
        days = SessionCache(calendar: calendar)
    }

    public mutating func append(_ sample: EquitySample, to out: inout ByteText) {
        let m = sample.mark
        let date = days.local(m.time.adding(minutes: -1)).date
        out.append(prefix)
        out.append(key: EquityRows.key(date), recent: &self.date) { $0.append(date: date) }
        out.append(byte: comma)
        out.append(iso8601: m.time, day: &day)
        EquityRows.amount(m.cash, &cash, to: &out)
        EquityRows.amount(m.marketValue, &marketValue, to: &out)
        EquityRows.amount(m.equity, &equity, to: &out)
        EquityRows.amount(m.realizedPnL, &realizedPnL, to: &out)
        EquityRows.amount(m.unrealizedPnL, &unrealizedPnL, to: &out)
        EquityRows.amount(m.commissions, &commissions, to: &out)
        out.append(byte: comma)
        out.append(key: UInt64(truncatingIfNeeded: m.openPositions), recent: &openPositions) { $0.append(integer: m.openPositions) }
        out.append(byte: comma)
        out.append(key: sample.drawdown.bitPattern, recent: &drawdown) { $0.append(statistic: sample.drawdown, digits: 6) }
        out.append(byte: newline)
    }

    /// A comma, then an amount.
    private static func amount(_ value: Money, _ recent: inout RecentText, to out: inout ByteText) {
        out.append(byte: comma)
        out.append(key: UInt64(bitPattern: value.raw), recent: &recent) { $0.append(fixed: value) }
    }

    /// A date as one number, distinct for distinct dates (a month and a day are below 100 in any date a
    /// calendar gives).
    private static func key(_ date: CivilDate) -> UInt64 {
        UInt64(bitPattern: Int64(truncatingIfNeeded: date.year)) &* 10_000 &+ UInt64(truncatingIfNeeded: date.month &* 100 &+ date.day)
    }
}
