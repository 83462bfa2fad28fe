import Testing
import TapebenchCore
@testable import TapebenchData

/// The day's reorder by minute buckets (`ReplaySort.byMinute`) gives exactly the order of the comparison
/// sort it replaced: (start, ticker rank), ties in the order given.
@Suite struct ReplaySortTests {
    static let open: Int64 = 1_710_163_800_000_000_000
    static let minute = Timestamp.nanosecondsPerMinute

    static func bar(_ start: Int64, _ ticker: UInt32, _ tag: Int64) -> DayBar {
        DayBar(start: start, open: tag, high: 2, low: 1, close: 2, volume: 1, tradeCount: 0, ticker: ticker, hasTradeCount: false)
    }

    /// The order as the old code made it: every key, one comparison sort.
    static func reference(_ bars: [DayBar], _ ranks: [UInt32]) -> [Int]? {
        let keys = bars.indices.map { ReplaySort.Key(start: bars[$0].start, rank: ranks[Int(bars[$0].ticker)], index: UInt32($0)) }
        let sorted = keys.sorted()
        return sorted == keys ? nil : sorted.map { Int($0.index) }
    }

    static func order(_ bars: [DayBar], _ ranks: [UInt32]) -> [Int]? {
        ReplaySort.order(bars, ranks: ranks).map { order in bars.indices.map { order.index($0) } }
    }

    @Test("by hand: two tickers listed ticker-major, a duplicate minute, a bar out of order and a second off the minute")
    func byHand() {
        // Ranks: id 0 is "B" (rank 1), id 1 is "A" (rank 0); the file lists B first.
        let ranks: [UInt32] = [1, 0]
        let bars = [
            Self.bar(Self.open, 0, 0),                     // B 09:30
            Self.bar(Self.open + Self.minute, 0, 1),       // B 09:31
            Self.bar(Self.open + Self.minute, 0, 2),       // B 09:31 again (a duplicate kept)
            Self.bar(Self.open, 1, 3),                     // A 09:30
            Self.bar(Self.open + 2 * Self.minute, 1, 4),   // A 09:32
            Self.bar(Self.open + Self.minute + 1, 1, 5),   // A 09:31:00.000000001, out of order
        ]
        // 09:30 A, B; 09:31 B, B (in the order given); 09:31 + 1 ns A; 09:32 A.
        #expect(Self.order(bars, ranks) == [3, 0, 1, 2, 5, 4])
        #expect(Self.order(bars, ranks) == Self.reference(bars, ranks))
        #expect(ReplaySort.order(Array(bars[0..<3]), ranks: ranks) == nil)  // in order already: no keys made
    }

    /// A seeded day: duplicates, bars out of order, unsorted ids, crowded minutes, some days spanning days.
    static func seededDay(seed: UInt64) -> (bars: [DayBar], ranks: [UInt32]) {
        var rng = SplitMix64(seed: seed)
        let tickers = 1 + Int(rng.next() % 80)
        var ranks = (0..<tickers).map(UInt32.init)
        ranks.shuffle(using: &rng)
        // Listed ticker after ticker, by name (rank) for most seeds, in id order for some.
        let listing = seed % 5 == 0 ? Array(0..<tickers) : (0..<tickers).sorted { ranks[$0] < ranks[$1] }
        // Some days crowd many bars into few minutes (buckets past the insertion limit); some span days.
        let step: Int64 = seed % 7 == 0 ? 0 : (seed % 11 == 0 ? 600 * Self.minute : Self.minute)
        var bars: [DayBar] = []
        for id in listing {
            var start = Self.open + Int64(rng.next() % 30) * Self.minute
            for _ in 0..<Int(rng.next() % 120) {
                bars.append(Self.bar(start, UInt32(id), Int64(bars.count)))
                switch rng.next() % 25 {
                case 0: continue                                              // a duplicate of the minute
                case 1: start -= 3 * Self.minute                              // out of order
                case 2: start += Int64(rng.next() % 59_000_000_000)           // off the minute
                default: start += step * Int64(1 + rng.next() % 3)
                }
            }
        }
        // Most days end with each ticker's held-back last bar, ticker after ticker, as the validator passes them on.
        if seed % 3 != 0 {
            for id in listing where rng.next() % 4 != 0 {
                bars.append(Self.bar(Self.open + Int64(70 + rng.next() % 3) * Self.minute, UInt32(id), Int64(bars.count)))
            }
        }
        return (bars, ranks)
    }

    @Test("seeded days with duplicates, bars out of order, unsorted ids and crowded minutes: the comparison sort's order",
          arguments: 0..<60)
    func seededDays(seed: UInt64) {
        let (bars, ranks) = Self.seededDay(seed: seed)
        #expect(Self.order(bars, ranks) == Self.reference(bars, ranks))
    }

    @Test("a chunk ordered by minute (positions counted into their minutes, a minute sorted by its keys only when its bars came out of order) is the comparison sort's order",
          arguments: 0..<60)
    func orderedByMinute(seed: UInt64) {
        let (bars, ranks) = Self.seededDay(seed: seed)
        var scratch = ReplaySort.Scratch()
        // Left over from another chunk, as the day buffer keeps it: made anew, not appended to.
        var order: [UInt32] = [7, 7, 7]
        let ordered = bars.withUnsafeBufferPointer { ReplaySort.orderByMinute($0, ranks: ranks, into: &order, scratch: &scratch) }
        let expected = (Self.reference(bars, ranks) ?? Array(bars.indices)).map { bars[$0].open }
        let span = (bars.map(\.start).max() ?? 0) - (bars.map(\.start).min() ?? 0)
        // Only days spanning more minutes than twice their bars plus a day are left to the comparison sort.
        #expect(ordered == (span / Self.minute < Int64(2 * bars.count + 1_440)), "seed \(seed)")
        if ordered { #expect(order.map { bars[Int($0)].open } == expected, "seed \(seed)") }
    }

    @Test("starts far apart (not a day of minute bars) and at the ends of Int64 fall back to the comparison sort")
    func wideSpans() {
        let ranks: [UInt32] = [0, 1]
        let spread = [Self.bar(Self.open + 10_000 * Self.minute, 0, 0), Self.bar(Self.open, 1, 1), Self.bar(Self.open, 0, 2)]
        #expect(Self.order(spread, ranks) == [2, 1, 0])
        let keys = spread.indices.map { ReplaySort.Key(start: spread[$0].start, rank: ranks[Int(spread[$0].ticker)], index: UInt32($0)) }
        #expect(ReplaySort.byMinute(keys, low: Self.open, high: Self.open + 10_000 * Self.minute) == nil)
        let extremes = [Self.bar(.max, 0, 0), Self.bar(.min, 1, 1)]
        #expect(Self.order(extremes, ranks) == [1, 0])
        #expect(ReplaySort.byMinute([], low: .min, high: .max) == nil)
    }
}
