import Foundation
import Testing
import TapebenchCore
import TapebenchEngine

/// backtesting.py's contingent stop-loss and take-profit (tape columns `sl`, `tp`) under the backtesting preset,
/// on hand-made bars; every expected fill worked out by hand from `_Broker._process_orders`.
@Suite struct ContingentOrderTests {
    static func bars(_ ticker: String, _ rows: [(String, String, String, String)]) -> [TestBar] {
        rows.enumerated().map { TestBar(ticker: ticker, minute: Int64($0.offset), open: $0.element.0, high: $0.element.1, low: $0.element.2, close: $0.element.3) }
    }

    static func yaml(_ tickers: [String], fillModels: String) -> String {
        """
        name: contingent
        data: {paths: [data], tickers: [\(tickers.joined(separator: ", "))]}
        risk: {max_position_pct: 100, max_open_positions: 100, min_cash_reserve_pct: 0, max_short_pct: 100}
        agents:
          - id: tape
            kind: order_tape
            params: {file: orders.csv}
        fill_models: \(fillModels)
        """
    }

    /// (purpose, side, quantity, price, rule) of a lane's fills, in order.
    static func fills(_ lane: LaneResult, _ ticker: String) -> [String] {
        let purposes = Dictionary(uniqueKeysWithValues: lane.orders.map { ($0.id, $0.purpose) })
        return lane.trades.filter { $0.fill.ticker == ticker }.map {
            "\(purposes[$0.fill.orderID]!) \($0.fill.side.rawValue) \($0.fill.quantity) @\($0.fill.price) \($0.fill.rule.rawValue) \($0.fill.time.iso8601)"
        }
    }

    @Test("a market entry's SL is tried on its entry bar (the queue walked again) and cancels the TP; a stop-limit whose limit came 'before' its stop fills on that rerun, a defect named and corrected")
    func sameBar() throws {
        let bars = Self.bars("AAA", [("100.00", "100.50", "99.80", "100.20"), ("100.00", "100.30", "98.90", "99.10"), ("99.10", "99.20", "99.00", "99.10")])
            + Self.bars("BBB", [("50.00", "50.20", "49.90", "50.10"), ("50.00", "50.60", "49.95", "50.40"), ("50.40", "50.50", "50.10", "50.30")])
            + Self.bars("CCC", [("20.00", "20.10", "19.90", "20.00"), ("20.00", "20.10", "19.90", "20.00")])
        let tape = """
            time,ticker,side,type,quantity,limit_price,stop_price,sl,tp
            2024-03-11T09:30:00-04:00,AAA,buy,market,100,,,99.00,101.00
            2024-03-11T09:30:00-04:00,BBB,buy,stop_limit,10,50.20,50.50,,
            2024-03-11T09:30:00-04:00,BBB,buy,market,5,,,49.00,
            2024-03-11T09:30:00-04:00,CCC,buy,market,1,,,30.00,
            """
        let run = try runTestScenario(bars: bars, tape: tape, yaml: Self.yaml(["AAA", "BBB", "CCC"], fillModels: """
            [backtesting, {name: corrected, preset: backtesting, backtesting: {defects: false}}]
            """))
        let lane = run.lanes[0]
        // AAA: the market buy fills at the 09:31 open; its SL (a sell stop 99.00) is tried on that bar when the queue
        // is walked again: the low 98.90 reaches it, at the worse of the open and the stop: 99.00. The TP is cancelled.
        #expect(Self.fills(lane, "AAA") == ["tape_line_2 buy 100 @100.00 market_next_open 2024-03-11T13:32:00Z",
                                            "stop_loss:tape_line_2 sell 100 @99.00 stop_trigger 2024-03-11T13:32:00Z"])
        #expect(lane.trades.filter { $0.fill.ticker == "AAA" }.map(\.fill.ambiguous) == [false, false])  // the TP 101.00 was not reached
        let target = try #require(lane.orders.first { $0.purpose == "take_profit:tape_line_2" })
        #expect(target.status == .cancelled && target.rejectReason!.contains("one-cancels-other"))
        // BBB: the stop-limit triggers at 09:31 (high 50.60 ≥ 50.50) with its limit 50.20 reached "before" the stop:
        // not filled; the market buy then opens a trade with an SL, the queue is walked again, and the stop-limit,
        // a limit now, fills at the better of the open and the limit, 50.00: a price from before its trigger.
        #expect(Self.fills(lane, "BBB") == ["tape_line_4 buy 5 @50.00 market_next_open 2024-03-11T13:32:00Z",
                                            "tape_line_3 buy 10 @50.00 backtesting_stop_limit_rerun 2024-03-11T13:32:00Z"])
        // Corrected: it waits for the next bar, a limit, and fills at 50.20.
        #expect(Self.fills(run.lanes[1], "BBB") == ["tape_line_4 buy 5 @50.00 market_next_open 2024-03-11T13:32:00Z",
                                                    "tape_line_3 buy 10 @50.20 limit_touch 2024-03-11T13:33:00Z"])
        // CCC: a buy's SL above its price (the 09:30 close, 20.00) is refused as backtesting.py's new_order refuses it.
        let refused = try #require(lane.orders.first { $0.purpose == "tape_line_5" })
        #expect(refused.status == .rejected && refused.rejectReason == "invalid_bracket: sl: a buy's stop-loss 30.00 must be below its price (the last close with the spread) 20.00 (backtesting.py: SL < LIMIT < TP)")
    }

    @Test("a limit entry's SL and TP wait for the next bar; a partial close resizes them; the TP then closes the rest")
    func limitEntry() throws {
        let bars = Self.bars("AAA", [("100.00", "100.50", "99.80", "100.20"), ("100.00", "100.30", "99.40", "99.60"),
                                     ("99.60", "99.70", "99.50", "99.60"), ("99.60", "100.60", "99.50", "100.40")])
        let tape = """
            time,ticker,side,type,quantity,limit_price,stop_price,sl,tp
            2024-03-11T09:30:00-04:00,AAA,buy,limit,10,99.50,,98.00,100.50
            2024-03-11T09:31:00-04:00,AAA,sell,market,4,,,,
            """
        let lane = try runTestScenario(bars: bars, tape: tape, yaml: Self.yaml(["AAA"], fillModels: "[backtesting]")).lanes[0]
        // The limit fills at 09:31 (low 99.40); the 09:32 market sell reduces the trade to 6; the TP (100.50) fills
        // the 6 left at 09:33, at the better of the open and the limit: 100.50.
        #expect(Self.fills(lane, "AAA") == ["tape_line_2 buy 10 @99.50 limit_touch 2024-03-11T13:32:00Z",
                                            "tape_line_3 sell 4 @99.60 market_next_open 2024-03-11T13:33:00Z",
                                            "take_profit:tape_line_2 sell 6 @100.50 limit_touch 2024-03-11T13:34:00Z"])
        let stop = try #require(lane.orders.first { $0.purpose == "stop_loss:tape_line_2" })
        #expect(stop.status == .cancelled && stop.quantity == 6)
    }

    @Test("a bar reaching both legs fills the SL, queued first, even when it opened beyond the TP; the fill is counted ambiguous")
    func bothLegs() throws {
        let bars = Self.bars("AAA", [("100.00", "100.50", "99.80", "100.20"), ("100.00", "100.30", "99.40", "99.60"),
                                     ("101.20", "101.30", "97.50", "98.00")])
        let tape = """
            time,ticker,side,type,quantity,limit_price,stop_price,sl,tp
            2024-03-11T09:30:00-04:00,AAA,buy,limit,10,99.50,,98.00,101.00
            """
        let lane = try runTestScenario(bars: bars, tape: tape, yaml: Self.yaml(["AAA"], fillModels: "[backtesting]")).lanes[0]
        #expect(Self.fills(lane, "AAA") == ["tape_line_2 buy 10 @99.50 limit_touch 2024-03-11T13:32:00Z",
                                            "stop_loss:tape_line_2 sell 10 @98.00 stop_trigger 2024-03-11T13:33:00Z"])
        #expect(lane.trades.map(\.fill.ambiguous) == [false, true])
    }

    @Test("exclusive_orders: a new order cancels the pending ones and closes the open trade first, at the next open")
    func exclusive() throws {
        let bars = Self.bars("AAA", [("20.00", "20.10", "19.90", "20.00"), ("20.05", "20.10", "19.95", "20.00"),
                                     ("20.10", "20.20", "20.00", "20.10"), ("20.15", "20.20", "20.10", "20.20")])
        let tape = """
            time,ticker,side,type,quantity,limit_price,stop_price,sl,tp
            2024-03-11T09:30:00-04:00,AAA,buy,market,10,,,,
            2024-03-11T09:31:00-04:00,AAA,sell,limit,5,25.00,,,
            2024-03-11T09:32:00-04:00,AAA,buy,market,3,,,,
            """
        let lane = try runTestScenario(bars: bars, tape: tape, yaml: Self.yaml(["AAA"], fillModels: """
            [{name: ex, preset: backtesting, backtesting: {exclusive_orders: true}}]
            """)).lanes[0]
        #expect(Self.fills(lane, "AAA") == ["tape_line_2 buy 10 @20.05 market_next_open 2024-03-11T13:32:00Z",
                                            "close:tape_line_2 sell 10 @20.10 market_next_open 2024-03-11T13:33:00Z",
                                            "tape_line_4 buy 3 @20.15 market_next_open 2024-03-11T13:34:00Z"])
        let limit = try #require(lane.orders.first { $0.purpose == "tape_line_3" })
        #expect(limit.status == .cancelled && limit.rejectReason!.contains("exclusive_orders"))
    }

    @Test("trade_on_close: a market order fills at its decision bar's close; a stop at the worse of the previous close and the stop, a defect named and corrected")
    func tradeOnClose() throws {
        let bars = Self.bars("AAA", [("20.00", "20.60", "19.90", "20.50"), ("20.10", "20.30", "20.00", "20.20"), ("20.20", "20.30", "20.10", "20.20")])
        let tape = """
            time,ticker,side,type,quantity,limit_price,stop_price
            2024-03-11T09:30:00-04:00,AAA,buy,stop,10,,20.25
            2024-03-11T09:31:00-04:00,AAA,sell,market,10,,
            """
        let run = try runTestScenario(bars: bars, tape: tape, yaml: Self.yaml(["AAA"], fillModels: """
            [{name: toc, preset: backtesting, backtesting: {trade_on_close: true}},
             {name: fixed, preset: backtesting, backtesting: {trade_on_close: true, defects: false}}]
            """))
        // The stop 20.25 triggers at 09:31 (high 20.30): backtesting.py fills it at max(previous close 20.50, 20.25) =
        // 20.50, above the bar's high; corrected, at max(open 20.10, 20.25) = 20.25. The market sell decided at
        // 09:31 fills at that bar's close, 20.20, stamped with it.
        #expect(Self.fills(run.lanes[0], "AAA") == ["tape_line_2 buy 10 @20.50 backtesting_stop_previous_close 2024-03-11T13:32:00Z",
                                                    "tape_line_3 sell 10 @20.20 market_same_bar_close 2024-03-11T13:32:00Z"])
        #expect(Self.fills(run.lanes[1], "AAA") == ["tape_line_2 buy 10 @20.25 stop_trigger 2024-03-11T13:32:00Z",
                                                    "tape_line_3 sell 10 @20.20 market_same_bar_close 2024-03-11T13:32:00Z"])
    }

    @Test("sl and tp under another preset are refused in one line naming the row")
    func otherPreset() throws {
        let tape = "time,ticker,side,type,quantity,limit_price,stop_price,tp\n2024-03-11T09:30:00-04:00,AAA,buy,market,1,,,25.00\n"
        let folder = try writeTestScenario(bars: Self.bars("AAA", [("20.00", "20.10", "19.90", "20.00")]), tape: tape,
                                           yaml: Self.yaml(["AAA"], fillModels: "[backtesting, seed]"))
        #expect { try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml")) } throws: { error in
            "\(error)" == "\(folder)/orders.csv:2: field 'tp': sl and tp are backtesting.py's contingent orders, placed only under preset backtesting; "
                + "fill model 'seed' is another preset: replay the tape under backtesting variants only, or drop the sl and tp columns"
        }
    }

    @Test("tape sl and tp errors are one line naming file, line and field", arguments: [
        ("2024-03-11T09:31:00-04:00,TST,buy,limit,1,10.00,,10.00,", "sl", "a buy's stop-loss 10.00 must be below its limit 10.00 (backtesting.py: SL < LIMIT < TP)"),
        ("2024-03-11T09:31:00-04:00,TST,sell,stop,1,,10.00,,10.50", "tp", "a sell's take-profit 10.50 must be below its stop 10.00 (backtesting.py: TP < LIMIT < SL)"),
        ("2024-03-11T09:31:00-04:00,TST,sell,market,1,,,9.00,11.00", "sl", "a sell's stop-loss 9.00 must be above its take-profit 11.00"),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,-1,", "sl", "expected a positive price, got '-1'"),
    ] as [(String, String, String)])
    func tapeErrors(row: String, field: String, message: String) throws {
        let folder = try temporaryFolder(#function + field + "\(row.count)")
        try ("time,ticker,side,type,quantity,limit_price,stop_price,sl,tp\n" + row + "\n").write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        #expect { try OrderTape.load(path: folder + "/t.csv") } throws: { error in
            "\(error)" == "\(folder)/t.csv:2: field '\(field)': \(message)"
        }
    }

    @Test("a cancel row leaves sl and tp empty; a replace keeps its order's unless it gives its own")
    func cancelAndReplace() throws {
        let folder = try temporaryFolder()
        let header = "time,ticker,side,type,quantity,limit_price,stop_price,client_id,action,sl,tp\n"
        try (header + "2024-03-11T09:31:00-04:00,TST,buy,limit,1,10.00,,a,,9.00,11.00\n2024-03-11T09:32:00-04:00,,,,,,,a,cancel,9.00,\n")
            .write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        #expect { try OrderTape.load(path: folder + "/t.csv") } throws: { "\($0)" == "\(folder)/t.csv:3: field 'sl': leave it empty on a cancel row" }
        try (header + "2024-03-11T09:31:00-04:00,TST,buy,limit,1,10.00,,a,,9.00,11.00\n2024-03-11T09:32:00-04:00,,,,,9.80,,a,replace,,10.50\n")
            .write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        let replaced = try OrderTape.load(path: folder + "/t.csv").orders["TST"]![1]
        #expect(replaced.stopLoss == Fixed(parsing: "9.00") && replaced.takeProfit == Fixed(parsing: "10.50") && replaced.limitPrice == Fixed(parsing: "9.80"))
    }
}
