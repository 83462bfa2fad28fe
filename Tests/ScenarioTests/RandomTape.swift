import Foundation
import TapebenchCore
import TapebenchEngine

/// Random minute bars and a random order tape for the differential tests against other backtesters: 8 tickers
/// × 10 trading days (2024-03-04 to 03-15, across the DST change) of regular-hours bars with missing minutes
/// (single minutes and short runs), and ~350 orders of every type on both sides, priced around the market so
/// that most fill and many take the rarer branches (gaps, stop-limits triggered inside a bar).
struct RandomTape {
    static let tickers = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH"]
    /// The ten trading days and their 09:30 America/New_York open in epoch seconds (EST before 03-10, EDT after).
    static let days: [(name: String, open: Int64)] = [
        ("2024-03-04", 1_709_562_600), ("2024-03-05", 1_709_649_000), ("2024-03-06", 1_709_735_400),
        ("2024-03-07", 1_709_821_800), ("2024-03-08", 1_709_908_200), ("2024-03-11", 1_710_163_800),
        ("2024-03-12", 1_710_250_200), ("2024-03-13", 1_710_336_600), ("2024-03-14", 1_710_423_000),
        ("2024-03-15", 1_710_509_400),
    ]

    struct Row { var ticker: String; var start: Int64; var open, high, low, close: Int64; var volume: Int64 }

    /// Bars per day file, in (start, ticker) order; prices in cents.
    var bars: [[Row]] = []
    var tape = "time,ticker,side,type,quantity,limit_price,stop_price\n"
    var orderCount = 0

    /// `types`: the order types to draw from (market, limit, stop, stop_limit by default). `contingent`: the
    /// share of orders given a stop-loss and/or take-profit (columns `sl`, `tp`, written only when above 0;
    /// drawn from a generator of their own, so the orders are those of the same seed without them).
    init(seed: UInt64, orders: Int = 350, types: [String] = ["market", "limit", "stop", "stop_limit"], contingent: Double = 0) {
        var random = Xoshiro256(seed: seed, key: "random-tape")
        var brackets = Xoshiro256(seed: seed, key: "random-tape-contingent")
        if contingent > 0 { tape = "time,ticker,side,type,quantity,limit_price,stop_price,sl,tp\n" }
        func unit() -> Double { random.nextUnit() }
        var last: [String: Int64] = [:]
        var rows: [[Row]] = []
        for day in Self.days {
            var dayRows: [Row] = []
            for ticker in Self.tickers {
                var close = last[ticker] ?? Int64(2_000 + unit() * 18_000)
                var skip = 0
                for minute in 0..<390 {
                    // An opening gap on the day's first bar, small gaps now and then.
                    let gapChance = minute == 0 ? 1.0 : 0.08
                    let open = max(100, close + (unit() < gapChance ? Int64((unit() - 0.5) * Double(close) * 0.004) : 0))
                    let move = Int64((unit() - 0.5) * Double(open) * 0.004)
                    let next = max(100, open + move)
                    let high = max(open, next) + Int64(unit() * Double(open) * 0.0015)
                    let low = max(50, min(open, next) - Int64(unit() * Double(open) * 0.0015))
                    close = next
                    if skip > 0 { skip -= 1; continue }
                    if unit() < 0.04 { skip = unit() < 0.3 ? Int(unit() * 4) : 0; continue }  // a missing minute, or a run
                    dayRows.append(Row(ticker: ticker, start: day.open + Int64(minute) * 60, open: open, high: high, low: low,
                                       close: close, volume: Int64(100 + unit() * 9_900)))
                }
                last[ticker] = close
            }
            dayRows.sort { ($0.start, $0.ticker) < ($1.start, $1.ticker) }
            rows.append(dayRows)
        }
        bars = rows
        let byTicker = Dictionary(grouping: rows.joined(), by: \.ticker)
        for _ in 0..<orders {
            let ticker = Self.tickers[Int(unit() * Double(Self.tickers.count))]
            let day = Self.days[Int(unit() * Double(Self.days.count))]
            // Not at a ticker's first bars: backtesting.py calls next() from the data's second bar on.
            let time = day.open + (2 + Int64(unit() * 383)) * 60
            // The price the order is set around: the close of the ticker's last bar before its time.
            guard let reference = byTicker[ticker]!.last(where: { $0.start < time })?.close else { continue }
            let side = unit() < 0.5 ? "buy" : "sell"
            let sign: Double = side == "buy" ? 1 : -1
            func price(_ offsetPercent: Double) -> String { cents(Int64((Double(reference) * (1 + offsetPercent / 100)).rounded())) }
            let kind = ["market", "limit", "stop", "stop_limit"].firstIndex(of: types[Int(unit() * Double(types.count))])!
            var limit = "", stop = ""
            switch kind {
            case 1: limit = price(-sign * (unit() * 0.6 - 0.1))                  // mostly below a buy's market, some marketable
            case 2: stop = price(sign * (unit() * 0.6 - 0.05))                   // mostly above a buy's market, some already through
            case 3:
                let stopOffset = unit() * 0.5 - 0.05
                stop = price(sign * stopOffset)
                limit = price(sign * (stopOffset + unit() * 0.4 - 0.2))        // the limit beyond the stop, or short of it
            default: break
            }
            let type = ["market", "limit", "stop", "stop_limit"][kind]
            tape += "\(time * 1_000_000_000),\(ticker),\(side),\(type),\(1 + Int(unit() * 500)),\(limit),\(stop)"
            if contingent > 0 {
                // Around the limit, else the stop, else the close of the bar the order is placed at (backtesting.py
                // checks a market order's SL and TP against it), 0.15 % to 0.8 % away: valid with a spread up to 0.1 %.
                let decision = byTicker[ticker]!.first { $0.start >= time }?.close ?? reference
                let base = Int64(Double(limit.isEmpty ? (stop.isEmpty ? "" : stop) : limit).map { ($0 * 100).rounded() } ?? Double(decision))
                func away(_ sign: Double) -> Int64 { Int64((Double(base) * (1 + sign * (0.0015 + brackets.nextUnit() * 0.0065))).rounded()) }
                var sl = "", tp = ""
                if brackets.nextUnit() < contingent {
                    let which = brackets.nextUnit()
                    let (below, above) = (away(-1), away(1))
                    if below > 0, below < base, above > base {
                        if which < 0.8 { sl = cents(sign > 0 ? below : above) }   // a fifth SL only, a fifth TP only
                        if which >= 0.2 { tp = cents(sign > 0 ? above : below) }
                    }
                }
                tape += ",\(sl),\(tp)"
            }
            tape += "\n"
            orderCount += 1
        }
    }

    /// Writes `data/<day>.csv` (Polygon flat files) and `orders.csv` into `folder`.
    func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        for (index, day) in Self.days.enumerated() {
            var text = "ticker,volume,open,close,high,low,window_start,transactions\n"
            for r in bars[index] {
                text += "\(r.ticker),\(r.volume),\(cents(r.open)),\(cents(r.close)),\(cents(r.high)),\(cents(r.low)),\(r.start * 1_000_000_000),\n"
            }
            try text.write(toFile: "\(folder)/data/\(day.name).csv", atomically: true, encoding: .utf8)
        }
        try tape.write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8)
    }

    /// The scenario around the tape: an account and limits so wide that no order is rejected (the other
    /// backtesters check cash only), shorts allowed; `fillModel` is the YAML of one variant.
    func scenario(fillModels: String...) -> String {
        """
        name: parity
        data: {paths: [data], tickers: [\(Self.tickers.joined(separator: ", "))]}
        account: {initial_balance: 1000000000}
        risk: {max_position_pct: 100, max_open_positions: 100, min_cash_reserve_pct: 0, max_short_pct: 100}
        agents:
          - id: tape
            kind: order_tape
            params: {file: orders.csv}
        fill_models:
        \(fillModels.map { "  - " + $0 }.joined(separator: "\n"))
        """
    }
}

func cents(_ value: Int64) -> String { "\(value / 100).\(String(format: "%02d", value % 100))" }

/// One fill as a differential test compares it: by the tape line of its order.
struct ComparedFill: Equatable {
    var line: Int
    /// The end of the bar it filled on, epoch nanoseconds.
    var time: Int64
    var price: Double
    /// Signed: positive for buys.
    var quantity: Int64
    var commission: Double
    /// Tapebench's rule; empty for a reference's fill.
    var rule = ""
}

extension RunResult {
    /// Every fill of a lane, the tape's orders and their trades' orders apart: keyed line × 10 + kind (0 the
    /// line's own order, 1 its trade's stop-loss, 2 take-profit, 3 close orders), as `ReferenceFills.byKind`.
    func tapeFillsByKind(lane: Int = 0) -> (fills: [Int: [ComparedFill]], rejected: [Int]) {
        var fills: [Int: [ComparedFill]] = [:]
        var rejected: [Int] = []
        let run = lanes[lane]
        func key(_ purpose: String) -> Int {
            let kinds = ["stop_loss:": 1, "take_profit:": 2, "close:": 3]
            let kind = kinds.first { purpose.hasPrefix($0.key) }
            let line = Int(purpose.dropFirst(kind?.key.count ?? 0).dropFirst("tape_line_".count)) ?? -1
            return line * 10 + (kind?.value ?? 0)
        }
        let keys = Dictionary(uniqueKeysWithValues: run.orders.map { ($0.id, key($0.purpose)) })
        for order in run.orders where order.status == .rejected { rejected.append(keys[order.id]! / 10) }
        for trade in run.trades {
            let f = trade.fill
            fills[keys[f.orderID]!, default: []].append(ComparedFill(
                line: keys[f.orderID]! / 10, time: f.time.nanoseconds, price: f.price.doubleValue,
                quantity: f.side == .buy ? f.quantity : -f.quantity, commission: f.commission.doubleValue, rule: f.rule.rawValue))
        }
        return (fills, rejected)
    }

    /// Every fill of a lane (the first by default), by tape line, and the lines of rejected orders.
    func tapeFills(lane: Int = 0) -> (fills: [Int: [ComparedFill]], rejected: [Int]) {
        var fills: [Int: [ComparedFill]] = [:]
        var rejected: [Int] = []
        let run = lanes[lane]
        let lines = Dictionary(uniqueKeysWithValues: run.orders.map { ($0.id, Int($0.purpose.dropFirst("tape_line_".count)) ?? -1) })
        for order in run.orders where order.status == .rejected { rejected.append(lines[order.id]!) }
        for trade in run.trades {
            let f = trade.fill
            fills[lines[f.orderID]!, default: []].append(ComparedFill(
                line: lines[f.orderID]!, time: f.time.nanoseconds, price: f.price.doubleValue,
                quantity: f.side == .buy ? f.quantity : -f.quantity, commission: f.commission.doubleValue, rule: f.rule.rawValue))
        }
        return (fills, rejected)
    }
}
