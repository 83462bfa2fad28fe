import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchStore

/// A lane's rows go into its scratch database a batch at a time (one multi-row INSERT per batch), the last
/// incomplete batch row by row when the lane finishes; CHECK constraints are not evaluated there, only by
/// run.sqlite's quick_check before it is published.
@Suite struct LaneStoreBatchTests {
    static func path() -> String { TestScratch.root + "tapebench-batch-\(UUID().uuidString).sqlite" }

    static func order(_ id: Int64) -> Order {
        var order = Order(id: id, agent: "a", ticker: "T\(id)", side: id % 2 == 0 ? .buy : .sell, type: .limit, quantity: id * 10,
                          limitPrice: Fixed(raw: id * 1_000_000), submittedAt: Timestamp(nanoseconds: id * 60_000_000_000),
                          purpose: "signal_entry", signal: id % 3 == 0 ? nil : .text("reason \(id)"))
        order.status = id % 5 == 0 ? .rejected : .filled
        order.rejectReason = id % 5 == 0 ? "buying_power: order \(id)" : nil
        order.filledQuantity = id % 5 == 0 ? 0 : id * 10
        order.closedAt = Timestamp(nanoseconds: (id + 1) * 60_000_000_000)
        return order
    }

    @Test("two full batches and 5 rows more: all 69 orders arrive in order, each row's values its own")
    func partialBatch() throws {
        let path = Self.path()
        let store = try LaneStore(path: path, account: 2)
        let count: Int64 = 69  // 32 + 32 + 5: the last 5 go in when the lane finishes
        for id in 1...count { try store.order(Self.order(id), commission: Fixed(raw: id), signalID: id % 2 == 0 ? id : nil) }
        try store.finish()
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM paper_orders ORDER BY rowid")
        }
        #expect(rows.count == Int(count))
        for (index, row) in rows.enumerated() {
            let id = Int64(index + 1), expected = Self.order(id)
            #expect(row["id"] as Int64 == 2_000_000_000 + id)
            #expect(row["ticker"] as String == "T\(id)")
            #expect(row["side"] as String == expected.side.rawValue)
            #expect(row["quantity"] as Int64 == id * 10)
            #expect(row["limit_price"] as Double == Double(id) / 100)
            #expect(row["stop_price"] as Double? == nil)
            #expect(row["status"] as String == expected.status.rawValue)
            #expect(row["reject_reason"] as String? == expected.rejectReason)
            #expect(row["commission"] as Double == Double(id) / 100_000_000)
            #expect(row["signal"] as String? == expected.signal?.text)
            #expect(row["signal_id"] as Int64? == (id % 2 == 0 ? id : nil))
            #expect(row["submitted_at"] as String == Timestamp(nanoseconds: id * 60_000_000_000).iso8601)
        }
    }

    @Test("rows of several tables interleaved, fewer than a batch each: every one arrives when the lane finishes")
    func interleaved() throws {
        let path = Self.path()
        let store = try LaneStore(path: path, account: 1)
        for i in 1...40 {
            let time = Timestamp(nanoseconds: Int64(i) * 60_000_000_000)
            let id = try store.signal(Signal(agent: "a", ticker: "T\(i)", side: .buy, time: time, price: Fixed(raw: 100_000_000), reason: .text("s\(i)")),
                                      actedOn: i % 2 == 0)
            #expect(id == 1_000_000_000 + Int64(i))
            if i % 4 == 0 { try store.riskEvent(RiskEvent(time: time, kind: "daily_loss_limit", detail: "r\(i)")) }
            if i % 8 == 0 { try store.order(Self.order(Int64(i))) }
        }
        try store.finish()
        try DatabaseQueue(path: path).read { (db: Database) throws in
            #expect(try String.fetchAll(db, sql: "SELECT reason FROM signals ORDER BY id") == (1...40).map { "s\($0)" })
            #expect(try Int.fetchAll(db, sql: "SELECT acted_on FROM signals ORDER BY id") == (1...40).map { $0 % 2 == 0 ? 1 : 0 })
            #expect(try String.fetchAll(db, sql: "SELECT detail FROM risk_events ORDER BY id") == stride(from: 4, through: 40, by: 4).map { "r\($0)" })
            #expect(try Int64.fetchAll(db, sql: "SELECT id FROM paper_orders ORDER BY id") == [8, 16, 24, 32, 40].map { 1_000_000_000 + $0 })
        }
    }

    @Test("signals and risk events, numbered by SQLite after their first row: 70 signals (two batches and 6 rows more) keep ids 1…70 of the account")
    func consecutiveIDs() throws {
        let path = Self.path()
        let store = try LaneStore(path: path, account: 3)
        for i in 1...70 {
            let time = Timestamp(nanoseconds: Int64(i) * 60_000_000_000)
            let id = try store.signal(Signal(agent: "a", ticker: "T\(i)", side: .sell, time: time, price: Fixed(raw: 100_000_000), reason: .text("s\(i)")),
                                      actedOn: false)
            #expect(id == 3_000_000_000 + Int64(i))
            if i % 7 == 0 { try store.riskEvent(RiskEvent(time: time, kind: "daily_loss_limit", detail: "r\(i)")) }
        }
        try store.finish()
        try DatabaseQueue(path: path).read { (db: Database) throws in
            #expect(try Int64.fetchAll(db, sql: "SELECT id FROM signals ORDER BY id") == (1...70).map { 3_000_000_000 + Int64($0) })
            // Each id beside its own row's values.
            #expect(try String.fetchAll(db, sql: "SELECT reason FROM signals ORDER BY id") == (1...70).map { "s\($0)" })
            #expect(try Int64.fetchAll(db, sql: "SELECT id FROM risk_events ORDER BY id") == (1...10).map { 3_000_000_000 + Int64($0) })
            #expect(try String.fetchAll(db, sql: "SELECT detail FROM risk_events ORDER BY id") == (1...10).map { "r\($0 * 7)" })
        }
    }

    @Test("texts bound once and kept while a parameter holds them (the lane's agent, sides, order types, statuses): 150 signals and 150 orders, other agents and every value mixed in within and across batches, each row its own values")
    func constantTexts() throws {
        let path = Self.path()
        let store = try LaneStore(path: path, account: 4, agent: "lane-agent")
        // Runs of the same value (kept across batches at the same parameter), then changes at every row,
        // and an agent that is not the lane's (bound as text, then the lane's constant again).
        func agent(_ i: Int) -> String { i % 37 == 0 || (i > 100 && i % 3 == 0) ? "other-\(i)" : "lane-agent" }
        func side(_ i: Int) -> OrderSide { i < 70 ? .buy : (i % 2 == 0 ? .sell : .buy) }
        func type(_ i: Int) -> OrderType { OrderType.allCases[(i / 40 + i % 3) % OrderType.allCases.count] }
        func status(_ i: Int) -> OrderStatus { OrderStatus.allCases[(i < 64 ? 1 : i) % OrderStatus.allCases.count] }
        for i in 1...150 {
            let time = Timestamp(nanoseconds: Int64(i) * 60_000_000_000)
            try store.signal(Signal(agent: agent(i), ticker: "T\(i)", side: side(i), time: time, price: Fixed(raw: 100_000_000), reason: .text("s\(i)")),
                             actedOn: false)
            var order = Self.order(Int64(i))
            (order.side, order.type, order.status) = (side(i), type(i), status(i))
            try store.order(order)
        }
        try store.finish()
        try DatabaseQueue(path: path).read { (db: Database) throws in
            let signals = try Row.fetchAll(db, sql: "SELECT agent_id, side, reason FROM signals ORDER BY id")
            #expect(signals.map { $0["agent_id"] as String } == (1...150).map(agent))
            #expect(signals.map { $0["side"] as String } == (1...150).map { side($0).rawValue })
            #expect(signals.map { $0["reason"] as String } == (1...150).map { "s\($0)" })
            let orders = try Row.fetchAll(db, sql: "SELECT side, order_type, status, ticker FROM paper_orders ORDER BY id")
            #expect(orders.map { $0["side"] as String } == (1...150).map { side($0).rawValue })
            #expect(orders.map { $0["order_type"] as String } == (1...150).map { type($0).rawValue })
            #expect(orders.map { $0["status"] as String } == (1...150).map { status($0).rawValue })
            #expect(orders.map { $0["ticker"] as String } == (1...150).map { "T\($0)" })
            #expect(Set(orders.map { $0["order_type"] as String }).count == OrderType.allCases.count)
            #expect(Set(orders.map { $0["status"] as String }).count == OrderStatus.allCases.count)
        }
    }

    @Test("every side, order type and status a lane can write passes the tables' CHECK constraints, which the lane stores skip; 'hold' does not")
    func enumsSatisfyChecks() throws {
        let queue = try DatabaseQueue(path: Self.path())
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: RunSchema.tables)
            try db.execute(sql: """
                INSERT INTO runs (id, scenario_name, scenario_file, scenario_sha256, fill_model, tool_version, seed, tickers, bars_replayed)
                VALUES (1, 's', 's.yaml', '0', 'seed', '0', 7, 'T', 1);
                INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, current_cash, equity,
                    buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio, max_drawdown)
                VALUES (1, 1, 'a', 'k', 'seed', 'active', 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
                """)
            func order(_ side: String, _ type: String, _ status: String) throws {
                try db.execute(sql: """
                    INSERT INTO paper_orders (account_id, ticker, side, order_type, quantity, filled_quantity, status, commission, slippage,
                        purpose, submitted_at) VALUES (1, 'T', ?, ?, 1, 0, ?, 0, 0, 'p', 't')
                    """, arguments: [side, type, status])
            }
            for side in OrderSide.allCases {
                try db.execute(sql: """
                    INSERT INTO signals (account_id, agent_id, ticker, side, price, reason, acted_on, generated_at)
                    VALUES (1, 'a', 'T', ?, 1.0, 'r', 0, 't')
                    """, arguments: [side.rawValue])
                for type in OrderType.allCases {
                    for status in OrderStatus.allCases { try order(side.rawValue, type.rawValue, status.rawValue) }
                }
            }
            #expect(throws: DatabaseError.self) { try order("hold", "market", "filled") }
            #expect(throws: DatabaseError.self) { try order("buy", "market", "expired") }
        }
    }
}
