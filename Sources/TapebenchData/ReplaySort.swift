import TapebenchCore

/// Sorting bars into replay order — (start, ticker), ties kept in the order given — by small integer keys:
/// sorting the bars themselves would compare tickers as text and move every bar through each step. The
/// bars stay where they are; the order is a list of their positions.
enum ReplaySort {
    struct Order {
        var keys: [Key]
        @inline(__always) func index(_ position: Int) -> Int { Int(keys[position].index) }
    }

    /// The replay order of `bars`, nil when they are in it already. `ranks[id]` is a ticker's place in
    /// name order (`TickerTable.sortedOrder`); every bar has an id of that table.
    static func order(_ bars: [Bar], ranks: [UInt32]) -> Order? {
        order(bars.count, ranks: ranks) { (bars[$0].start.nanoseconds, bars[$0].tickerID.index) }
    }

    static func order(_ bars: [DayBar], ranks: [UInt32]) -> Order? {
        bars.withUnsafeBufferPointer { order($0, ranks: ranks) }
    }

    static func order(_ bars: UnsafeBufferPointer<DayBar>, ranks: [UInt32]) -> Order? {
        order(bars.count, ranks: ranks) { (bars[$0].start, Int(bars[$0].ticker)) }
    }

    /// The order of `count` items, each with its start and ticker id.
    @inline(__always)
    static func order(_ count: Int, ranks: [UInt32], _ item: (Int) -> (start: Int64, ticker: Int)) -> Order? {
        guard count > 1 else { return nil }
        @inline(__always) func key(_ index: Int) -> Key {
            let (start, ticker) = item(index)
            return Key(start: start, rank: ranks[ticker], index: UInt32(index))
        }
        // Most days of one ticker are in order already: that is found without allocating the keys.
        var previous = key(0)
        var inOrder = true
        for index in 1..<count {
            let next = key(index)
            if next < previous { inOrder = false; break }
            previous = next
        }
        if inOrder { return nil }
        var keys = [Key]()
        keys.reserveCapacity(count)
        var low = Int64.max, high = Int64.min
        for index in 0..<count {
            let k = key(index)
            low = min(low, k.start)
            high = max(high, k.start)
            keys.append(k)
        }
        // Keys are unique (the index is in them), so any sort gives the one order; the buckets' is O(n).
        if let sorted = byMinute(keys, low: low, high: high) { return Order(keys: sorted) }
        keys.sort()
        return Order(keys: keys)
    }

    /// A bucket (a minute) of more keys than this is sorted by `sort()`, a smaller one by insertion: a
    /// bucket is usually the chunk's tickers at that minute (about 40), in rank order already, and the limit
    /// bounds insertion's worst case to 128 moves a key.
    static let insertionLimit = 128

    /// `keys` sorted by a counting sort on the minute of their start from `low`, then each minute's bucket
    /// by the whole key: a file lists a ticker's day in time order, ticker after ticker (by name), so a
    /// bucket is that minute's bars in rank order already. Nil when the starts span more minutes than
    /// twice the keys plus a day (not a day of minute bars): a comparison sort does those.
    static func byMinute(_ keys: [Key], low: Int64, high: Int64) -> [Key]? {
        let minute = Timestamp.nanosecondsPerMinute
        let (width, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, width / minute < Int64(2 * keys.count + 1_440) else { return nil }
        let span = width / minute + 1
        let buckets = Int(span)
        // starts[b] is where bucket b begins in the result, then where its next key goes.
        var starts = [Int](repeating: 0, count: buckets + 1)
        for k in keys { starts[Int((k.start - low) / minute) + 1] += 1 }
        for b in 0..<buckets { starts[b + 1] += starts[b] }
        var sorted = [Key](unsafeUninitializedCapacity: keys.count) { buffer, initialized in
            for k in keys {
                let b = Int((k.start - low) / minute)
                (buffer.baseAddress! + starts[b]).initialize(to: k)
                starts[b] += 1
            }
            initialized = keys.count
        }
        // Now starts[b] is the end of bucket b, and the start of bucket b + 1.
        var begin = 0
        for b in 0..<buckets {
            let end = starts[b]
            if end - begin > 1 { sortBucket(&sorted, begin..<end) }
            begin = end
        }
        return sorted
    }

    /// Scratch of `orderByMinute`, kept by its caller from chunk to chunk, so that a chunk allocates nothing.
    struct Scratch {
        var counts: [Int] = []
        var newest: [MinuteNewest] = []
        var keys: [Key] = []
    }

    /// The greatest (start, rank) put in a minute so far, and whether a smaller one came after it.
    struct MinuteNewest {
        var start = Int64.min
        var rank: UInt32 = 0
        var outOfOrder = false
    }

    /// The replay order of a chunk of a spilled day, as positions in `bars` (`order`, made anew), by a counting
    /// sort of the positions on the minute of the start: a file lists a ticker's day in time order, ticker
    /// after ticker by name, so a minute's bars arrive in rank order already. A minute whose bars did not (the
    /// validator's held-back last bars of the day come after every ticker) is sorted by its keys. Ties stay in
    /// the order given. False, with `order` of no use, when the starts span more minutes than twice the bars
    /// plus a day (not a day of minute bars): `order(_:ranks:)` sorts those.
    ///
    /// Positions (4 bytes) are scattered, not the bars (64 bytes): the caller gathers the bars in order, reads
    /// that overlap their cache misses and writes that go one after another. Moving each bar straight to its
    /// minute stored every bar to a line not in the cache (a 1 MiB chunk and its 1 MiB copy do not fit this
    /// core's L2), and the stores waited on each miss: 9 % of `data validate`'s time.
    static func orderByMinute(_ bars: UnsafeBufferPointer<DayBar>, ranks: [UInt32], into order: inout [UInt32],
                              scratch: inout Scratch) -> Bool {
        order.removeAll(keepingCapacity: true)
        guard let first = bars.first else { return true }
        var low = first.start, high = first.start
        for bar in bars {
            low = min(low, bar.start)
            high = max(high, bar.start)
        }
        let minute = Timestamp.nanosecondsPerMinute
        let (width, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, width / minute < Int64(2 * bars.count + 1_440), bars.count <= Int(UInt32.max) else { return false }
        let buckets = Int(width / minute) + 1
        var counts = scratch.counts
        scratch.counts = []
        defer { scratch.counts = counts }
        counts.removeAll(keepingCapacity: true)
        counts.append(contentsOf: repeatElement(0, count: buckets + 1))
        order.append(contentsOf: repeatElement(0, count: bars.count))
        // The newest key put in each minute: a minute is sorted afterwards only when a key came in below it.
        var newest = scratch.newest
        scratch.newest = []
        defer { scratch.newest = newest }
        newest.removeAll(keepingCapacity: true)
        newest.append(contentsOf: repeatElement(MinuteNewest(), count: buckets))
        var outOfOrder = 0
        counts.withUnsafeMutableBufferPointer { starts in
            order.withUnsafeMutableBufferPointer { order in
                newest.withUnsafeMutableBufferPointer { newest in
                    for bar in bars { starts[Int((bar.start - low) / minute) + 1] += 1 }
                    for b in 0..<buckets { starts[b + 1] += starts[b] }
                    // starts[b] is where bucket b's next position goes; after the loop, where bucket b ends.
                    for index in bars.indices {
                        let bar = bars[index]
                        let b = Int((bar.start - low) / minute)
                        order[starts[b]] = UInt32(truncatingIfNeeded: index)
                        starts[b] += 1
                        let key = (start: bar.start, rank: ranks[Int(bar.ticker)])
                        if key < (newest[b].start, newest[b].rank) {
                            if !newest[b].outOfOrder { outOfOrder += 1 }
                            newest[b].outOfOrder = true
                        } else {
                            (newest[b].start, newest[b].rank) = key
                        }
                    }
                    guard outOfOrder > 0 else { return }
                    var begin = 0
                    for b in 0..<buckets {
                        let end = starts[b]
                        if newest[b].outOfOrder { sortMinute(order, begin..<end, of: bars, ranks: ranks, scratch: &scratch) }
                        begin = end
                    }
                }
            }
        }
        return true
    }

    /// Puts one minute's positions (`range` of `order`, in the order given, some out of replay order) in
    /// replay order by a sort of their keys.
    private static func sortMinute(_ order: UnsafeMutableBufferPointer<UInt32>, _ range: Range<Int>, of bars: UnsafeBufferPointer<DayBar>,
                                   ranks: [UInt32], scratch: inout Scratch) {
        scratch.keys.removeAll(keepingCapacity: true)
        for slot in range {
            let position = order[slot]
            let bar = bars[Int(position)]
            scratch.keys.append(Key(start: bar.start, rank: ranks[Int(bar.ticker)], index: position))
        }
        sortBucket(&scratch.keys, scratch.keys.indices)  // unique keys (the position is in them): one order
        for (offset, key) in scratch.keys.enumerated() { order[range.lowerBound + offset] = key.index }
    }

    @inline(__always)
    static func sortBucket(_ keys: inout [Key], _ range: Range<Int>) {
        if range.count > insertionLimit {
            keys.withUnsafeMutableBufferPointer { $0[range].sort() }  // in place: a slice of the array would be copied back
            return
        }
        for i in (range.lowerBound + 1)..<range.upperBound {
            let k = keys[i]
            var j = i
            while j > range.lowerBound, k < keys[j - 1] {
                keys[j] = keys[j - 1]
                j -= 1
            }
            keys[j] = k
        }
    }

    /// `bars` in replay order (a copy).
    static func sorted(_ bars: [Bar], ranks: [UInt32]) -> [Bar] {
        guard let order = order(bars, ranks: ranks) else { return bars }
        return order.keys.map { bars[Int($0.index)] }
    }

    struct Key: Comparable {
        var start: Int64
        var rank: UInt32
        var index: UInt32

        @inline(__always) static func < (a: Key, b: Key) -> Bool {
            if a.start != b.start { return a.start < b.start }
            if a.rank != b.rank { return a.rank < b.rank }
            return a.index < b.index
        }
    }
}
