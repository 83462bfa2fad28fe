import Testing
import TapebenchCore
@testable import TapebenchReports

@Suite struct ShardPlanTests {
    @Test("--shard takes I/N with 1 ≤ I ≤ N; anything else is one line naming the flag")
    func parsing() throws {
        #expect(try ShardSpec(parsing: "2/8") == ShardSpec(index: 2, count: 8))
        for bad in ["0/3", "4/3", "x", "1/0", "1/", "/3", "1/3/4", "-1/3"] {
            #expect(throws: InputError.self) { try ShardSpec(parsing: bad) }
        }
        let error = try #require(throws: InputError.self) { try ShardSpec(parsing: "4/3") }
        #expect(error.description.hasPrefix("--shard: '4/3': expected I/N"))
    }

    @Test("largest first to the least-loaded shard: costs 5,4,3,3,3 over two shards load 8 and 10")
    func longestFirst() {
        let items = [("a", 5), ("b", 4), ("c", 3), ("d", 3), ("e", 3)].map { ShardPlan.Item(key: $0.0, cost: UInt64($0.1)) }
        let shards = ShardPlan.assign(items, shards: 2)
        // a (5) → shard 0, b (4) → shard 1, a 3 → shard 1 (4 < 5), a 3 → shard 0 (5 < 7), a 3 → shard 1 (7 < 8).
        #expect(shards[0] == 0 && shards[1] == 1)
        let loads = (0..<2).map { s in items.indices.filter { shards[$0] == s }.map { items[$0].cost }.reduce(0, +) }
        #expect(loads == [8, 10])
        #expect(shards.filter { $0 == 1 }.count == 3)
    }

    @Test("balanced by cost, not by count: one item of cost 10 has a shard to itself against ten of cost 1")
    func byCost() {
        let items = [ShardPlan.Item(key: "big", cost: 10)] + (1...10).map { ShardPlan.Item(key: "small\($0)", cost: 1) }
        let shards = ShardPlan.assign(items, shards: 2)
        #expect(shards.filter { $0 == shards[0] }.count == 1)
        #expect(shards.dropFirst().allSatisfy { $0 != shards[0] })
    }

    @Test("stable: an item lands in the same shard whatever the order the items are listed in")
    func stable() {
        let items = (0..<200).map { ShardPlan.Item(key: "slippage.bps=\($0)", cost: UInt64(1 + $0 % 7)) }
        let shards = ShardPlan.assign(items, shards: 7)
        var generator = SplitMix64(seed: 42)
        let shuffled = items.shuffled(using: &generator)
        let again = ShardPlan.assign(shuffled, shards: 7)
        let byKey = Dictionary(uniqueKeysWithValues: zip(items.map(\.key), shards))
        for (item, shard) in zip(shuffled, again) { #expect(byKey[item.key] == shard) }
        // Costs 1…7 (28 full cycles and 1,2,3,4) sum to 794 over 7 shards: LPT keeps shards within one item (≤ 7) of each other.
        let loads = (0..<7).map { s in items.indices.filter { shards[$0] == s }.map { items[$0].cost }.reduce(0, +) }
        #expect(loads.reduce(0, +) == 794)
        #expect(loads.max()! - loads.min()! <= 7)
    }

    @Test("2,000 equal points over 1,000 shards: two each; slices cover every point once")
    func manyShards() {
        let items = (0..<2_000).map { ShardPlan.Item(key: "p\($0)", cost: 3) }
        let shards = ShardPlan.assign(items, shards: 1_000)
        var counts = [Int](repeating: 0, count: 1_000)
        for s in shards { counts[s] += 1 }
        #expect(counts.allSatisfy { $0 == 2 })
        let slices = (1...4).flatMap { ShardPlan.slice(Array(items.prefix(10)), ShardSpec(index: $0, count: 4)) }
        #expect(slices.sorted() == Array(0..<10))
    }
}
