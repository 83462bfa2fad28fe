import Foundation
import Testing
import TapebenchCore
import TapebenchEngine

/// The attacks of issue 10, "Numbers never trap", replayed through the built binary: each once died with
/// SIGILL (exit 132). Now a value Tapebench cannot hold is refused where it is read (one line naming file,
/// line and field, exit 2), an order whose amounts cannot be held is rejected with a reason, and a price
/// that carries an account beyond what it may hold stops the run in one line naming the bar (exit 2).
@Suite struct NumberAttackTests {
    /// How the binary ended: never by a signal.
    struct Outcome {
        var exited: Bool
        var status: Int32
        var stderr: String
    }

    /// Runs `tapebench run s.yaml --out out` in `folder`, reporting a signal apart from an exit code
    /// (a trap is `.uncaughtSignal` with status 4 or 6, which a shell shows as 132 or 134).
    func run(in folder: String) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.tapebench)
        process.arguments = ["run", "s.yaml", "--out", folder + "/out", "--quiet"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(exited: process.terminationReason == .exit, status: process.terminationStatus,
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A folder with a scenario, an order tape and one flat-file day of bars given as
    /// `minute open high low close volume` (minutes after 09:30 EDT on 2024-03-11), volumes as text.
    func scenario(bars: [(Int64, String, String, String, String, String)], tape: String? = nil, yaml: String) throws -> String {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        let rows = bars.map { m, o, h, l, c, v in "TST,\(v),\(o),\(c),\(h),\(l),\((1_710_163_800 + m * 60) * 1_000_000_000)," }
        try (["ticker,volume,open,close,high,low,window_start,transactions"] + rows).joined(separator: "\n")
            .write(toFile: folder + "/data/2024-03-11.csv", atomically: true, encoding: .utf8)
        if let tape { try ("time,ticker,side,type,quantity,limit_price,stop_price\n" + tape).write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8) }
        try yaml.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    static let tapeYAML = """
        name: attack
        data: {paths: [data], tickers: [TST]}
        account: {initial_balance: 1000000000}
        risk: {max_short_pct: 100, max_position_pct: 100, min_cash_reserve_pct: 0}
        agents: [{id: t, kind: order_tape, params: {file: orders.csv}}]
        fill_models: [seed, conservative, backtrader]
        """

    static let flatBars: [(Int64, String, String, String, String, String)] = (0..<6).map { ($0, "100", "101", "99", "100", "1000") }

    func expectOneLine(_ outcome: Outcome, _ line: String, status: Int32 = 2) {
        #expect(outcome.exited, "ended by signal \(outcome.status)")
        #expect(outcome.status == status)
        #expect(outcome.stderr == line + "\n")
    }

    @Test("a REST bar with \"h\": 1e11: one line naming the file, the line and the field, exit 2")
    func restHigh() throws {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try """
            {"ticker":"TST","status":"OK","adjusted":true,"queryCount":2,"resultsCount":2,
            "results":[
            {"o":100,"h":100.5,"l":99.5,"c":100,"v":1000,"t":1710163800000},
            {"o":100,"h":1e11,"l":99.5,"c":100,"v":1000,"t":1710163860000}
            ]}
            """.write(toFile: folder + "/data/TST.json", atomically: true, encoding: .utf8)
        try "name: rest\ndata: {paths: [data], tickers: [TST]}\nagents: [{id: v, kind: vwap_mean_reversion}]\n"
            .write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        expectOneLine(try run(in: folder),
                      "error: data/TST.json:4: field 'results[1].h': 100000000000.0 is beyond the largest price Tapebench accepts, ±1000000000.00")
    }

    @Test("a volume of 9.3e19 under a participation cap: refused where it is read, exit 2")
    func participationVolume() throws {
        let folder = try scenario(bars: [(0, "100", "101", "99", "100", "1000"), (1, "100", "101", "99", "100", "93000000000000000000"),
                                         (2, "100", "101", "99", "100", "1000")],
                                  tape: "2024-03-11T09:30:00-04:00,TST,buy,market,10,,\n",
                                  yaml: Self.tapeYAML.replacingOccurrences(of: "[seed, conservative, backtrader]", with: "[conservative]"))
        expectOneLine(try run(in: folder),
                      "error: data/2024-03-11.csv:3: field 'volume': 9.3e+19 shares is beyond the largest volume Tapebench accepts, ±10^15")
    }

    @Test("a volume of 1.7e308 before the VWAP agent: refused where it is read, exit 2")
    func vwapVolume() throws {
        let bars = (0..<41).map { i -> (Int64, String, String, String, String, String) in (Int64(i), "100", "101", "99", "100", i == 20 ? "1.7e308" : "1000") }
        let folder = try scenario(bars: bars, yaml: "name: vwap\ndata: {paths: [data], tickers: [TST]}\nagents: [{id: v, kind: vwap_mean_reversion}]\n")
        expectOneLine(try run(in: folder),
                      "error: data/2024-03-11.csv:22: field 'volume': 1.7e+308 shares is beyond the largest volume Tapebench accepts, ±10^15")
    }

    @Test("a tape order for 9223372036854775807 shares, or a short sale of 9e18: refused where it is read, exit 2", arguments: [
        ("buy,market,9223372036854775807,,", "9223372036854775807"),
        ("sell,market,9000000000000000000,,", "9000000000000000000"),
    ])
    func tapeQuantity(row: String, quantity: String) throws {
        let folder = try scenario(bars: Self.flatBars, tape: "2024-03-11T09:30:00-04:00,TST,\(row)\n", yaml: Self.tapeYAML)
        expectOneLine(try run(in: folder),
                      "error: orders.csv:2: field 'quantity': expected a whole number of shares from 1 to 1000000000000000, got '\(quantity)'")
    }

    @Test("a tape limit at 90000000000: refused where it is read, exit 2")
    func tapeLimit() throws {
        let folder = try scenario(bars: Self.flatBars, tape: "2024-03-11T09:30:00-04:00,TST,buy,limit,1000,90000000000,\n", yaml: Self.tapeYAML)
        expectOneLine(try run(in: folder),
                      "error: orders.csv:2: field 'limit_price': 90000000000.00 is beyond the largest price Tapebench accepts, ±1000000000.00")
    }

    @Test("a $1e9 account holding 1e8 shares at $1 that reprice to $1000 (an unadjusted reverse split): one line naming the bar, exit 2")
    func reverseSplit() throws {
        let bars: [(Int64, String, String, String, String, String)] = [
            (0, "1", "1", "1", "1", "100000000000"), (1, "1", "1", "1", "1", "100000000000"), (2, "1", "1", "1", "1", "100000000000"),
            (3, "1000", "1000", "1000", "1000", "100000"), (4, "1000", "1000", "1000", "1000", "100000"),
        ]
        let folder = try scenario(bars: bars, tape: "2024-03-11T09:30:00-04:00,TST,buy,market,100000000,,\n", yaml: """
            name: split
            data: {paths: [data], tickers: [TST]}
            account: {initial_balance: 1000000000}
            risk: {max_position_pct: 100, min_cash_reserve_pct: 0}
            agents: [{id: t, kind: order_tape, params: {file: orders.csv}}]
            fill_model: seed
            """)
        // Bought at the 09:31 open, $1.0001 with slippage; the 09:33 close at $1000 makes the position $1e11.
        expectOneLine(try run(in: folder),
                      "error: s.yaml: the replay stopped at the TST bar of 2024-03-11T13:33:00Z (agent 't', fill model 'seed'): "
                      + "the positions' value with 100000000 TST at $1000.00 is $100000000000.00, beyond the ±$10000000000.00 a run may hold")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    @Test("a reverse split within what an account may hold: the run completes")
    func reverseSplitWithinBounds() throws {
        let bars: [(Int64, String, String, String, String, String)] = [
            (0, "1", "1", "1", "1", "100000000000"), (1, "1", "1", "1", "1", "100000000000"), (2, "1", "1", "1", "1", "100000000000"),
            (3, "1000", "1000", "1000", "1000", "100000"),
        ]
        // 1e6 shares at $1 become $1e9: inside the $1e10 bound.
        let folder = try scenario(bars: bars, tape: "2024-03-11T09:30:00-04:00,TST,buy,market,1000000,,\n", yaml: """
            name: split
            data: {paths: [data], tickers: [TST]}
            account: {initial_balance: 1000000000}
            agents: [{id: t, kind: order_tape, params: {file: orders.csv}}]
            fill_model: seed
            """)
        let outcome = try run(in: folder)
        #expect(outcome.exited && outcome.status == 0, "\(outcome.status): \(outcome.stderr)")
    }

    @Test("orders within what may be read but whose amounts cannot be held: rejected with a reason under every preset, exit 0")
    func amountsRejected() throws {
        // Buy 1e15 shares at a $1e9 limit; sell 1e15 short at the market; two buys of 6e14 shares at $0.00000001
        // that would make a position of 1.2e15 shares.
        let tape = """
            2024-03-11T09:30:00-04:00,TST,buy,limit,1000000000000000,1000000000,
            2024-03-11T09:31:00-04:00,TST,sell,market,1000000000000000,,
            2024-03-11T09:30:00-04:00,PENNY,buy,market,600000000000000,,
            2024-03-11T09:31:00-04:00,PENNY,buy,market,600000000000000,,

            """
        let folder = try scenario(bars: Self.flatBars, tape: tape, yaml: Self.tapeYAML.replacingOccurrences(of: "tickers: [TST]", with: "tickers: [TST, PENNY]"))
        let penny = (0..<6).map { "PENNY,1000000000000000,0.00000001,0.00000001,0.00000001,0.00000001,\((1_710_163_800 + $0 * 60) * 1_000_000_000)," }
        let day = try String(contentsOfFile: folder + "/data/2024-03-11.csv", encoding: .utf8)
        try (day + "\n" + penny.joined(separator: "\n") + "\n").write(toFile: folder + "/data/2024-03-11.csv", atomically: true, encoding: .utf8)
        let outcome = try run(in: folder)
        #expect(outcome.exited && outcome.status == 0, "\(outcome.status): \(outcome.stderr)")

        let seed = try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml")).lanes.first { $0.variant == "seed" }!
        let reasons = seed.orders.map { "\($0.ticker) \($0.side.rawValue) \($0.status.rawValue): \($0.rejectReason ?? "")" }
        // In id order: bars replay by time, then ticker, so PENNY's 09:30 order comes first.
        #expect(reasons == [
            "PENNY buy filled: ",
            "TST buy rejected: amount_out_of_range: 1000000000000000 × $1000000000.00 is $1000000000000000000000000.00, beyond the ±$10000000000.00 a run may hold",
            "PENNY buy rejected: amount_out_of_range: the PENNY position is 1200000000000000 shares, beyond the ±1000000000000000 a run may hold",
            // The 09:32 open, 100.00, less 1 bp.
            "TST sell rejected: amount_out_of_range: 1000000000000000 × $99.99 is $99990000000000000.00, beyond the ±$10000000000.00 a run may hold",
        ])
    }

    @Test("a $1e9 account on the default scenario trades more than a Fixed holds in all (turnover ≈ 127×): the run completes")
    func largeAccountTurnover() throws {
        let folder = try temporaryFolder()
        let yaml = try String(contentsOfFile: Repository.defaultScenario, encoding: .utf8)
            .replacingOccurrences(of: "initial_balance: 100000", with: "initial_balance: 1000000000")
            .replacingOccurrences(of: "../datasets/default", with: Repository.root + "/datasets/default")
        try yaml.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let outcome = try run(in: folder)
        #expect(outcome.exited && outcome.status == 0, "\(outcome.status): \(outcome.stderr)")
        let run = try #require(try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml")).lanes.first)
        #expect(run.totals.tradedNotionalWide > Int128(Int64.max))
    }
}

/// Which stop a run with several lanes reports: the earliest bar's, whatever the lane order or the threads.
@Suite struct ReplayHaltTests {
    @Test("the lane that leaves the bounds first is named, with lanes side by side or one after the other")
    func earliestStop() throws {
        // $1 until 09:32, then $150 at 09:33 and $1000 from 09:34. seed buys 1e8 shares at the 09:31 open:
        // $1.5e10 at 09:33. conservative takes 10 % of each bar's 1e8 volume: 3e7 shares by 09:33 ($4.5e9),
        // $3e10 at 09:34. conservative is the first lane, seed stops first.
        let bars: [TestBar] = [
            TestBar(minute: 0, open: "1", high: "1", low: "1", close: "1", volume: 100_000_000),
            TestBar(minute: 1, open: "1", high: "1", low: "1", close: "1", volume: 100_000_000),
            TestBar(minute: 2, open: "1", high: "1", low: "1", close: "1", volume: 100_000_000),
            TestBar(minute: 3, open: "150", high: "150", low: "150", close: "150", volume: 100_000_000),
            TestBar(minute: 4, open: "1000", high: "1000", low: "1000", close: "1000", volume: 100_000_000),
            TestBar(minute: 5, open: "1000", high: "1000", low: "1000", close: "1000", volume: 100_000_000),
        ]
        let yaml = """
            name: halt
            data: {paths: [data], tickers: [TST]}
            account: {initial_balance: 1000000000}
            risk: {max_position_pct: 100, min_cash_reserve_pct: 0}
            agents: [{id: t, kind: order_tape, params: {file: orders.csv}}]
            fill_models: [conservative, seed]
            """
        let tape = "time,ticker,side,type,quantity,limit_price,stop_price\n2024-03-11T09:30:00-04:00,TST,buy,market,100000000,,\n"
        var messages: [String] = []
        for parallel in [true, false] {
            do {
                _ = try runTestScenario(bars: bars, tape: tape, yaml: yaml, parallel: parallel)
                Issue.record("no error")
            } catch let error as InputError {
                messages.append(error.message)
            }
        }
        #expect(messages == Array(repeating: "the replay stopped at the TST bar of 2024-03-11T13:33:00Z (agent 't', fill model 'seed'): "
                                  + "the positions' value with 100000000 TST at $150.00 is $15000000000.00, beyond the ±$10000000000.00 a run may hold", count: 2))
    }
}

/// The drawdown breaker's `close` action liquidates every position: a long is sold, a short bought back
/// (it used to submit a sell of a negative number of shares for a short).
@Suite struct ShortLiquidationTests {
    @Test("a short is bought back at the next open when the breaker closes the account")
    func buysBack() throws {
        let bars: [TestBar] = [
            TestBar(minute: 0, open: "100", high: "100", low: "100", close: "100"),
            TestBar(minute: 1, open: "100", high: "100", low: "100", close: "100"),  // the short sale fills at the open
            TestBar(minute: 2, open: "100", high: "110", low: "100", close: "110"),  // equity 1 % below its peak: the breaker trips
            TestBar(minute: 3, open: "111", high: "111", low: "111", close: "111"),  // bought back here
            TestBar(minute: 4, open: "111", high: "111", low: "111", close: "111"),
        ]
        let result = try runTestScenario(bars: bars, tape: """
            time,ticker,side,type,quantity,limit_price,stop_price
            2024-03-11T09:30:00-04:00,TST,sell,market,100,,
            """, yaml: """
            name: liquidate
            data: {paths: [data], tickers: [TST]}
            risk: {max_short_pct: 50, max_drawdown_pct: 0.5, max_drawdown_action: close}
            agents: [{id: t, kind: order_tape, params: {file: orders.csv}}]
            fill_model: seed
            """)
        let run = try #require(result.lanes.first)
        #expect(run.riskEvents.map(\.kind) == ["max_drawdown_close"])
        let liquidation = try #require(run.orders.last)
        #expect(liquidation.purpose == "liquidation")
        #expect((liquidation.side, liquidation.quantity, liquidation.status) == (.buy, 100, .filled))
        #expect(run.account.positions.isEmpty)
        // Sold 100 at 99.99 (1 bp), bought back at 111.0111 (1 bp): −1 102.11 less two commissions of $0.50.
        #expect(run.account.totalPnL == Fixed(parsing: "-1103.11"))
    }
}
