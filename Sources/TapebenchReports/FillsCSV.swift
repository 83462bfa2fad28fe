import TapebenchCore
import TapebenchEngine

/// `fills.csv`: one row per fill, for users' own tools. Times ISO 8601 UTC; money exact;
/// `slippage` is what slippage cost on the fill in dollars ((price − reference) × quantity, against the trader);
/// `variant` names the fill model, `rule` the fill rule.
public enum FillsCSV {
    public static let header = "order_id,agent,variant,time,ticker,side,type,quantity,price,commission,slippage,rule"

    public static func render(_ result: RunResult) -> String {
        var fills = result.lanes.flatMap { run in run.trades.map { (variant: run.variant, fill: $0.fill) } }
        // One timeline across lanes: time, then ticker, then agent, then the variant's place in the scenario, then order id.
        let rank = Dictionary(uniqueKeysWithValues: result.fillModels.enumerated().map { ($1, $0) })
        fills.sort { a, b in
            (a.fill.time, a.fill.ticker, a.fill.agent, rank[a.variant]!, a.fill.orderID) < (b.fill.time, b.fill.ticker, b.fill.agent, rank[b.variant]!, b.fill.orderID)
        }
        var out = header + "\n"
        for (variant, f) in fills {
            out += "\(f.orderID),\(f.agent),\(variant),\(f.time.iso8601),\(f.ticker),\(f.side.rawValue),\(f.orderType.rawValue),"
            out += "\(f.quantity),\(f.price),\(f.commission),\(f.slippageCost),\(f.rule.rawValue)\n"
        }
        return out
    }
}
