import Foundation
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchTestSupport
@testable import TapebenchStore

/// The constants a lane binds instead of writing a text again: signal reasons kept once each
/// (`ReasonTexts`), enumerations' raw values found by case (`CaseTexts`).
@Suite struct ReasonTextsTests {
    /// A constant column's text; nil for any other column.
    static func text(_ column: RowValues.Column?) -> String? {
        guard case let .constant(address, count)? = column else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: address, count: Int(count)), as: UTF8.self)
    }

    static func written(_ reason: SignalReason) -> String { ByteText.string { reason.write(to: &$0) } }

    /// Reasons of every case, with values that collide in the table (the same value in two cases, a value and
    /// case that add up to another's), negative ones, and the longest prices there are.
    static func reasons(count: Int, seed: UInt64) -> [SignalReason] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let value = Int64.random(in: -40...40, using: &generator)
            switch Int.random(in: 0..<7, using: &generator) {
            case 0, 1: return .vwapDeviation(basisPoints: value)
            case 2: return .breakout(Fixed(raw: value + 1))
            case 3: return .breakdown(Fixed(raw: value < 0 ? Int64.min - value : Int64.max - value))
            case 4: return .volumeSurge(percent: value + 2)
            case 5: return .volumeSurgeFade
            default: return .text("t\(value)")
            }
        }
    }

    @Test("3,000 seeded reasons of every case: each constant holds its reason's text, the same reason always the same bytes at the same address, a text reason none")
    func constantsHoldTheirTexts() {
        let texts = ReasonTexts()
        var addresses: [String: UnsafePointer<CChar>] = [:]
        for reason in Self.reasons(count: 3_000, seed: 11) {
            let column = texts.column(for: reason)
            if case .text = reason {
                #expect(column == nil)
                continue
            }
            #expect(Self.text(column) == Self.written(reason), "\(Self.written(reason))")
            guard case let .constant(address, _)? = column else { continue }
            #expect(addresses[Self.written(reason), default: address] == address)
            addresses[Self.written(reason)] = address
        }
        #expect(texts.count == addresses.count)
        // vwap_deviation=3bp against breakout=0.00000002 (the same key but for the case): both kept, apart.
        #expect(Self.text(texts.column(for: .vwapDeviation(basisPoints: 3))) == "vwap_deviation=3bp")
        #expect(Self.text(texts.column(for: .breakout(Fixed(raw: 2)))) == Self.written(.breakout(Fixed(raw: 2))))
    }

    @Test("past the capacity, a new reason has no constant (it is written row by row), and the ones kept still have theirs")
    func capacity() {
        let texts = ReasonTexts()
        for basisPoints in 0..<Int64(ReasonTexts.capacity) {
            #expect(Self.text(texts.column(for: .vwapDeviation(basisPoints: basisPoints))) == "vwap_deviation=\(basisPoints)bp")
        }
        #expect(texts.column(for: .vwapDeviation(basisPoints: -1)) == nil)
        #expect(texts.column(for: .volumeSurgeFade) == nil)
        #expect(texts.count == ReasonTexts.capacity)
        #expect(Self.text(texts.column(for: .vwapDeviation(basisPoints: 17))) == "vwap_deviation=17bp")
        #expect(Self.text(texts.column(for: .vwapDeviation(basisPoints: Int64(ReasonTexts.capacity) - 1))) == "vwap_deviation=\(ReasonTexts.capacity - 1)bp")
    }

    @Test("every case of the enumerations a lane writes is found by case, with its raw value's bytes")
    func caseTexts() {
        func check<Case: CaseIterable & RawRepresentable & Equatable>(_: Case.Type) where Case.RawValue == String {
            let texts = CaseTexts<Case>()
            for value in Case.allCases { #expect(Self.text(texts.column(for: value)) == value.rawValue) }
        }
        check(OrderSide.self)
        check(OrderType.self)
        check(OrderStatus.self)
        check(FillRule.self)
    }

    @Test("a lane's signals and orders with 700 distinct reasons (more than the texts keep) and text reasons, across batches: each row reads back its own reason")
    func storedReasons() throws {
        let path = TestScratch.root + "tapebench-reasons-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try LaneStore(path: path, account: 2, agent: "a")
        var reasons = (0..<700).map { SignalReason.vwapDeviation(basisPoints: Int64($0) - 350) }
        reasons += Self.reasons(count: 300, seed: 5)
        for (i, reason) in reasons.enumerated() {
            let time = Timestamp(nanoseconds: Int64(i) * 60_000_000_000)
            try store.signal(Signal(agent: "a", ticker: "T", side: .buy, time: time, price: Fixed(raw: 100_000_000), reason: reason), actedOn: false)
            var order = Order(id: Int64(i) + 1, agent: "a", ticker: "T", side: .buy, type: .market, quantity: 1, submittedAt: time,
                              purpose: "signal_entry", signal: i % 7 == 0 ? nil : reason)
            order.status = .filled
            try store.order(order)
        }
        try store.finish()
        let (signals, orders) = try DatabaseQueue(path: path).read { db in
            (try String.fetchAll(db, sql: "SELECT reason FROM signals ORDER BY id"),
             try String?.fetchAll(db, sql: "SELECT signal FROM paper_orders ORDER BY id"))
        }
        #expect(signals == reasons.map(Self.written))
        #expect(orders == reasons.enumerated().map { $0.offset % 7 == 0 ? nil : Self.written($0.element) })
    }
}
