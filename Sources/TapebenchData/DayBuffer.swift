#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One day of a flat file's kept bars, taken in file order (a ticker's whole day, then the next ticker's)
/// and handed out in replay order, (start, ticker rank), ties in the order given.
///
/// A small day stays in memory and is sorted there. A day larger than `memoryCapacity` bars goes to an
/// unnamed temporary file (`SpillFile`) as it is read, and is merged back from it: the bars arrive as
/// runs already in replay order (each ticker's day is in time order), so the merge takes the head of each
/// run from a heap, each run read through a small fixed buffer. Memory is then `memoryCapacity` bars plus a
/// few dozen bytes and a small buffer per run, whatever the number of tickers: a day of 2,000 tickers no
/// longer costs 50 MB.
struct DayBuffer {
    /// Bars kept in memory (64 bytes each): 32 Ki, 2 MiB. A day with more is spilled.
    static let defaultMemoryCapacity = 1 << 15
    /// Runs the merge takes at most; a day cut into more (bars far out of order, kept by the policy) is read
    /// back and sorted in memory, as before the spill file existed.
    static let defaultMaxRuns = 1 << 16

    let memoryCapacity: Int
    let maxRuns: Int
    /// The folder of the temporary file (nil: `$TMPDIR`, else `/tmp`).
    let folder: String?

    /// The day in memory, or (once spilling) the bars not yet written.
    private var bars: [DayBar] = []
    private var spill: SpillFile?
    private var written = 0
    /// Record indices where each run of bars in replay order starts (the first run starts at 0).
    private var runStarts: [Int] = []
    private var tooManyRuns = false
    private var count = 0
    private var last: (start: Int64, ticker: UInt32) = (0, 0)
    /// The earliest and latest start of the day (for the check that day files do not overlap).
    private(set) var firstStart = Int64.max
    private(set) var lastStart = Int64.min

    // Handing out: the memory path's order and gathered bars, or the merge.
    private var order: ReplaySort.Order?
    private var position = 0
    /// The next bars in replay order, copied from `bars` a few thousand at a time: the replay order jumps
    /// across the day's bars, and a tight loop of such reads overlaps their cache misses where one read per
    /// `next()` waits for each.
    private var gathered: [DayBar] = []
    private var gatheredPosition = 0
    static let gatherSize = 2_048
    private var merge: DaySpillMerge?

    init(memoryCapacity: Int = DayBuffer.defaultMemoryCapacity, maxRuns: Int = DayBuffer.defaultMaxRuns, folder: String? = nil) {
        self.memoryCapacity = max(1, memoryCapacity)
        self.maxRuns = max(1, maxRuns)
        self.folder = folder
    }

    /// Bars taken since the last `reset`.
    var isEmpty: Bool { count == 0 }
    /// Whether this day went to the temporary file.
    var spilled: Bool { written > 0 }

    /// Starts a new day (the temporary file, if any, is kept and written over).
    mutating func reset() {
        // A day read back whole (too many runs) does not keep its memory for the next.
        if bars.capacity > 2 * memoryCapacity { bars = [] } else { bars.removeAll(keepingCapacity: true) }
        written = 0
        runStarts.removeAll(keepingCapacity: true)
        tooManyRuns = false
        count = 0
        firstStart = .max
        lastStart = .min
        order = nil
        position = 0
        gathered.removeAll(keepingCapacity: true)
        gatheredPosition = 0
        merge = nil
    }

    /// Takes the next bar in file order. `before(a, b)` tells whether ticker id `a` sorts before `b` by
    /// name; it is asked only when two tickers' bars meet at the same minute.
    @inline(__always)
    mutating func append(_ bar: DayBar, before: (UInt32, UInt32) -> Bool) throws {
        // A run goes on while the (start, rank) key does not decrease.
        if count == 0 || !(bar.start > last.start || (bar.start == last.start && (bar.ticker == last.ticker || before(last.ticker, bar.ticker)))) {
            if runStarts.count < maxRuns { runStarts.append(count) } else { tooManyRuns = true }
        }
        last = (bar.start, bar.ticker)
        firstStart = min(firstStart, bar.start)
        lastStart = max(lastStart, bar.start)
        count += 1
        bars.append(bar)
        if bars.count >= memoryCapacity { try writeOut() }
    }

    /// Ends the day: the bars are ready to be handed out. `ranks[id]` is a ticker's place in name order.
    mutating func finish(ranks: [UInt32]) throws {
        position = 0
        if written == 0 {
            order = ReplaySort.order(bars, ranks: ranks)
            return
        }
        if !bars.isEmpty { try writeOut() }
        if tooManyRuns {
            // Pathological order: read the day back and sort it in memory.
            bars = try spill!.read(records: 0..<written)
            written = 0
            order = ReplaySort.order(bars, ranks: ranks)
            return
        }
        var runs: [Range<Int>] = []
        runs.reserveCapacity(runStarts.count)
        for (i, start) in runStarts.enumerated() { runs.append(start..<(i + 1 < runStarts.count ? runStarts[i + 1] : count)) }
        merge = try DaySpillMerge(file: spill!, runs: runs, ranks: ranks)
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

    private mutating func writeOut() throws {
        if spill == nil { spill = SpillFile(descriptor: try SpillSorter.temporaryFile(in: folder)) }
        try spill!.write(bars, at: written)
        written += bars.count
        bars.removeAll(keepingCapacity: true)
    }
}
