import TapebenchCore
import TapebenchEngine

/// `fills.csv`: one row per fill, for users' own tools. Times ISO 8601 UTC; money exact;
/// `slippage` is what slippage cost on the fill in dollars ((price − reference) × quantity, against the trader).
public enum FillsCSV {
    public static let header = "order_id,agent,time,ticker,side,type,quantity,price,commission,slippage"

    public static func render(_ result: RunResult) -> String {
        var fills = result.runs.flatMap(\.trades).map(\.fill)
        // One timeline across agents: time, then ticker, then agent, then order id.
        fills.sort { ($0.time, $0.ticker, $0.agent, $0.orderID) < ($1.time, $1.ticker, $1.agent, $1.orderID) }
        var out = header + "\n"
        for f in fills {
            out += "\(f.orderID),\(f.agent),\(f.time.iso8601),\(f.ticker),\(f.side.rawValue),\(f.orderType.rawValue),"
            out += "\(f.quantity),\(f.price),\(f.commission),\(f.slippageCost)\n"
        }
        return out
    }
}
