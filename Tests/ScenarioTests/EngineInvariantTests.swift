import Foundation
import TapebenchTestSupport
import PropertyBased
import Testing
import TapebenchCore
import TapebenchData
import TapebenchEngine

/// Random order tapes through the whole engine (fill models, risk, ledger) on a small generated dataset.
@Suite struct EngineInvariantTests {
    static let folder: String = {
        let path = TestScratch.root + "tapebench-invariants-\(UUID().uuidString)"
        try! SyntheticDataset(tickers: ["AAA", "BBB"], start: CivilDate(iso: "2024-03-11")!, days: 2, seed: 3).write(to: path + "/data")
        return path
    }()

    typealias Row = (ticker: Int, minute: Int, buy: Bool, type: Int, quantity: Int, offsetBps: Int)
    static let tapes = zip(Gen.int(in: 0...1), Gen.int(in: 0...779), Gen.bool, Gen.int(in: 0...3), Gen.int(in: 1...300), Gen.int(in: -300...300))
        .map { Row($0, $1, $2, $3, $4, $5) }
        .array(of: 1...25)

    func run(_ rows: [Row], model: String, shorts: Bool) throws -> LaneResult {
        let folder = Self.folder + "/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var tape = "time,ticker,side,type,quantity,limit_price,stop_price\n"
        let types = ["market", "limit", "stop", "stop_limit"]
        for row in rows.sorted(by: { $0.minute < $1.minute }) {
            // Two sessions of 390 minutes; prices within ±3 % of where the generator puts each ticker
            // (AAA near 159, BBB near 117), which some orders reach and some do not.
            let day = row.minute / 390, minute = row.minute % 390
            let open = Timestamp(seconds: 1_710_163_800 + Int64(day) * 86_400).adding(minutes: Int64(minute))
            let base = [Fixed(159), Fixed(117)][row.ticker]
            let price = base.scaledIfRepresentable(by: 10_000 + Int64(row.offsetBps), over: 10_000)!.rounded(toFractionDigits: 2)
            let type = types[row.type]
            let limit = type == "limit" || type == "stop_limit" ? price : ""
            let stop = type == "stop" || type == "stop_limit" ? price : ""
            tape += "\(open.nanoseconds),\(["AAA", "BBB"][row.ticker]),\(row.buy ? "buy" : "sell"),\(type),\(row.quantity),\(limit),\(stop)\n"
        }
        try tape.write(toFile: folder + "/tape.csv", atomically: true, encoding: .utf8)
        try """
            name: inv
            data: {paths: [\(Self.folder)/data], tickers: [AAA, BBB]}
            agents: [{id: t, kind: order_tape, params: {file: tape.csv}}]
            risk: {max_position_pct: 100, min_cash_reserve_pct: 0\(shorts ? ", max_short_pct: 100" : "")}
            fill_model: \(model)
            """.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        return try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml")).lanes[0]
    }

    func check(_ run: LaneResult, shorts: Bool) {
        let account = run.account
        #expect(account.equity.wide == account.cash.wide + account.sortedPositions.reduce(0) { $0 + $1.currentPrice.wideProduct($1.quantity) })
        #expect(account.equity - account.initialBalance == account.realizedPnL + account.unrealizedPnL - account.commissions)
        if !shorts { #expect(account.sortedPositions.allSatisfy { $0.quantity > 0 }) }
        // Every filled order has its trades, and every trade its order.
        let filledByOrder = Dictionary(grouping: run.trades, by: \.fill.orderID).mapValues { $0.reduce(0) { $0 + $1.fill.quantity } }
        for order in run.orders {
            #expect((filledByOrder[order.id] ?? 0) == order.filledQuantity, "order \(order.id)")
            if order.status == .filled { #expect(order.filledQuantity == order.quantity) }
        }
        #expect(Set(filledByOrder.keys).isSubset(of: Set(run.orders.map(\.id))))
        let cash = run.trades.reduce(account.initialBalance) { $0 - $1.fill.commission + ($1.fill.side == .buy ? -$1.fill.notional : $1.fill.notional) }
        #expect(cash == account.cash)
    }

    @Test("long-only, under every preset: the ledger reconciles and orders and trades match")
    func longOnly() async {
        await propertyCheck(count: 12, input: Self.tapes) { rows in
            for model in ["seed", "conservative", "backtrader"] {
                guard let run = try? run(rows, model: model, shorts: false) else { Issue.record("run failed"); return }
                check(run, shorts: false)
            }
        }
    }

    @Test("the generated tapes do reach the fill rules: a fixed tape fills orders of every type")
    func tapesFill() throws {
        let rows: [Row] = [(0, 10, true, 0, 50, 0), (0, 20, false, 1, 20, -100), (1, 30, true, 2, 10, -200), (1, 40, true, 3, 10, -200),
                           (0, 400, false, 2, 10, 100), (1, 500, true, 1, 10, 300)]
        let run = try run(rows, model: "seed", shorts: false)
        #expect(run.trades.count >= 4, "\(run.orders.map { "\($0.type.rawValue) \($0.status.rawValue)" })")
        check(run, shorts: false)
    }

    @Test("with shorting allowed")
    func withShorts() async {
        await propertyCheck(count: 12, input: Self.tapes) { rows in
            guard let run = try? run(rows, model: "conservative", shorts: true) else { Issue.record("run failed"); return }
            check(run, shorts: true)
        }
    }
}
