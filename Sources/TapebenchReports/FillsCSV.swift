import TapebenchCore
import TapebenchEngine

/// `fills.csv`: one row per fill, for users' own tools and for `check`/`diff`. Times ISO 8601 UTC; money
/// exact; `slippage` is what slippage cost on the fill in dollars ((price − reference) × quantity, against
/// the trader); `variant` names the fill model, `rule` the fill rule. Rows are the lanes' fills in lane
/// order (agents by id, each agent's variants in the scenario's order), each lane's in the order they
/// happened: written as they happen, the same bytes whatever the thread count.
public enum FillsCSV {
    public static let header = "order_id,agent,variant,time,ticker,side,type,quantity,price,commission,slippage,rule"

    /// The whole file for a run kept in memory (`RunResult`): the bytes a run folder streams for the same
    /// events.
    public static func render(_ result: RunResult) -> String {
        var out = ByteText()
        out.append(header + "\n")
        for lane in result.lanes {
            for trade in lane.trades { appendRow(trade.fill, variant: lane.variant, to: &out) }
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// One fill's row, with its line end.
    public static func appendRow(_ f: Fill, variant: String, to out: inout ByteText) {
        appendOrderColumns(f, variant: variant, to: &out)
        out.append(byte: comma)
        out.append(fixed: f.price)
        out.append(byte: comma)
        out.append(fixed: f.commission)
        out.append(byte: comma)
        out.append(fixed: f.slippageCost)
        out.append(byte: comma)
        out.append(f.rule.rawValue)
        out.append(byte: newline)
    }
}

extension FillsCSV {
    /// `order_id,agent,variant,time,ticker,side,type,quantity`: the columns fills.csv and trades.csv share.
    static func appendOrderColumns(_ f: Fill, variant: String, to out: inout ByteText) {
        out.append(integer: f.orderID)
        out.append(byte: comma)
        out.append(f.agent)
        out.append(byte: comma)
        out.append(variant)
        out.append(byte: comma)
        out.append(iso8601: f.time)
        out.append(byte: comma)
        out.append(f.ticker)
        out.append(byte: comma)
        out.append(f.side.rawValue)
        out.append(byte: comma)
        out.append(f.orderType.rawValue)
        out.append(byte: comma)
        out.append(integer: f.quantity)
    }
}

let comma = UInt8(ascii: ",")
let newline = UInt8(ascii: "\n")
