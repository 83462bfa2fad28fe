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
}
