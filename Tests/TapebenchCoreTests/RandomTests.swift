import Testing
import TapebenchCore

@Suite struct RandomTests {
    @Test("a keyed generator gives the same draws every time, and different keys differ")
    func keyed() {
        var a = Xoshiro256(seed: 7, key: "AAPL")
        var b = Xoshiro256(seed: 7, key: "AAPL")
        var c = Xoshiro256(seed: 7, key: "MSFT")
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
    }

    @Test("the stable hash does not depend on the process")
    func stableHash() {
        #expect(StableHash.fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(StableHash.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
    }
}
