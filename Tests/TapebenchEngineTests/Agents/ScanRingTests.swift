import Testing
import TapebenchCore
@testable import TapebenchEngine

/// A record of two numbers, as the VWAP ring keeps (weighted price, volume).
private struct Pair: SummedRecord {
    var x: Double
    var y: Double
    var summed: (Double, Double) { (x, y) }
}

@Suite struct ScanRingTests {
    @Test("side-by-side sums: each lane has the bits of its run's own sum, across the ring's wrap")
    func slidingSumsMatchOneRunAtATime() {
        var rng = Xoshiro256(seed: 11)
        // Numbers of very different sizes, so that the order of the adds shows in the bits.
        func number() -> Double {
            let magnitude = [1e-3, 1.0, 1e3, 1e7][Int(rng.next() % 4)]
            return Double(rng.next() % 1_000_003) / 997 * magnitude
        }
        var compared = 0, differentOrderDiffers = 0
        for capacity in [2, 5, 35] {
            var ring = ScanRing<Pair>(capacity: capacity)
            // Every pair appended, for the sums added here one at a time (the reference the ring's sums must match).
            var appended: [Pair] = []
            // Short runs, half the ring, and the longest that fit (the VWAP scan's: lookback = capacity − recent).
            let lengths = Set([1, 2, 3, capacity / 2, capacity - 5, capacity - 3, capacity]).filter { (1...capacity).contains($0) }.sorted()
            for _ in 0..<(2 * capacity + 7) {
                let pair = Pair(x: number(), y: number())
                ring.append(pair)
                appended.append(pair)
                for chains in 1...4 {
                    for length in lengths {
                        // Every start whose runs lie in the ring's last `capacity` positions.
                        let oldest = max(0, ring.fed - capacity)
                        let latestFirst = ring.fed - length - (chains - 1)
                        guard latestFirst >= oldest else { continue }
                        for first in oldest...latestFirst {
                            let (a, b) = ring.slidingSums(from: first, length: length, chains: chains)
                            for lane in 0..<4 {
                                let run = first + min(lane, chains - 1)
                                let plain = ring.sums(from: run, through: run + length - 1)
                                var x = 0.0, y = 0.0
                                for position in run..<(run + length) {
                                    x += appended[position].x
                                    y += appended[position].y
                                    #expect(ring[position] == (appended[position].x, appended[position].y))
                                }
                                #expect(plain.0.bitPattern == x.bitPattern && plain.1.bitPattern == y.bitPattern, "run \(run), length \(length)")
                                #expect(a[lane].bitPattern == plain.0.bitPattern && b[lane].bitPattern == plain.1.bitPattern,
                                        "capacity \(capacity), chains \(chains), length \(length), run \(run)")
                                compared += 1
                                // The same numbers added newest first: shows that the test would see a change of order.
                                var reversed = 0.0
                                for position in stride(from: run + length - 1, through: run, by: -1) { reversed += ring[position].0 }
                                if reversed.bitPattern != plain.0.bitPattern { differentOrderDiffers += 1 }
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > 2_000)
        // A reset ring starts again at position 0, its sums from the pairs appended since.
        var ring = ScanRing<Pair>(capacity: 3)
        for value in [1.0, 2, 4, 8, 16] { ring.append(Pair(x: value, y: -value)) }
        ring.reset()
        ring.append(Pair(x: 32, y: 1))
        ring.append(Pair(x: 64, y: 2))
        #expect(ring.fed == 2)
        #expect(ring.sums(from: 0, through: 1) == (96, 3))
        let (a, b) = ring.slidingSums(from: 0, length: 1, chains: 2)
        #expect(a == SIMD4(32, 64, 64, 64) && b == SIMD4(1, 2, 2, 2))
        #expect(differentOrderDiffers > 100, "the numbers must be such that the order of the adds changes the bits")
    }
}
