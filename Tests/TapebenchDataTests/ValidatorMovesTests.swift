import Testing
import TapebenchCore
@testable import TapebenchData

@Suite struct ValidatorMovesTests {
    @Test("the bad-tick comparison without division agrees with the rounded move, ties and edges included")
    func agrees() {
        // Hand-computed: from 100.00, 110.00 is 1000 bp (not more than 1000), 110.01 is 1001 bp.
        #expect(!Validator.moves(Fixed(raw: 10_000_000_000), Fixed(raw: 11_000_000_000), moreThan: 1000))
        #expect(Validator.moves(Fixed(raw: 10_000_000_000), Fixed(raw: 11_001_000_000), moreThan: 1000))
        // A tie: 1 → 1.00025 is 2.5 bp, rounded half to even = 2 (not more than 2), and more than 1.
        #expect(Validator.moves(Fixed(raw: 100_000_000), Fixed(raw: 100_025_000)) == 2)
        #expect(!Validator.moves(Fixed(raw: 100_000_000), Fixed(raw: 100_025_000), moreThan: 2))
        #expect(Validator.moves(Fixed(raw: 100_000_000), Fixed(raw: 100_025_000), moreThan: 1))
        // 3.5 bp rounds to 4: more than 3.
        #expect(Validator.moves(Fixed(raw: 100_000_000), Fixed(raw: 100_035_000), moreThan: 3))
        var rng = Xoshiro256(seed: 11, key: "moves")
        var disagreements = 0
        for i in 0..<200_000 {
            let a = Fixed(raw: i % 97 == 0 ? -Int64(rng.next() % 1000) : Int64(rng.next() % 100_000_000_000) + (i % 5 == 0 ? 0 : 1))
            let b = Fixed(raw: Int64(rng.next() % 100_000_000_000))
            let limits: [Int64] = [-1, 0, 1, 2, 3, 999, 1000, 1001, Int64(rng.next() % 20_000), 1 << 41, .max]
            for limit in limits where Validator.moves(a, b, moreThan: limit) != (Validator.moves(a, b) > limit) { disagreements += 1 }
            // Exact ties: b chosen at a half basis point from a.
            if a.raw > 0, a.raw % 20_000 == 0 {
                let tie = Fixed(raw: a.raw + a.raw / 20_000 * Int64(rng.next() % 3000 * 2 + 1))
                for limit in limits where Validator.moves(a, tie, moreThan: limit) != (Validator.moves(a, tie) > limit) { disagreements += 1 }
            }
        }
        #expect(disagreements == 0)
    }

    @Test("the bad-tick band (one bound per bar) agrees with the rounded move for every price, ties and edges included")
    func band() {
        // Hand-computed: from 100.00 at 1000 bp, 89.995 ... 110.005 are within (1000.5 bp rounds to the even
        // 1000); at 3 bp from 1.00, 1.00035 is a
        // tie of 3.5 bp that rounds to 4 (out), at 2 bp 1.00025 rounds to 2 (in).
        let hundred = MoveBand(around: Fixed(raw: 10_000_000_000), limit: 1000)
        #expect(hundred?.lowest == 8_999_500_000 && hundred?.highest == 11_000_500_000)
        #expect(MoveBand(around: Fixed(raw: 100_000_000), limit: 3)?.highest == 100_034_999)
        #expect(MoveBand(around: Fixed(raw: 100_000_000), limit: 2)?.highest == 100_025_000)
        #expect(MoveBand(around: Fixed(raw: 0), limit: 1000) == nil && MoveBand(around: Fixed(raw: 1), limit: -1) == nil)
        #expect(MoveBand(around: Fixed(raw: .max), limit: 1000) == nil && MoveBand(around: Fixed(raw: 1), limit: 1 << 40) == nil)
        #expect(MoveBand(around: Fixed(raw: .max - 10), limit: 0)?.highest == .max)
        var rng = Xoshiro256(seed: 13, key: "band")
        var disagreements = 0
        var checked = 0
        let wide: [Int64] = [.max, .min, 0, 1, -1, .max - 1, .min + 1]
        for i in 0..<200_000 {
            let a = Fixed(raw: i % 97 == 0 ? -Int64(rng.next() % 1000) : i % 89 == 0 ? Int64.max - Int64(rng.next() % 1000)
                : i % 83 == 0 ? Int64.max / Int64(rng.next() % 40_000 + 1) : Int64(rng.next() % 100_000_000_000) + 1)
            let limits: [Int64] = [-1, 0, 1, 2, 3, 999, 1000, 1001, Int64(rng.next() % 20_000), (1 << 40) - 1, 1 << 41, .max]
            for limit in limits {
                let band = MoveBand(around: a, limit: limit)
                // Prices near the band's edges, at ties, far off and at the ends of Int64.
                var prices = [Int64(rng.next() % 100_000_000_000), wide[Int(rng.next() % UInt64(wide.count))]]
                if let band { prices += [band.lowest - 1, band.lowest, band.highest, band.highest &+ 1] }
                if a.raw > 0, a.raw % 20_000 == 0 { prices.append(a.raw &+ a.raw / 20_000 &* Int64(rng.next() % 3000 * 2 + 1)) }
                for raw in prices {
                    let b = Fixed(raw: raw)
                    let slow = Validator.moves(a, b, moreThan: limit)
                    if let band, band.contains(b) == slow { disagreements += 1 }
                    if band != nil { checked += 1 }
                }
            }
        }
        #expect(disagreements == 0)
        #expect(checked > 1_000_000)
    }

    @Test("the bad-tick test with the band agrees with four separate move tests")
    func badTick() {
        // Hand-computed: from 100.00 a high of 111.00 is out of 1000 bp and a next open of 100.50 is within.
        let p = { (raw: Int64) in Fixed(raw: raw) }
        #expect(Validator.isBadTick(p(10_000_000_000), next: p(10_050_000_000), p(11_100_000_000), p(10_000_000_000), p(10_000_000_000), limit: 1000))
        #expect(!Validator.isBadTick(p(10_000_000_000), next: p(11_100_000_000), p(11_100_000_000), p(10_000_000_000), p(10_000_000_000), limit: 1000))
        var rng = Xoshiro256(seed: 14, key: "badTick")
        var disagreements = 0
        var bad = 0
        for i in 0..<200_000 {
            let a = Fixed(raw: i % 101 == 0 ? 0 : Int64(rng.next() % 20_000_000_000) + 1)
            let near = { Fixed(raw: a.raw + Int64(rng.next() % UInt64(a.raw / 4 + 1)) - a.raw / 8) }
            let (open, high, low, close) = (near(), near(), near(), near())
            let limit: Int64 = [-1, 0, 999, 1000, 1001, Int64(rng.next() % 2000), 1 << 41][Int(rng.next() % 7)]
            let slow = !Validator.moves(a, open, moreThan: limit)
                && (Validator.moves(a, high, moreThan: limit) || Validator.moves(a, low, moreThan: limit) || Validator.moves(a, close, moreThan: limit))
            if slow { bad += 1 }
            if Validator.isBadTick(a, next: open, high, low, close, limit: limit) != slow { disagreements += 1 }
        }
        #expect(disagreements == 0)
        #expect(bad > 1_000)
    }

    @Test("the halt rule's span without division agrees with gap = Δ / minute − 1 ≥ haltMinutes, limits and edges included")
    func haltSpan() {
        let minute = Timestamp.nanosecondsPerMinute
        // Hand-computed: 10 minutes of gap need 11 minutes from one bar's start to the next.
        #expect(Validator.haltSpan(minutes: 10) == 11 * minute)
        #expect(Validator.haltSpan(minutes: 0) == minute)
        #expect(Validator.haltSpan(minutes: -1) == 0 && Validator.haltSpan(minutes: .min) == 0)
        #expect(Validator.haltSpan(minutes: .max) == nil && Validator.haltSpan(minutes: Int64.max / minute) == nil)
        #expect(Validator.haltSpan(minutes: Int64.max / minute - 1) == Int64.max / minute * minute)
        var rng = Xoshiro256(seed: 12, key: "halt")
        var disagreements = 0
        for _ in 0..<100_000 {
            let minutes: Int64 = [-2, -1, 0, 1, 9, 10, 11, 390, Int64.max / minute - 1, Int64.max / minute, .max,
                                  Int64(rng.next() % 2_000), -Int64(rng.next() % 2_000)][Int(rng.next() % 13)]
            // Gaps near whole minutes, small and huge.
            let near = Int64(rng.next() % 3_000) * minute + Int64(rng.next() % 3) - 1
            let delta = [near, Int64(rng.next() % UInt64(Int64.max)), Int64.max, 1][Int(rng.next() % 4)]
            guard delta > 0 else { continue }
            let rule = delta / minute - 1 >= minutes
            let span = Validator.haltSpan(minutes: minutes)
            if (span.map { delta >= $0 } ?? false) != rule { disagreements += 1 }
        }
        #expect(disagreements == 0)
    }
}
