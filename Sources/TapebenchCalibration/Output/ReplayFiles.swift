import Foundation
import TapebenchCore

/// Closing the loop: the fitted orders as an order tape, and a scenario that replays them under the fitted
/// models, so `tapebench run replay.yaml` (or `calibrate --replay`) shows the shortfall a replay makes next
/// to the observed one.
public enum ReplayFiles {
    /// `orders.csv`: one market order per fitted order. Its time is the start of the bar before the fill
    /// bar: the tape places an order at the close of that bar, so it fills on the fill bar's open, as the
    /// reference assumes. (With no bar before it in the data, the fill bar's own start: a bar later.)
    public static func orderTape(_ orders: [OrderObservation]) -> String {
        var out = "time,ticker,side,type,quantity,limit_price,stop_price\n"
        let rows = orders.map { order -> (Timestamp, String, String) in
            let time = order.previousBar?.start ?? order.fillBar.start
            return (time, order.ticker, "\(time.iso8601),\(csvField(order.ticker)),\(order.side.rawValue),market,\(order.quantity),,\n")
        }
        // The tape reader sorts per ticker; a sorted file reads better.
        for row in rows.enumerated().sorted(by: { ($0.element.0, $0.element.1, $0.offset) < ($1.element.0, $1.element.1, $1.offset) }) {
            out += row.element.2
        }
        return out
    }

    /// `replay.yaml`: the data the fills were matched on (`dataPaths` relative to the output folder), the
    /// tickers of the orders, the order tape, and the fitted variants. The account is large and the risk
    /// limits wide (shorts allowed), so that no order of the log is rejected by a limit the broker did not apply.
    public static func scenario(_ result: CalibrationResult, name: String, dataPaths: [String], source: String) -> String {
        let tickers = Set(result.orders.map(\.ticker)).sorted()
        let notional = result.orders.reduce(0.0) { $0 + $1.averagePrice * Double($1.quantity) }
        // Ten times every order's notional, in whole millions, within what a scenario accepts.
        let balance = min(1_000_000_000, max(1_000_000, ((notional * 10) / 1_000_000).rounded(.up) * 1_000_000))
        var out = "# Written by tapebench calibrate: replays the orders of \(FillModelsBlock.commentSafe(source)) under the fitted slippage.\n"
        out += "name: \(name)\n"
        out += "data:\n"
        out += "  paths: [\(dataPaths.map(yamlString).joined(separator: ", "))]\n"
        // Quoted: a ticker is the data's text; the scenario parser then checks it is a ticker.
        out += "  tickers: [\(tickers.map(yamlString).joined(separator: ", "))]\n"
        out += "account:\n  initial_balance: \(FillModelsBlock.decimal(balance, digits: 0))\n"
        out += "risk:\n  max_position_pct: 100\n  max_open_positions: 10000\n  min_cash_reserve_pct: 0\n  max_short_pct: 100\n"
        out += "agents:\n  - id: fills\n    kind: order_tape\n    params: {file: orders.csv}\n"
        let block = FillModelsBlock.text(result, source: source)
        out += block.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        return out
    }

    /// A CSV field, quoted when it holds a separator, a quote or a line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A YAML double-quoted string (paths may hold spaces or `#`).
    static func yamlString(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out += c.value < 32 ? "\\x" + String(c.value, radix: 16).leftPadded(2) : String(c)
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension ReplayFiles {
    /// `path` relative to the folder `from` (both absolute or both relative to one folder), through `..` as
    /// needed: how replay.yaml, written into the output folder, names the data.
    public static func relativePath(from folder: String, to path: String) -> String {
        let a = normalizedComponents(folder), b = normalizedComponents(path)
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: a.count - common) + b[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// Components without `.`, with `..` applied (a leading `..` of a relative path is kept).
    static func normalizedComponents(_ path: String) -> [String] {
        var out: [String] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = out.last, last != ".." { out.removeLast() } else { out.append(String(part)) }
        }
        return out
    }
}
