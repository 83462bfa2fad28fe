import Testing
import TapebenchCore
@testable import TapebenchReports

/// The digest's per-event arithmetic, done the fast way, gives the same answers as the plain one.
@Suite struct DigestArithmeticTests {
    @Test("a rejection's reason code is its text up to the first ':', by bytes, the same as by characters; none without a reason")
    func reasonCodes() {
        #expect(LaneDigest.reasonCode("buying_power: needs $1,000.00") == "buying_power")
        #expect(LaneDigest.reasonCode("größe: zu groß") == "größe")
        #expect(LaneDigest.reasonCode("no colon at all") == "no colon at all")
        #expect(LaneDigest.reasonCode(":leading") == "")
        #expect(LaneDigest.reasonCode("") == "")
        #expect(LaneDigest.reasonCode(nil) == "none")
    }

    @Test("128-bit amounts convert to Double as Double(Int128) does, through Int64 when they fit")
    func wideToDouble() {
        let values: [Int128] = [0, 1, -1, 9_007_199_254_740_993, -9_007_199_254_740_993, Int128(Int64.max), Int128(Int64.min),
                                Int128(Int64.max) + 1, Int128(Int64.min) - 1, Int128(Int64.max) * 3 + 12_345, -(Int128(1) << 100) - 7]
        for value in values { #expect(SlippageHistogram.double(value) == Double(value), "\(value)") }
    }

    @Test("a fill's slippage in basis points: 105 shares at 10.02 against 10.00 is 20 bp; a zero reference price is 0")
    func basisPoints() {
        func fill(_ price: Int64, _ reference: Int64, _ side: OrderSide) -> Fill {
            Fill(orderID: 1, agent: "a", ticker: "T", side: side, orderType: .market, time: Timestamp(nanoseconds: 0), quantity: 105,
                 price: Fixed(raw: price), referencePrice: Fixed(raw: reference), commission: .zero, rule: .marketNextOpen)
        }
        #expect(abs(SlippageHistogram.basisPoints(fill(1_002_000_000, 1_000_000_000, .buy)) - 20) < 1e-9)
        #expect(abs(SlippageHistogram.basisPoints(fill(1_002_000_000, 1_000_000_000, .sell)) + 20) < 1e-9)
        #expect(SlippageHistogram.basisPoints(fill(1_002_000_000, 0, .buy)) == 0)
    }

    @Test("2,000 seeded closed orders (runs of one rejection code, alternations, text reasons, none, fills between), read midway too: counts by code and the first example, as plain counting gives")
    func rejectionRuns() {
        var generator = SplitMix64(seed: 9)
        let reasons: [OrderReason?] = [
            .risk(.cashReserve(cashAfter: Fixed(raw: 86_580_000_000), equity: Fixed(raw: 11_100_000_000_000), minimumBasisPoints: 500)),
            .risk(.openPositions(open: 5, limit: 5)), .risk(.buyingPower(required: Fixed(raw: 100_000_000), available: .zero)),
            .text("custom: a text"), .text("custom: another"), .endOfReplay, nil,
        ]
        var digest = LaneDigest()
        var expected: [String: LaneDigest.ReasonCount] = [:]
        var current = 0
        for id in 1...2_000 {
            // Long runs of one reason, changing now and then.
            if Int.random(in: 0..<20, using: &generator) == 0 { current = Int.random(in: 0..<reasons.count, using: &generator) }
            var order = Order(id: Int64(id), agent: "a", ticker: "T", side: .buy, type: .market, quantity: 1,
                              submittedAt: Timestamp(nanoseconds: 0), purpose: "signal_entry")
            let rejected = Int.random(in: 0..<10, using: &generator) > 0
            order.status = rejected ? .rejected : .filled
            order.closeReason = rejected ? reasons[current] : nil
            digest.record(closedOrder: order)
            if rejected {
                let code = order.closeReason?.code ?? "none"
                expected[code, default: LaneDigest.ReasonCount(reason: code, count: 0, example: order.rejectReason ?? "")].count += 1
            }
            if id % 333 == 0 || id == 2_000 {
                #expect(digest.rejectedByReason == expected.keys.sorted().compactMap { expected[$0] }, "after order \(id)")
            }
        }
        #expect(digest.rejected == expected.values.reduce(0) { $0 + $1.count })
    }
}

