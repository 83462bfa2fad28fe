import Foundation
import GRDB
import TapebenchTestSupport
import Testing
import TapebenchCore
import TapebenchLedger
@testable import TapebenchEngine
@testable import TapebenchReports

/// A lane's events reach its recorder in `LaneEvents` (each kind's payloads in a list of its own): the batch
/// gives them back in the order they were added, and a sink fed batches writes what it writes fed one event
/// at a time (its marks, which it takes apart from the other events, included).
@Suite struct LaneEventsBatchTests {
    /// A seeded lane's worth of events of every kind: a mark a step, signals (some acted on, each then
    /// followed by its order), orders changed, orders closed filled (after their trade, sometimes with a round trip) or
    /// rejected, risk events, a snapshot every 40 steps.
    static func events(seed: UInt64, steps: Int) -> [LaneEvent] {
        var rng = Xoshiro256(seed: seed)
        func roll(_ n: UInt64) -> Int { Int(rng.next() % n) }
        let start = LaneSinkTests.start
        let account = Account(id: 1, agent: "a", initialBalance: Fixed(raw: 100_000_00_000_000))
        var events: [LaneEvent] = []
        var open: [Order] = []
        var nextOrder: Int64 = 1, nextTrade: Int64 = 1
        for step in 0..<steps {
            let minute = Int64(step)
            let time = start.adding(minutes: minute)
            for _ in 0..<roll(4) {
                let actedOn = roll(3) == 0
                let ticker = ["AAA", "BBB", "CCC"][roll(3)]
                events.append(.signal(Signal(agent: "a", ticker: ticker, side: roll(2) == 0 ? .buy : .sell, time: time,
                                             price: Fixed(raw: Int64(100 + roll(20)) * 100_000_000), reason: .vwapDeviation(basisPoints: Int64(roll(90))),
                                             strength: roll(2) == 0 ? nil : Double(roll(100)) / 100), actedOn: actedOn))
                guard actedOn else { continue }
                var order = LaneSinkTests.order(nextOrder, status: .pending, minute: minute)
                order.signal = .vwapDeviation(basisPoints: 10)
                nextOrder += 1
                events.append(.orderSubmitted(order))
                open.append(order)
            }
            if !open.isEmpty, roll(10) == 0 { events.append(.orderChanged(open[roll(UInt64(open.count))])) }
            while !open.isEmpty, roll(2) == 0 {
                var order = open.remove(at: roll(UInt64(open.count)))
                order.closedAt = time
                if roll(4) == 0 {
                    order.status = .rejected
                    order.rejectReason = roll(2) == 0 ? "buying_power: needs more" : "max_positions: 10 open"
                } else {
                    order.status = .filled
                    order.filledQuantity = order.quantity
                    let fill = LaneSinkTests.fill(order, minute: minute)
                    events.append(.trade(Trade(id: nextTrade, fill: fill, realizedPnL: nil, cashAfter: account.cash, positionAfter: Int64(1 + roll(3)) * 10,
                                               openingSignal: nil), order: order))
                    nextTrade += 1
                    if roll(3) == 0 {
                        events.append(.roundTrip(RoundTrip(ticker: order.ticker, side: .long, quantity: 10, entryTime: start, exitTime: time,
                                                           entryPrice: Fixed(100), exitPrice: Fixed(101), entryNotional: Fixed(1_000), grossPnL: Fixed(10),
                                                           commissions: Fixed(1), adverseExcursion: Fixed(2), favourableExcursion: Fixed(3))))
                    }
                }
                events.append(.orderClosed(order))
            }
            if roll(25) == 0 { events.append(.riskEvent(RiskEvent(time: time, kind: "cancel_not_open", detail: "cancel of c\(step) not applied"))) }
            if step % 40 == 39 {
                events.append(.snapshot(AccountSnapshot(date: CivilDate(year: 2024, month: 3, day: 11 + step / 40), time: time, cash: account.cash,
                                                        marketValue: .zero, equity: account.cash, realizedPnL: .zero, unrealizedPnL: .zero,
                                                        commissions: .zero, openPositions: 0, sharpe: step == 39 ? nil : 0.5, drawdown: 0.01)))
            }
            var mark = EquityMark(time: time, account: account)
            mark.equity = Fixed(raw: mark.equity.raw + Int64(roll(2_000_000_000)) - 1_000_000_000)
            events.append(.mark(mark))
        }
        return events
    }

    @Test("a batch gives its events back in the order they were added, whichever kinds follow which")
    func order() {
        let events = Self.events(seed: 11, steps: 300)
        var kinds = Set<LaneEvents.Kind>()
        var batch = LaneEvents(events)
        batch.forEachPlace { kind, _ in kinds.insert(kind) }
        #expect(kinds.count == 9)
        #expect(batch.count == events.count)
        #expect(batch.all == events)
        // Reversed: every kind now follows every other the other way round.
        let reversed = LaneEvents(events.reversed())
        #expect(reversed.all == Array(events.reversed()))
        // Emptied, it starts over.
        batch.removeAll()
        #expect(batch.isEmpty && batch.all.isEmpty && batch.marks.isEmpty && batch.orders.isEmpty)
        batch.append(events[0])
        #expect(batch.all == [events[0]])
    }

    /// What a sink wrote and kept after `feed` gave it the events: its files, its database's rows, its digest.
    static func written(_ feed: (LaneSink) -> Void) throws -> [String] {
        let folder = TestScratch.root + "tapebench-sink-batch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sink = try LaneSink(index: 1, agent: "a", variant: "seed", initialBalance: Fixed(raw: 100_000_00_000_000), folder: folder)
        feed(sink)
        #expect(sink.failure == nil)
        try sink.store.finish()
        var written: [String] = []
        for file in [sink.fills, sink.trades, sink.equity, sink.roundTrips] {
            try file.flush()
            written.append(try String(contentsOfFile: file.path, encoding: .utf8))
        }
        try DatabaseQueue(path: sink.store.path).read { db in
            for table in ["signals", "paper_orders", "paper_trades", "paper_account_snapshots", "risk_events", "reference_pnl"] {
                written.append(try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description).joined(separator: "\n"))
            }
        }
        // The digest's parts in a fixed order (a dictionary's order may differ from one instance to another).
        let digest = sink.digest
        written.append("\(digest.firstOrders) \(digest.firstTrades.map { "\($0.trade) \($0.purpose)" }) \(digest.firstRejected)")
        written.append("\(digest.firstSnapshots) \(digest.firstRiskEvents) \(digest.firstRoundTrips)")
        written.append("\(digest.orders) \(digest.trades) \(digest.snapshots) \(digest.riskEvents) \(digest.rejected) \(String(describing: digest.lastSnapshot))")
        written.append("\(digest.rejectedByReason) \(digest.riskEventCounts) \(digest.fillsPerTicker.sorted { $0.key < $1.key })")
        written.append("\(["AAA", "BBB"].map { digest.markers($0).kept }) \(digest.slippage)")
        written.append("\(sink.positionSignals.sorted { $0.key < $1.key })")
        written.append("\(sink.equityChart)")
        return written
    }

    @Test("a sink fed batches of any size writes the same files, rows and digest as one fed each event alone", arguments: [3, 8, 21] as [UInt64])
    func batchesAsSingles(seed: UInt64) throws {
        let events = Self.events(seed: seed, steps: 1_500)
        let singly = try Self.written { sink in for event in events { sink.record(event) } }
        var rng = Xoshiro256(seed: seed)
        let batched = try Self.written { sink in
            var rest = events[...]
            while !rest.isEmpty {
                let size = 1 + Int(rng.next() % 600)
                sink.record(contentsOf: LaneEvents(Array(rest.prefix(size))))
                rest = rest.dropFirst(size)
            }
        }
        // The case writes something of every kind.
        #expect(singly.prefix(4).allSatisfy { $0.split(separator: "\n").count > 10 })
        #expect(singly.count == batched.count)
        for (one, other) in zip(singly, batched) { #expect(one == other) }
    }
}
