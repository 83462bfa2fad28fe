import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine
@testable import TapebenchReports

/// An order's row in run.sqlite carries the sums of its fills' commission and slippage, whichever way the
/// events reach the sink (one at a time, or a batch through `record(contentsOf:)`).
@Suite struct LaneSinkOrderCostsTests {
    /// Order 1 (a buy of 10 BBB) filled in two parts of 4 and 6: $0.50 and $0.70 commission, references
    /// 100.00 and 100.02 against prices 100.01 and 100.03 (one cent of slippage a share), then closed.
    static func events() -> [LaneEvent] {
        var order = LaneSinkTests.order(1, status: .pending, minute: 1)
        var events: [LaneEvent] = [.orderSubmitted(order)]
        let parts: [(quantity: Int64, price: Int64, commission: Int64)] = [(4, 100_01_000_000, 50_000_000), (6, 100_03_000_000, 70_000_000)]
        for (n, part) in parts.enumerated() {
            var fill = LaneSinkTests.fill(order, minute: 2 + Int64(n))
            fill.quantity = part.quantity
            fill.price = Fixed(raw: part.price)
            fill.referencePrice = Fixed(raw: part.price - 1_000_000)
            fill.commission = Fixed(raw: part.commission)
            order.filledQuantity += part.quantity
            order.status = order.remainingQuantity == 0 ? .filled : .partiallyFilled
            events.append(.trade(Trade(id: Int64(n + 1), fill: fill, realizedPnL: nil, cashAfter: .zero, positionAfter: order.filledQuantity,
                                       openingSignal: nil), order: order))
        }
        order.closedAt = LaneSinkTests.start.adding(minutes: 4)
        events.append(.orderClosed(order))
        return events
    }

    func ordersRow(batch: Bool) throws -> String {
        let folder = TestScratch.root + "tapebench-sink-costs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sink = try LaneSink(index: 0, agent: "a", variant: "seed", initialBalance: Fixed(raw: 100_000_00_000_000), folder: folder, onlyLane: true)
        if batch { sink.record(contentsOf: LaneEvents(Self.events())) } else { for event in Self.events() { sink.record(event) } }
        try sink.store.finish()
        return try DatabaseQueue(path: folder + "/run.sqlite").read { db in
            try Row.fetchAll(db, sql: "SELECT id, filled_quantity, status, commission, slippage FROM paper_orders").map(\.description).joined(separator: "\n")
        }
    }

    @Test("an order filled in two parts has commission 0.50 + 0.70 = 1.20 and slippage 4 × 0.01 + 6 × 0.01 = 0.10, one event at a time or as a batch")
    func partialFillsSummed() throws {
        let expected = "[id:1000000001 filled_quantity:10 status:\"filled\" commission:1.2 slippage:0.1]"
        #expect(try ordersRow(batch: false) == expected)
        #expect(try ordersRow(batch: true) == expected)
    }
}
