import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchReports

/// Four orders on seven hand-made bars, replayed under each preset; every expected fill is computed
/// by hand from the rules in the README.
@Suite struct OrderTapeTests {
    // 2024-03-11 (EDT): 09:30 = 13:30Z = 1710163800 s.
    static let bars = [
        // open, high, low, close, volume
        ("100.00", "100.50", "99.80", "100.20", 1_000),  // 09:30
        ("100.20", "100.40", "99.50", "99.60", 1_000),   // 09:31  order 1 (market buy 100) fills here
        ("99.00", "99.40", "98.80", "99.20", 1_000),     // 09:32
        ("99.20", "101.20", "99.10", "101.00", 1_000),   // 09:33  order 2 (sell limit 101, 50) fills here
        ("102.10", "102.50", "101.80", "102.20", 500),   // 09:34  order 3 (buy stop 102, 20): gaps through
        ("102.20", "102.30", "101.00", "101.20", 1_000), // 09:35  order 4 (sell stop 101.50 limit 101.30, 20)
        ("101.20", "101.30", "100.90", "101.00", 1_000), // 09:36
    ]

    static let tape = """
        time,ticker,side,type,quantity,limit_price,stop_price
        2024-03-11T09:30:00-04:00,TST,buy,market,100,,
        2024-03-11T09:32:00-04:00,TST,sell,limit,50,101.00,
        1710163980000000000,TST,buy,stop,20,,102.00
        2024-03-11T13:34:00Z,TST,sell,stop_limit,20,101.30,101.50
        """

    func runLanes() throws -> [LaneResult] { try result().lanes }

    func run() throws -> [String: [[String]]] {
        var rows: [String: [[String]]] = [:]
        for line in FillsCSV.render(try result()).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // order_id, time, side, type, quantity, price, commission, rule
            rows[f[2], default: []].append([f[0], f[3], f[5], f[6], f[7], f[8], f[9], f[11]])
        }
        return rows
    }

    func result() throws -> RunResult {
        let bars = Self.bars.enumerated().map { i, b in TestBar(minute: Int64(i), open: b.0, high: b.1, low: b.2, close: b.3, volume: b.4) }
        return try runTestScenario(bars: bars, tape: Self.tape, yaml: """
            name: tape
            data: {paths: [data], tickers: [TST]}
            agents:
              - id: tape
                kind: order_tape
                params: {file: orders.csv}
            fill_models: [seed, conservative, backtrader]
            """)
    }

    @Test("the stop-limit triggered and filled in one bar rests on the intrabar path; the others do not")
    func ambiguous() throws {
        let runs = try runLanes()
        for run in runs {
            #expect(run.trades.map(\.fill.ambiguous) == [false, false, false, true], "\(run.variant)")
        }
    }

    @Test("seed: market at the next open + 1 bp, limit and stop at their prices, stop-limit at the limit; $0.50 a fill")
    func seed() throws {
        #expect(try run()["seed"] == [
            ["1", "2024-03-11T13:32:00Z", "buy", "market", "100", "100.21002", "0.50", "market_next_open"],   // 100.20 × 1.0001
            ["2", "2024-03-11T13:34:00Z", "sell", "limit", "50", "101.00", "0.50", "limit_touch"],            // high 101.20 ≥ 101
            ["3", "2024-03-11T13:35:00Z", "buy", "stop", "20", "102.00", "0.50", "stop_trigger"],             // gap to 102.10, seed says 102
            ["4", "2024-03-11T13:36:00Z", "sell", "stop_limit", "20", "101.30", "0.50", "stop_limit_touch"],  // both inside the bar
        ])
    }

    @Test("backtrader: open unslipped, the gap fills at the open, the stop-limit at its stop on a falling trigger bar (BackBroker's branches); no commission")
    func backtrader() throws {
        #expect(try run()["backtrader"] == [
            ["1", "2024-03-11T13:32:00Z", "buy", "market", "100", "100.20", "0.00", "market_next_open"],
            ["2", "2024-03-11T13:34:00Z", "sell", "limit", "50", "101.00", "0.00", "limit_touch"],
            ["3", "2024-03-11T13:35:00Z", "buy", "stop", "20", "102.10", "0.00", "stop_gap_open"],
            ["4", "2024-03-11T13:36:00Z", "sell", "stop_limit", "20", "101.50", "0.00", "stop_limit_after_trigger"],
        ])
    }

    @Test("conservative: the worse of 1 bp and square-root impact, one tick through for limits, gap-aware stops, stop-limits at the limit, the greater of $0.50 and per-share commission with sell fees")
    func conservative() throws {
        #expect(try run()["conservative"] == [
            // σ = 0.90 / 100.20, √(100 / 1 000): 100.20 × σ × 0.316… = 0.28460499 → 100.48460499; $0.005 × 100 → $1 minimum.
            ["1", "2024-03-11T13:32:00Z", "buy", "market", "100", "100.48460499", "1.00", "market_next_open"],
            // high 101.20 ≥ 101.01; no slippage on a limit; $1 + SEC 5 050 × 27.80 / 10⁶ = 0.14039 + FINRA 50 × 0.000166 = 0.0083.
            ["2", "2024-03-11T13:34:00Z", "sell", "limit", "50", "101.00", "1.14869", "limit_through"],
            // Opens at 102.10 through the 102 stop: the open, + 102.10 × (0.70 / 102.10) × √(20 / 500) = 0.14.
            ["3", "2024-03-11T13:35:00Z", "buy", "stop", "20", "102.24", "1.00", "stop_gap_open"],
            // Both paths reach the 101.50 stop with the 101.30 limit below it: filled, at the limit as seed fills it (never
            // better than seed); $1 + SEC 2 026 × 27.80 / 10⁶ = 0.0563228 + FINRA 20 × 0.000166 = 0.00332.
            ["4", "2024-03-11T13:36:00Z", "sell", "stop_limit", "20", "101.30", "1.0596428", "stop_limit_after_trigger"],
        ])
    }

    @Test("a tape naming a ticker the scenario does not replay, or a bad row, is an error with file and line")
    func badTape() throws {
        let folder = try temporaryFolder()
        try "time,ticker,side,type,quantity,limit_price,stop_price\n2024-03-11T09:30:00,TST,buy,market,100,,\n"
            .write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        #expect { try OrderTape.load(path: folder + "/t.csv") } throws: { error in
            "\(error)" == "\(folder)/t.csv:2: field 'time': expected ISO 8601 with an offset (2024-03-11T09:45:00-04:00) or epoch nanoseconds, got '2024-03-11T09:30:00'"
        }
        try "time,ticker,side,type,quantity,limit_price,stop_price\n1,TST,buy,limit,100,,\n".write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        #expect { try OrderTape.load(path: folder + "/t.csv") } throws: { error in
            "\(error)" == "\(folder)/t.csv:2: field 'limit_price': required for a limit order"
        }
    }
}

/// Two exits resting on one long position, and a bar that reaches both: the intrabar path decides which fills.
@Suite struct SameBarExitsTests {
    func run(_ model: String) throws -> [String] {
        let bars = (0..<5).map { m in m == 3 ? TestBar(minute: 3, open: "100", high: "106", low: "94", close: "100")
                                             : TestBar(minute: Int64(m), open: "100", high: "100", low: "100", close: "100") }
        let result = try runTestScenario(bars: bars, tape: """
            time,ticker,side,type,quantity,limit_price,stop_price
            2024-03-11T09:30:00-04:00,TST,buy,market,100,,
            2024-03-11T09:31:00-04:00,TST,sell,stop,100,,95.00
            2024-03-11T09:31:00-04:00,TST,sell,limit,100,105.00,
            """, yaml: """
            name: exits
            data: {paths: [data], tickers: [TST]}
            agents: [{id: tape, kind: order_tape, params: {file: orders.csv}}]
            fill_model: \(model)
            """)
        // The exit that filled rests on the assumed path: both were reachable in the bar.
        #expect(result.lanes[0].trades.last?.fill.ambiguous == true)
        #expect(result.lanes[0].trades.first?.fill.ambiguous == false)
        return result.lanes[0].orders.dropFirst().map { "\($0.type.rawValue) \($0.status.rawValue)" }
    }

    @Test("seed tries them in order-id order: the stop fills, the limit is rejected (long-only)")
    func seed() throws { #expect(try run("seed") == ["stop filled", "limit rejected"]) }

    @Test("backtrader tries them in submission order, as BackBroker's pending queue does: the stop fills first")
    func backtrader() throws { #expect(try run("backtrader") == ["stop filled", "limit rejected"]) }

    @Test("the worst case for the trader sells at the stop")
    func conservative() throws { #expect(try run("conservative") == ["stop filled", "limit rejected"]) }
}

/// A participation cap spreads an order over bars; the rest is cancelled at the close when asked.
@Suite struct ParticipationReplayTests {
    func run(cancel: Bool) throws -> (status: String, filled: Int64, fills: [Int64]) {
        let bars = [Int64(0), 1_440].flatMap { day in (0..<4).map { TestBar(minute: day + Int64($0), open: "10", high: "10", low: "10", close: "10") } }
        let run = try runTestScenario(bars: bars, tape: "time,ticker,side,type,quantity,limit_price,stop_price\n2024-03-11T09:30:00-04:00,TST,buy,market,500,,\n", yaml: """
            name: cap
            data: {paths: [data], tickers: [TST]}
            agents: [{id: tape, kind: order_tape, params: {file: orders.csv}}]
            fill_models:
              - name: capped
                preset: seed
                participation: {max_pct: 10, cancel_at_session_end: \(cancel)}
            """).lanes[0]
        return (run.orders[0].status.rawValue, run.orders[0].filledQuantity, run.trades.map(\.fill.quantity))
    }

    @Test("100 shares a bar (10 % of 1 000): 300 on the first day's three remaining bars, then cancelled at the close")
    func cancelled() throws {
        let r = try run(cancel: true)
        #expect(r.fills == [100, 100, 100])
        #expect(r.status == "cancelled")
        #expect(r.filled == 300)
    }

    @Test("without cancelling, the rest continues the next morning")
    func continues() throws {
        let r = try run(cancel: false)
        #expect(r.fills == [100, 100, 100, 100, 100])
        #expect(r.status == "filled")
    }
}

/// Two tickers that move together count as one group once their returns correlate.
@Suite struct CorrelatedGroupTests {
    @Test("a buy in a ticker correlated with a held one is held to the group limit")
    func correlated() throws {
        let bars = ["AAA", "BBB"].flatMap { ticker in
            (0..<45).map { (m: Int) -> TestBar in
                let price = String(format: "%.2f", 100 + (m % 2 == 0 ? 0.0 : 0.5) + Double(m) * 0.01)
                return TestBar(ticker: ticker, minute: Int64(m), open: price, high: price, low: price, close: price)
            }
        }
        let run = try runTestScenario(bars: bars, tape: """
            time,ticker,side,type,quantity,limit_price,stop_price
            2024-03-11T09:30:00-04:00,AAA,buy,market,150,,
            2024-03-11T10:05:00-04:00,BBB,buy,market,150,,
            """, yaml: """
            name: corr
            data: {paths: [data], tickers: [AAA, BBB]}
            agents: [{id: t, kind: order_tape, params: {file: orders.csv}}]
            risk: {max_group_pct: 30, correlation_groups: {min_correlation: 0.8, min_bars: 30}}
            """).lanes[0]
        #expect(run.orders[0].status == .filled)
        #expect(run.orders[1].status == .rejected)
        #expect(run.orders[1].rejectReason?.hasPrefix("group_exposure: group 'correlated with BBB: AAA' would hold $") == true, "\(run.orders[1].rejectReason ?? "")")
    }
}
