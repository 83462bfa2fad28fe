#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore

/// One day of a flat file's kept bars, taken in file order (a ticker's whole day, then the next ticker's)
/// and handed out in replay order, (start, ticker rank), ties in the order given.
///
/// A small day stays in memory and is sorted there. A larger day is cut into chunks of `memoryCapacity`
/// bars as it is read; each chunk is sorted in memory (by small keys, as a small day is) and written to an
/// unnamed temporary file (`SpillFile`), and the sorted chunks are merged back (`DaySpillMerge`), each read
/// through a small fixed buffer. Ties go to the earlier chunk, so the order is that of one stable sort of
/// the day. Memory is one chunk plus 1 MiB of read buffers, whatever the number of tickers: a day of 2,000
/// tickers no longer costs 50 MB. (Merging per-ticker runs instead, hundreds of them, cost twice the CPU.)
struct DayBuffer {
    /// Bars kept in memory (64 bytes each): 16 Ki, 1 MiB, about 40 tickers' regular hours. A day with
    /// more is spilled.
    static let defaultMemoryCapacity = 1 << 14

    let memoryCapacity: Int
    /// The folder of the temporary file (nil: `$TMPDIR`, else `/tmp`).
    let folder: String?

    /// The day in memory, or (once spilling) the chunk being filled.
    private let chunk = DayBarChunk()
    /// The chunk's bars (valid until the next `append`, `writeOut` or `reset`).
    private var bars: UnsafeBufferPointer<DayBar> { chunk.bars }
    private var spill: SpillFile?
    private var written = 0
    /// The sorted chunks in the file, as record ranges.
    private var runs: [Range<Int>] = []
    /// Each run's tickers of the lowest and the highest rank (ids: their order holds as the table grows).
    private var runTickers: [(lowest: UInt32, highest: UInt32)] = []
    /// The first run of the bars held back to the end of the file (`startHeldBack`), nil before.
    private var heldBackRun: Int?
    private var count = 0
    /// The earliest and latest start of the day (for the check that day files do not overlap).
    private(set) var firstStart = Int64.max
    private(set) var lastStart = Int64.min

    // Handing out: the memory path's order and gathered bars, or the merge.
    private var order: ReplaySort.Order?
    private var position = 0
    /// The next bars in replay order, copied from `bars` a few thousand at a time: the replay order jumps
    /// across the day's bars, and a tight loop of such reads overlaps their cache misses where one read per
    /// `next()` waits for each. (A sorted chunk is written in pieces gathered the same way: `writeGathered`.)
    private var gathered: [DayBar] = []
    private var gatheredPosition = 0
    static let gatherSize = 2_048
    private var merge: DaySpillMerge?
    /// A chunk's replay order as it is written (positions, `ReplaySort.orderByMinute`), and that sort's
    /// scratch: kept from chunk to chunk, so that writing one allocates nothing.
    private var chunkOrder: [UInt32] = []
    private var sortScratch = ReplaySort.Scratch()

    init(memoryCapacity: Int = DayBuffer.defaultMemoryCapacity, folder: String? = nil) {
        self.memoryCapacity = max(1, memoryCapacity)
        self.folder = folder
    }

    /// Bars taken since the last `reset`.
    var isEmpty: Bool { count == 0 }
    /// Whether this day went to the temporary file.
    var spilled: Bool { written > 0 }
    /// Whether the spilled day's runs are merged in ticker order, without the heap (tests).
    var mergesInTickerOrder: Bool { merge?.isTickerOrdered ?? false }

    /// Starts a new day (the temporary file, if any, is kept and written over).
    mutating func reset() {
        chunk.removeAll()
        written = 0
        runs.removeAll(keepingCapacity: true)
        runTickers.removeAll(keepingCapacity: true)
        heldBackRun = nil
        count = 0
        firstStart = .max
        lastStart = .min
        order = nil
        position = 0
        gathered.removeAll(keepingCapacity: true)
        gatheredPosition = 0
        merge = nil
    }

    /// Takes the next bar in file order. `ranks()` gives each ticker id's place in name order so far; it is
    /// asked once per chunk (the order of two names never changes as a table grows, so chunks sorted with
    /// an earlier table merge rightly with the day's final ranks).
    @inline(__always)
    mutating func append(_ bar: DayBar, ranks: () -> [UInt32]) throws {
        firstStart = min(firstStart, bar.start)
        lastStart = max(lastStart, bar.start)
        count += 1
        chunk.append(bar)
        if chunk.count >= memoryCapacity { try writeOut(ranks: ranks()) }
    }

    /// The bars taken from now on are the ones the validator held back to the end of the file (each
    /// ticker's last), listed ticker after ticker again: a spilled day puts them in runs of their own, so that
    /// the runs before keep the file's order of tickers (`finish`).
    mutating func startHeldBack(ranks: () -> [UInt32]) throws {
        if written > 0, !bars.isEmpty { try writeOut(ranks: ranks()) }
        heldBackRun = runs.count
    }

    /// Ends the day: the bars are ready to be handed out. `ranks[id]` is a ticker's place in name order.
    mutating func finish(ranks: [UInt32]) throws {
        position = 0
        if written == 0 {
            order = ReplaySort.order(bars, ranks: ranks)
            return
        }
        if !bars.isEmpty { try writeOut(ranks: ranks) }
        merge = try DaySpillMerge(file: spill!, runs: runs, ranks: ranks, tickerOrderedRuns: tickerOrderedRuns(ranks))
    }

    /// How many runs from the first hold tickers in rank order run after run (every ticker of a run ranks at or
    /// before every ticker of the next: a file listed by ticker name, cut into chunks), when at most one run
    /// follows them; else 0. The merge takes such runs one after another for each start, without its heap.
    private func tickerOrderedRuns(_ ranks: [UInt32]) -> Int {
        let ordered = heldBackRun ?? runs.count
        guard ordered > 0, runs.count - ordered <= 1 else { return 0 }
        for run in 1..<ordered where ranks[Int(runTickers[run - 1].highest)] > ranks[Int(runTickers[run].lowest)] { return 0 }
        return ordered
    }

    /// The next bar in replay order, nil at the end of the day.
    @inline(__always)
    mutating func next() throws -> DayBar? {
        if let merge { return try merge.next() }
        guard position < bars.count else { return nil }
        defer { position += 1 }
        guard let order else { return bars[position] }
        if gatheredPosition == gathered.count {
            gathered.removeAll(keepingCapacity: true)
            for index in position..<min(position + Self.gatherSize, bars.count) { gathered.append(bars[order.index(index)]) }
            gatheredPosition = 0
        }
        defer { gatheredPosition += 1 }
        return gathered[gatheredPosition]
    }

    /// Up to `count` of the day's next bars in replay order, made as `Bar`s in place at `base` (`tickers`
    /// names their ids): how many, 0 at the end of the day. Nil when the day was spilled: its merge hands
    /// them out (`takeMerged`). One tight loop over the order, each bar read where it lies (the
    /// reads overlap their cache misses as `gathered` has them), without a `DayBar?` returned per bar.
    mutating func take(into base: UnsafeMutablePointer<Bar>, count: Int, tickers: TickerTable) -> Int? {
        guard merge == nil else { return nil }
        let taken = min(count, bars.count - position)
        guard taken > 0 else { return 0 }
        let first = position
        let bars = self.bars
        if let order {
            order.keys.withUnsafeBufferPointer { keys in
                for k in 0..<taken { (base + k).initialize(to: bars[Int(keys[first + k].index)].bar(tickers)) }
            }
        } else {
            for k in 0..<taken { (base + k).initialize(to: bars[first + k].bar(tickers)) }
        }
        position += taken
        // `next()` goes on from `position`: what it gathered before is behind.
        gathered.removeAll(keepingCapacity: true)
        gatheredPosition = 0
        return taken
    }

    /// For a spilled day (`take` gave nil): up to `count` of its next bars from the merge, made as `Bar`s in
    /// place at `base`; `taken` counts those made, also when a read of the temporary file throws after some.
    /// Fewer than `count`: the day has ended. The merge is held once for the loop, not retained and released
    /// for each bar as `next()` does, and hands out the bars that lie together in a run's buffer at once.
    mutating func takeMerged(into base: UnsafeMutablePointer<Bar>, count: Int, tickers: TickerTable, taken: inout Int) throws {
        guard let merge else { return }
        while taken < count {
            let bars = try merge.nextBars(limit: count - taken)
            if bars.isEmpty { return }
            for bar in bars {
                (base + taken).initialize(to: bar.bar(tickers))
                taken += 1
            }
        }
    }

    /// The tickers of the lowest and the highest rank among `bars` (not empty).
    private static func rankBounds(_ bars: UnsafeBufferPointer<DayBar>, _ ranks: [UInt32]) -> (lowest: UInt32, highest: UInt32) {
        var lowest = bars[0].ticker, highest = bars[0].ticker
        var low = ranks[Int(lowest)], high = low
        for bar in bars {
            let rank = ranks[Int(bar.ticker)]
            if rank < low { (low, lowest) = (rank, bar.ticker) }
            if rank > high { (high, highest) = (rank, bar.ticker) }
        }
        return (lowest, highest)
    }

    /// Sorts the chunk in memory and writes it to the file as one run.
    private mutating func writeOut(ranks: [UInt32]) throws {
        if spill == nil { spill = SpillFile(descriptor: try SpillSorter.temporaryFile(in: folder)) }
        let file = spill!
        // The chunk's order by a counting sort of positions, the keys' sort only when that cannot be done; the
        // bars gathered in that order a piece at a time and written.
        let ordered = ReplaySort.orderByMinute(bars, ranks: ranks, into: &chunkOrder, scratch: &sortScratch)
        if ordered {
            try writeGathered(chunkOrder, to: file)
        } else if let order = ReplaySort.order(bars, ranks: ranks) {
            chunkOrder.removeAll(keepingCapacity: true)
            chunkOrder.append(contentsOf: order.keys.lazy.map(\.index))
            try writeGathered(chunkOrder, to: file)
        } else {
            try file.write(bars, at: written)
        }
        runs.append(written..<(written + bars.count))
        runTickers.append(Self.rankBounds(bars, ranks))
        written += bars.count
        chunk.removeAll()
    }

    /// Writes the chunk's bars in `order` (positions in `bars`) at the end of the file, `gatherSize` at a time:
    /// each piece is gathered by reads that overlap their cache misses, and written with one call while it is
    /// still in the cache.
    private mutating func writeGathered(_ order: [UInt32], to file: SpillFile) throws {
        let piece = chunk.gatherSpace(Self.gatherSize)
        let bars = self.bars
        try order.withUnsafeBufferPointer { order in
            var done = 0
            while done < order.count {
                let count = min(Self.gatherSize, order.count - done)
                // A plain loop of loads and stores: gathered by an array's append of a lazy map, each bar went
                // through a closure call (0.23 G instructions on 500 tickers × 26 days, against 0.06 G).
                for k in 0..<count { (piece + k).initialize(to: bars[Int(order[done + k])]) }
                try file.write(UnsafeBufferPointer(start: piece, count: count), at: written + done)
                done += count
            }
        }
    }
}

/// The bars a day buffer holds in memory: appended one at a time by the validator's every kept bar, so without
/// an array's checks of its storage per bar (the uniqueness of its buffer, its capacity through the array).
/// A class, so that `DayBuffer` can stay a value its stream mutates in place; one buffer per `DayBuffer`, which
/// is not copied while in use (its spill file and merge are shared references already).
final class DayBarChunk {
    // Each access a single read or change, by the one thread reading the day: no run-time exclusivity check.
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<DayBar>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var gatherBase: UnsafeMutablePointer<DayBar>?
    @exclusivity(unchecked) private var gatherCapacity = 0

    init() {
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    deinit {
        // DayBar is plain values: nothing to deinitialize.
        base.deallocate()
        gatherBase?.deallocate()
    }

    var bars: UnsafeBufferPointer<DayBar> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    func append(_ bar: DayBar) {
        if count == capacity { grow() }
        (base + count).initialize(to: bar)
        count += 1
    }

    func removeAll() { count = 0 }

    /// Room for `count` bars (at most, each time, the same `count`) into which a sorted chunk is gathered
    /// before it is written: made on the first chunk written, so that a day that is never spilled, and the
    /// stand-in of an idle stream, do not have it.
    func gatherSpace(_ count: Int) -> UnsafeMutablePointer<DayBar> {
        if let gatherBase, gatherCapacity >= count { return gatherBase }
        gatherBase?.deallocate()
        let made = UnsafeMutablePointer<DayBar>.allocate(capacity: count)
        (gatherBase, gatherCapacity) = (made, count)
        return made
    }

    @inline(never)
    private func grow() {
        let larger = UnsafeMutablePointer<DayBar>.allocate(capacity: 2 * capacity)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }
}
