import TapebenchCore

/// `--shard I/N`: run slice I (1-based) of N.
public struct ShardSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// More shards than this is a mistake on the command line, not a cluster.
    public static let maximumCount = 100_000

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= Self.maximumCount, i >= 1, i <= n else {
            throw InputError(file: "--shard", message: "'\(text)': expected I/N with 1 ≤ I ≤ N ≤ \(Self.maximumCount) (e.g. 2/8)")
        }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }
}

/// Which shard runs which item. Items are identified by a canonical key (a grid point's parameter values,
/// a scenario's file) and weighted by an estimated cost (bars × lanes). The plan is greedy
/// longest-processing-time: items sorted by cost, largest first, ties by the SHA-256 of their key (then the
/// key), each given to the shard with the least cost so far (ties: the lowest shard). Neither the order in
/// which items were listed nor their index decides anything, so the same item set and N always give the
/// same slices; the largest shard's cost is at most 4/3 of the best possible split.
public enum ShardPlan {
    public struct Item: Sendable, Hashable {
        public var key: String
        public var cost: UInt64

        public init(key: String, cost: UInt64) {
            self.key = key
            self.cost = max(1, cost)  // an item of unknown cost still counts
        }
    }

    /// The shard (0-based) of each item, in the items' order.
    public static func assign(_ items: [Item], shards: Int) -> [Int] {
        let hashes = items.map { SHA256.hex(of: Array($0.key.utf8)) }
        let order = items.indices.sorted { a, b in
            (items[b].cost, hashes[a], items[a].key) < (items[a].cost, hashes[b], items[b].key)
        }
        var loads = [UInt64](repeating: 0, count: shards)
        var heap = ShardHeap(count: shards)
        var result = [Int](repeating: 0, count: items.count)
        for i in order {
            let shard = heap.popLeast()
            result[i] = shard
            loads[shard] &+= items[i].cost
            heap.push(shard, load: loads[shard])
        }
        return result
    }

    /// The indices of the items shard `spec` runs, ascending.
    public static func slice(_ items: [Item], _ spec: ShardSpec) -> [Int] {
        let shards = assign(items, shards: spec.count)
        return items.indices.filter { shards[$0] == spec.index - 1 }
    }
}

/// A binary min-heap of shards by (load, shard number), so that 1,000 shards of 2,000 items plan in
/// milliseconds.
struct ShardHeap {
    private var entries: [(load: UInt64, shard: Int)]

    init(count: Int) { entries = (0..<count).map { (0, $0) } }  // already a heap: equal loads, ascending shards

    private static func less(_ a: (load: UInt64, shard: Int), _ b: (load: UInt64, shard: Int)) -> Bool {
        (a.load, a.shard) < (b.load, b.shard)
    }

    mutating func popLeast() -> Int {
        let top = entries[0].shard
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < entries.count && Self.less(entries[l], entries[m]) { m = l }
                if r < entries.count && Self.less(entries[r], entries[m]) { m = r }
                if m == i { break }
                entries.swapAt(i, m)
                i = m
            }
        }
        return top
    }

    mutating func push(_ shard: Int, load: UInt64) {
        entries.append((load, shard))
        var i = entries.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.less(entries[i], entries[p]) else { break }
            entries.swapAt(i, p)
            i = p
        }
    }
}
