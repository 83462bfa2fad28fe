import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// `round_trips.csv`: one row per round trip (the shares a fill closed, matched first in, first out against
/// the open entry lots: `RoundTripBook`), written as each closes. Rows in lane order, each lane's in the
/// order its trips closed. Times ISO 8601 UTC; money and prices exact; `*_pct` are percentages with four
/// decimals. `gross_pnl` is price P&L before costs (slippage is inside the prices), `net_pnl` after the
/// trip's share of commissions; `return_pct` = net P&L / entry notional; `mae`/`mfe` are dollars per share
/// from the average entry (MAE ≤ 0 ≤ MFE), `mae_pct`/`mfe_pct` the same over the entry price.
public enum RoundTripsCSV {
    public static let header = "agent,variant,ticker,side,quantity,entry_time,entry_price,exit_time,exit_price,duration_minutes,gross_pnl,commissions,net_pnl,return_pct,mae,mae_pct,mfe,mfe_pct"

    /// The whole file for a run kept in memory (`RunResult`): the bytes a run folder streams for the same trips.
    public static func render(_ result: RunResult) -> String {
        var out = ByteText()
        out.append(header + "\n")
        for lane in result.lanes {
            for trip in lane.roundTrips { appendRow(trip, agent: lane.config.id, variant: lane.variant, to: &out) }
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// One trip's row, with its line end.
    public static func appendRow(_ t: RoundTrip, agent: String, variant: String, to out: inout ByteText) {
        out.append(agent)
        out.append(byte: comma)
        out.append(variant)
        out.append(byte: comma)
        out.append(t.ticker)
        out.append(byte: comma)
        out.append(t.side.rawValue)
        out.append(byte: comma)
        out.append(integer: t.quantity)
        out.append(byte: comma)
        out.append(iso8601: t.entryTime)
        TablesCSV.appendAmount(t.entryPrice, to: &out)
        out.append(byte: comma)
        out.append(iso8601: t.exitTime)
        TablesCSV.appendAmount(t.exitPrice, to: &out)
        out.append(byte: comma)
        out.append(integer: t.durationMinutes)
        TablesCSV.appendAmount(t.grossPnL, to: &out)
        TablesCSV.appendAmount(t.commissions, to: &out)
        TablesCSV.appendAmount(t.netPnL, to: &out)
        appendPercent(t.returnFraction, to: &out)
        TablesCSV.appendAmount(t.adverseExcursion, to: &out)
        appendPercent(t.adverseFraction, to: &out)
        TablesCSV.appendAmount(t.favourableExcursion, to: &out)
        appendPercent(t.favourableFraction, to: &out)
        out.append(byte: newline)
    }

    /// A comma, then a fraction as a percentage with four decimals (`formatStatistic`'s text, written straight
    /// in: a `String` for each of a row's three percentages was most of the row's cost).
    static func appendPercent(_ fraction: Double, to out: inout ByteText) {
        out.append(byte: comma)
        out.append(statistic: fraction * 100, digits: 4)
    }
}
