import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchReports

/// The whole life of an order on a tape: client ids, cancels and cancel-replace rows, on hand-made bars
/// whose every outcome is worked out by hand from the seed rules.
@Suite struct OrderTapeLifeTests {
    // 2024-03-11 (EDT): 09:30 = 13:30Z. An order decided at a bar's close (its end) fills from the next bar.
    static let bars = [
        ("100.00", "100.50", "99.80", "100.20"),  // 09:30
        ("100.20", "100.40", "99.50", "99.60"),   // 09:31
        ("99.00", "99.40", "98.80", "99.20"),     // 09:32  the only bar with a low under 99.10
        ("99.20", "101.20", "99.10", "101.00"),   // 09:33
        ("101.00", "101.50", "100.80", "101.20"), // 09:34
    ]
    static let header = "time,ticker,side,type,quantity,limit_price,stop_price,client_id,action"

    func run(_ rows: [String], fillModel: String = "seed") throws -> LaneResult {
        let bars = Self.bars.enumerated().map { i, b in TestBar(minute: Int64(i), open: b.0, high: b.1, low: b.2, close: b.3) }
        return try runTestScenario(bars: bars, tape: ([Self.header] + rows).joined(separator: "\n") + "\n", yaml: """
            name: life
            data: {paths: [data], tickers: [TST]}
            agents:
              - id: tape
                kind: order_tape
                params: {file: orders.csv}
            fill_models: [\(fillModel)]
            """).lanes[0]
    }

    @Test("without a cancel, the limit buy at 99.00 placed at 09:30 fills on the 09:32 bar (low 98.80) at its limit")
    func control() throws {
        let lane = try run(["2024-03-11T09:30:00-04:00,TST,buy,limit,100,99.00,,dip,"])
        #expect(lane.trades.map { [$0.fill.time.iso8601, $0.fill.price.description, "\($0.fill.quantity)"] } == [["2024-03-11T13:33:00Z", "99.00", "100"]])
    }

    @Test("a cancel acted on before the fill bar cancels: the 09:31 row closes the order at 13:32Z, before the 09:32 bar is tried")
    func cancelBeforeFill() throws {
        let lane = try run(["2024-03-11T09:30:00-04:00,TST,buy,limit,100,99.00,,dip,",
                            "2024-03-11T09:31:00-04:00,,,,,,,dip,cancel"])
        #expect(lane.trades.isEmpty)
        #expect(lane.orders.map(\.status) == [.cancelled])
        #expect(lane.orders[0].rejectReason == "cancelled: by the agent (dip)")
        #expect(lane.orders[0].closedAt?.iso8601 == "2024-03-11T13:32:00Z")
        #expect(lane.riskEvents.isEmpty)
    }

    @Test("an order and its cancel in the same minute: placed and cancelled before any bar can fill it")
    func cancelSameMinute() throws {
        let lane = try run(["2024-03-11T09:30:00-04:00,TST,buy,market,100,,,m,",
                            "2024-03-11T09:30:00-04:00,TST,,,,,,m,cancel"])
        #expect(lane.trades.isEmpty)
        #expect(lane.orders.map(\.status) == [.cancelled])
        #expect(lane.orders[0].closedAt?.iso8601 == "2024-03-11T13:31:00Z")
    }

    @Test("a cancel after the fill is a no-op, reported as cancel_not_open at the time it was acted on")
    func cancelAfterFill() throws {
        let lane = try run(["2024-03-11T09:30:00-04:00,TST,buy,market,100,,,m,",
                            "2024-03-11T09:32:00-04:00,,,,,,,m,cancel"])
        // Filled on the 09:31 bar at its open + 1 bp: 100.20 × 1.0001 = 100.21002.
        #expect(lane.trades.map { [$0.fill.time.iso8601, $0.fill.price.description] } == [["2024-03-11T13:32:00Z", "100.21002"]])
        #expect(lane.orders.map(\.status) == [.filled])
        #expect(lane.riskEvents == [RiskEvent(time: Timestamp(nanoseconds: 1_710_163_980_000_000_000), kind: "cancel_not_open",
                                              detail: "cancel of m not applied: order 1 is no longer open (filled, rejected or cancelled)")])
    }

    @Test("a replace cancels the order and places the new price and quantity, which fill from the next bar on")
    func replace() throws {
        // A limit at 98.00 never fills (the lowest low is 98.80); replaced at 09:31 by 80 at 98.90, decided at
        // 13:32Z, it fills on the 09:32 bar (low 98.80 ≤ 98.90 < open 99.00) at 98.90.
        let lane = try run(["2024-03-11T09:30:00-04:00,TST,buy,limit,50,98.00,,L,",
                            "2024-03-11T09:31:00-04:00,,,,80,98.90,,L,replace"])
        #expect(lane.orders.map(\.status) == [.cancelled, .filled])
        #expect(lane.orders[0].closedAt?.iso8601 == "2024-03-11T13:32:00Z")
        #expect(lane.orders[1].submittedAt.iso8601 == "2024-03-11T13:32:00Z")
        #expect(lane.orders[1].purpose == "tape_line_3")
        #expect(lane.trades.map { [$0.fill.time.iso8601, $0.fill.price.description, "\($0.fill.quantity)", $0.fill.rule.rawValue] }
                    == [["2024-03-11T13:33:00Z", "98.90", "80", "limit_touch"]])
    }

    @Test("a replace acted on at the close of the bar its price would fill on waits for the next bar")
    func replaceNotOnItsOwnBar() throws {
        // At 09:32 (low 98.80) to 98.90: decided at 13:33Z; later lows are 99.10 and 100.80, so no fill.
        let lane = try run(["2024-03-11T09:30:00-04:00,TST,buy,limit,50,98.00,,L,",
                            "2024-03-11T09:32:00-04:00,,,,,98.90,,L,replace"])
        #expect(lane.trades.isEmpty)
        #expect(lane.orders.map(\.quantity) == [50, 50])  // an empty quantity keeps the order's
        #expect(lane.orders.map(\.status) == [.cancelled, .cancelled])
        #expect(lane.orders[1].rejectReason?.contains("end_of_replay") == true, "\(lane.orders[1].rejectReason ?? "")")
    }

    static let capped = "{name: capped, preset: seed, participation: {max_pct: 10}}"  // 100 shares a bar of 1 000

    @Test("a replace gives the order's new total, filled shares included (FIX): 150, 100 filled, replaced by 120, places the last 20")
    func replacePartiallyFilled() throws {
        let lane = try run(["2024-03-11T09:30:00-04:00,TST,buy,limit,150,101.00,,L,",
                            "2024-03-11T09:31:00-04:00,,,,120,,,L,replace"], fillModel: Self.capped)
        #expect(lane.trades.map(\.fill.quantity) == [100, 20])
        #expect(lane.orders.map(\.quantity) == [150, 20])
        #expect(lane.orders.map(\.filledQuantity) == [100, 20])
        #expect(lane.orders.map(\.status) == [.cancelled, .filled])
        // A new total at or under what has filled only cancels the rest.
        let done = try run(["2024-03-11T09:30:00-04:00,TST,buy,limit,150,101.00,,L,",
                            "2024-03-11T09:31:00-04:00,,,,80,,,L,replace"], fillModel: Self.capped)
        #expect(done.trades.map(\.fill.quantity) == [100])
        #expect(done.orders.map(\.status) == [.cancelled])
    }

    @Test("a replace of a filled order places nothing and is reported")
    func replaceAfterFill() throws {
        let lane = try run(["2024-03-11T09:30:00-04:00,TST,buy,market,100,,,m,",
                            "2024-03-11T09:33:00-04:00,,,,200,,,m,replace"])
        #expect(lane.orders.count == 1)
        #expect(lane.riskEvents.map(\.kind) == ["cancel_not_open"])
    }

    @Test("tape errors are one line naming file, line and field", arguments: [
        ("2024-03-11T09:31:00-04:00,,,,,,,ghost,cancel", 2, "client_id", "'ghost' names no order of an earlier row (a cancel must follow, in time, the row that placed the order)"),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,a,\n2024-03-11T09:30:00-04:00,,,,,,,a,cancel", 3, "client_id",
         "'a' names no order of an earlier row (a cancel must follow, in time, the row that placed the order)"),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,a,\n2024-03-11T09:32:00-04:00,TST,buy,market,1,,,a,", 3, "client_id",
         "'a' already names the order of line 2; give each order its own client_id"),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,a,\n2024-03-11T09:32:00-04:00,,sell,,,,,a,cancel", 3, "side",
         "leave it empty on a cancel row: it is the named order's"),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,a,\n2024-03-11T09:32:00-04:00,,,,5,,,a,cancel", 3, "quantity", "leave it empty on a cancel row"),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,,cancel", 2, "client_id", "required for a cancel row: the client_id of the order it cancels"),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,a,amend", 2, "action", "expected new, cancel or replace, got 'amend'"),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,=cmd,", 2, "client_id", nil),
        ("2024-03-11T09:31:00-04:00,TST,buy,market,1,,,a,\n2024-03-11T09:32:00-04:00,XYZ,,,,,,a,cancel", 3, "ticker",
         "'XYZ' is not the ticker of the order it names (TST, line 2)"),
    ] as [(String, Int, String, String?)])
    func errors(rows: String, line: Int, field: String, message: String?) throws {
        let folder = try temporaryFolder(#function + "\(line)\(field)\(rows.count)")
        try (Self.header + "\n" + rows + "\n").write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        #expect { try OrderTape.load(path: folder + "/t.csv") } throws: { error in
            let text = "\(error)"
            let prefix = "\(folder)/t.csv:\(line): field '\(field)': "
            return text.hasPrefix(prefix) && (message == nil || text == prefix + message!) && !text.contains("\n")
        }
    }

    @Test("the seven-column header of earlier tapes still reads; a header with client_id alone too")
    func headers() throws {
        let folder = try temporaryFolder()
        try "time,ticker,side,type,quantity,limit_price,stop_price,client_id\n2024-03-11T09:31:00-04:00,TST,buy,market,1,,,a\n"
            .write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        let tape = try OrderTape.load(path: folder + "/t.csv")
        #expect(tape.orders["TST"]?.map(\.clientID) == ["a"])
        #expect(tape.orders["TST"]?.map(\.action) == [.new])
    }
}
