import Foundation
import TapebenchTestSupport
import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine
@testable import TapebenchReports

/// What a lane's recorder keeps in memory while it streams: counts and the first few of each list, never
/// a list that grows with the run.
@Suite struct LaneSinkTests {
    static let start = Timestamp(nanoseconds: 1_710_163_800 * 1_000_000_000)  // 2024-03-11 09:30 EDT

    static func order(_ id: Int64, status: OrderStatus, reason: String? = nil, minute: Int64) -> Order {
        var order = Order(id: id, agent: "a", ticker: id % 2 == 0 ? "AAA" : "BBB", side: .buy, type: .market, quantity: 10, limitPrice: nil,
                          stopPrice: nil, submittedAt: start.adding(minutes: minute), purpose: "signal_entry", signal: nil)
        order.status = status
        if status == .filled { order.filledQuantity = 10 }
        order.rejectReason = reason
        order.closedAt = start.adding(minutes: minute + 1)
        return order
    }

    static func fill(_ order: Order, minute: Int64) -> Fill {
        Fill(orderID: order.id, agent: "a", ticker: order.ticker, side: .buy, orderType: .market, time: start.adding(minutes: minute),
             quantity: 10, price: Fixed(raw: 100_01_000_000), referencePrice: Fixed(raw: 100_00_000_000), commission: Fixed(raw: 50_000_000),
             rule: .marketNextOpen)
    }

    /// `events` orders, half rejected (two reasons), the others filled, one mark a minute: the sink's
    /// memory after them.
    static func feed(_ events: Int) throws -> (LaneSink, String) {
        let folder = TestScratch.root + "tapebench-sink-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sink = try LaneSink(index: 0, agent: "a", variant: "seed", initialBalance: Fixed(raw: 100_000_00_000_000), folder: folder)
        let account = Account(id: 1, agent: "a", initialBalance: Fixed(raw: 100_000_00_000_000))
        for i in 1...events {
            let minute = Int64(i)
            let id = Int64(i)
            sink.record(.orderSubmitted(order(id, status: .pending, minute: minute)))
            if i % 2 == 0 {
                sink.record(.orderClosed(order(id, status: .rejected, reason: i % 4 == 0 ? "buying_power: needs more" : "max_positions: 10 open",
                                               minute: minute)))
            } else {
                let filled = order(id, status: .filled, minute: minute)
                let f = fill(filled, minute: minute)
                sink.record(.trade(Trade(id: id, fill: f, realizedPnL: nil, cashAfter: account.cash, positionAfter: 10, openingSignal: nil), order: filled))
                sink.record(.orderClosed(filled))
            }
            sink.record(.mark(EquityMark(time: start.adding(minutes: minute), account: account)))
        }
        return (sink, folder)
    }

    @Test("a lane whose agent has one fill model is not compared: its scratch store keeps nothing for the comparison")
    func uncompared() throws {
        let folder = TestScratch.root + "tapebench-sink-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let alone = try LaneSink(index: 1, agent: "b", variant: "seed", initialBalance: Fixed(raw: 100_000_00_000_000), folder: folder, compared: false)
        let compared = try LaneSink(index: 2, agent: "c", variant: "seed", initialBalance: Fixed(raw: 100_000_00_000_000), folder: folder)
        #expect(!alone.store.compared && !alone.store.published)
        #expect(compared.store.compared)
    }

    @Test("a lane's digest keeps the first 100 of each list and counts the rest: 1 000 and 8 000 orders leave the same memory")
    func boundedMemory() throws {
        for events in [1_000, 8_000] {
            let (sink, _) = try Self.feed(events)
            let digest = sink.digest
            #expect(digest.orders == events)
            #expect(digest.trades == events / 2)
            #expect(digest.rejected == events / 2)
            // Retained entries: capped, whatever the number of events.
            #expect(digest.firstOrders.count == LaneDigest.listLimit)
            #expect(digest.firstTrades.count == LaneDigest.listLimit)
            #expect(digest.firstRejected.count == LaneDigest.listLimit)
            // Every fill is a buy of BBB: at most half the marker limit kept, more than a quarter, all counted.
            let marks = digest.markers("BBB")
            #expect(marks.kept.count <= LaneDigest.markerLimit / 2 && marks.kept.count > LaneDigest.markerLimit / 4)
            #expect(marks.seen == events / 2 && digest.markers("AAA").seen == 0)
            #expect(digest.slippage.bins.count <= SlippageHistogram.maxBins)
            #expect(sink.equityChart.points.count <= EquityChart.capacity)
            // Every 5 minutes of marks is one equity sample; the last period's is taken when the lane finishes.
            #expect(sink.equityChart.samples == events / 5 - 1)
        }
    }

    @Test("a chart's fills are thinned per side to every 2ᵏ-th: 100 alternating fills keep buys at minutes 0, 4, … 96 and sells at 1, 5, … 97")
    func markersThinned() {
        var marks = LaneDigest.Markers()
        for i in 0..<100 {
            marks.add(LaneDigest.Marker(time: Self.start.adding(minutes: Int64(i)), price: Fixed(raw: 100_00_000_000), quantity: 1,
                                        side: i % 2 == 0 ? .buy : .sell))
        }
        // Each side sees 50 fills (buy j at minute 2j, sell j at 2j + 1); 30 may be kept: at its 31st fill (j = 30) a
        // side halves to j = 0, 2, … 30 (16 kept), stride 2; then j = 32 … 48 add 9: 25 ≤ 30, so the stride stays 2.
        #expect(marks.buys.stride == 2 && marks.sells.stride == 2)
        #expect(marks.buys.kept.map { $0.time.nanoseconds / Timestamp.nanosecondsPerMinute - Self.start.nanoseconds / Timestamp.nanosecondsPerMinute }
                == Array(stride(from: 0, through: 96, by: 4)))
        #expect(marks.sells.kept.count == 25 && marks.seen == 100)
        // Merged in time order: buy, sell, buy, sell, …
        #expect(marks.kept.map(\.side) == Array(repeating: [OrderSide.buy, .sell], count: 25).flatMap { $0 })
    }

    @Test("rejected orders are counted by reason code, reasons in order, the first one's text kept as the example")
    func rejectedByReason() throws {
        let (sink, _) = try Self.feed(20)
        let reasons = sink.digest.rejectedByReason
        // Orders 2, 6, 10, 14, 18 → max_positions (5); 4, 8, 12, 16, 20 → buying_power (5).
        #expect(reasons.map(\.reason) == ["buying_power", "max_positions"])
        #expect(reasons.map(\.count) == [5, 5])
        #expect(reasons.map(\.example) == ["buying_power: needs more", "max_positions: 10 open"])
        #expect(sink.digest.typeCounts(.market) == LaneDigest.TypeCounts(filled: 10, rejected: 10, other: 0, withFills: 10))
    }

    @Test("orders are counted by type, each type on its own: 1 market, 2 limit, 3 stop, 4 stop-limit orders, of each a filled one")
    func countsByType() {
        var digest = LaneDigest()
        var id: Int64 = 0
        for (type, count) in [(OrderType.market, 1), (.limit, 2), (.stop, 3), (.stopLimit, 4)] {
            for n in 0..<count {
                id += 1
                var order = Self.order(id, status: n == 0 ? .filled : (n == 1 ? .rejected : .cancelled), minute: id)
                order.type = type
                if n != 0 { order.filledQuantity = n == 3 ? 5 : 0 }
                digest.record(.orderClosed(order))
            }
        }
        #expect(digest.typeCounts(.market) == LaneDigest.TypeCounts(filled: 1, rejected: 0, other: 0, withFills: 1))
        #expect(digest.typeCounts(.limit) == LaneDigest.TypeCounts(filled: 1, rejected: 1, other: 0, withFills: 1))
        #expect(digest.typeCounts(.stop) == LaneDigest.TypeCounts(filled: 1, rejected: 1, other: 1, withFills: 1))
        // The fourth stop-limit order was cancelled after a partial fill of 5.
        #expect(digest.typeCounts(.stopLimit) == LaneDigest.TypeCounts(filled: 1, rejected: 1, other: 2, withFills: 2))
    }

    @Test("the sink's fills.csv holds a row per fill, the header first, as FillsCSV writes one")
    func fillsFile() throws {
        let (sink, folder) = try Self.feed(10)
        try sink.fills.flush()
        let text = try String(contentsOfFile: folder + "/fills.csv", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0] == FillsCSV.header)
        // Order 1: bought at the 09:31 open, 100.01 against a reference of 100.00: one cent of slippage on 10 shares.
        #expect(lines[1] == "1,a,seed,2024-03-11T13:31:00Z,BBB,buy,market,10,100.01,0.50,0.10,market_next_open")
    }
}
