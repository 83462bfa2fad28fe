#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore

/// Merges the sorted chunks ("runs") of a spilled day (`DayBuffer`) into replay order: a binary heap of the
/// runs' head keys (start, ticker rank, run), each run read with `pread` into its own slice of one fixed
/// buffer. Ties go to the earlier run, and a run keeps its own order, so the result is that of one stable
/// sort of the day.
///
/// A day listed by ticker name and cut into chunks has runs whose tickers rank run after run: for each start,
/// the runs' bars of that start one run after another are already in order, and those runs are merged so,
/// without the heap ("ticker-ordered" runs). At most one run may follow them (the bars the validator held
/// back to the end of the file): it is merged with them by key.
///
/// Memory: 512 KiB of buffers shared by the runs (at least 4 bars each, at most 4,096), plus 48 bytes per
/// run; nothing is allocated per bar or per read. With two runs of 4,096 bars or more (a day of 50 tickers)
/// the budget is full already, so a day of 500 tickers costs no more (1 MiB had let the buffers double
/// between the two); a read of a few hundred bars still amortises its `pread`.
final class DaySpillMerge {
    /// Bytes of read buffers shared by the runs.
    static let bufferBudget = 1 << 19
    /// 4: the budget holds 2,048 runs (a day of 32 M bars in chunks of 16 Ki).
    static let minimumPerRun = 4
    static let maximumPerRun = 4_096

    private let file: SpillFile
    private let ranks: [UInt32]
    private let slab: UnsafeMutablePointer<DayBar>
    private let cursors: UnsafeMutablePointer<Cursor>
    private let runCount: Int
    /// Each run's next bar as a replay-order key whose index is the run: ties go to the earlier run, as in
    /// one stable sort of the day.
    private let heap: UnsafeMutablePointer<ReplaySort.Key>
    /// The bar `nextBars` hands out under the heap (its run's buffer may be read over before the caller
    /// copies it).
    private let single: UnsafeMutablePointer<DayBar>
    private var heapCount = 0
    /// The ticker-ordered runs come first, `0..<orderedRuns` (0: the heap merges every run); the run after
    /// them, if any, is `tailRun`.
    private let orderedRuns: Int
    private let tailRun: Int?
    /// Whether the ordered runs are merged without the heap.
    var isTickerOrdered: Bool { orderedRuns > 0 }
    /// The start being handed out from the ordered runs, and the run whose bars of it come next.
    private var currentStart = Int64.min
    private var currentRun = 0
    /// Bars the runs' buffers hold together.
    let bufferedRecords: Int

    struct Cursor {
        /// Record index in the file of the next record not yet read, and the end of the run.
        var next: Int
        let end: Int
        /// The run's slice of the slab: `base..<base + capacity`, of which `position..<count` is unread.
        let base: Int
        let capacity: Int
        var position = 0
        var count = 0
    }


    /// `runs` are record ranges of `file`, each in replay order, together in the order they were written;
    /// the first `tickerOrderedRuns` of them are ticker-ordered, and at most one run follows them (else pass 0).
    init(file: SpillFile, runs: [Range<Int>], ranks: [UInt32], tickerOrderedRuns: Int = 0) throws {
        self.file = file
        self.ranks = ranks
        runCount = runs.count
        precondition(tickerOrderedRuns == 0 || (tickerOrderedRuns <= runs.count && runs.count - tickerOrderedRuns <= 1))
        orderedRuns = tickerOrderedRuns
        tailRun = tickerOrderedRuns > 0 && tickerOrderedRuns < runs.count ? tickerOrderedRuns : nil
        let perRun = min(max(Self.bufferBudget / MemoryLayout<DayBar>.stride / max(1, runs.count), Self.minimumPerRun), Self.maximumPerRun)
        var total = 0
        for run in runs { total += min(run.count, perRun) }
        bufferedRecords = total
        slab = .allocate(capacity: max(1, total))
        cursors = .allocate(capacity: max(1, runs.count))
        heap = .allocate(capacity: max(1, runs.count))
        single = .allocate(capacity: 1)
        var base = 0
        for (index, run) in runs.enumerated() {
            let capacity = min(run.count, perRun)
            (cursors + index).initialize(to: Cursor(next: run.lowerBound, end: run.upperBound, base: base, capacity: capacity))
            base += capacity
        }
        if orderedRuns > 0 {
            for run in 0..<runCount { _ = try refill(run) }
            currentRun = orderedRuns  // the first call finds the first start
        } else {
            for run in 0..<runCount where try refill(run) { push(head(of: run)) }
        }
    }

    deinit {
        slab.deallocate()
        cursors.deinitialize(count: runCount)
        cursors.deallocate()
        heap.deallocate()
        single.deallocate()
    }

    /// The next bar in replay order, nil when every run is done.
    @inline(__always)
    func next() throws -> DayBar? {
        if orderedRuns > 0 { return try nextBars(limit: 1).first }
        guard heapCount > 0 else { return nil }
        let run = Int(heap[0].index)
        let cursor = cursors + run
        let bar = slab[cursor.pointee.base + cursor.pointee.position]
        cursor.pointee.position += 1
        if try cursor.pointee.position < cursor.pointee.count || refill(run) {
            heap[0] = head(of: run)
        } else {
            heapCount -= 1
            heap[0] = heap[heapCount]
        }
        siftDown()
        return bar
    }

    /// The next bars in replay order, at most `limit` (at least 1), moved past: under ticker-ordered runs,
    /// a start's bars of one run (as they lie in its buffer) when no bar of the tail run goes among them; one
    /// bar otherwise. Empty when every run is done. Valid until the next call.
    @inline(__always)
    func nextBars(limit: Int) throws -> UnsafeBufferPointer<DayBar> {
        guard orderedRuns > 0 else {
            guard let bar = try next() else { return UnsafeBufferPointer(start: nil, count: 0) }
            single.pointee = bar
            return UnsafeBufferPointer(start: single, count: 1)
        }
        guard let run = try nextOrderedRun() else {
            // The ordered runs are done: the rest of the tail run is in order, as its buffer holds it.
            guard let tailRun, try hasBar(tailRun) else { return UnsafeBufferPointer(start: nil, count: 0) }
            return takeBlock(from: tailRun, limit: limit) { _ in true }
        }
        if let tailRun, try hasBar(tailRun) {
            let tail = head(of: tailRun)
            if tail.start == currentStart {
                let bar = slab[cursors[run].base + cursors[run].position]
                return takeBlock(from: tail.rank >= ranks[Int(bar.ticker)] ? run : tailRun, limit: 1) { _ in true }
            }
            // A tail bar of an earlier start than the ordered runs' comes first; a later one after this start's.
            if tail.start < currentStart { return takeBlock(from: tailRun, limit: 1) { _ in true } }
        }
        let start = currentStart
        return takeBlock(from: run, limit: limit) { $0.start == start }
    }

    /// The run's next bars while `belongs` holds, at most `limit` and at least 1 (the run has a bar, and its
    /// head belongs), as far as its buffer holds them; moved past.
    @inline(__always)
    private func takeBlock(from run: Int, limit: Int, while belongs: (DayBar) -> Bool) -> UnsafeBufferPointer<DayBar> {
        let cursor = cursors + run
        let first = slab + cursor.pointee.base + cursor.pointee.position
        let end = min(cursor.pointee.count - cursor.pointee.position, limit)
        var taken = 1
        while taken < end, belongs(first[taken]) { taken += 1 }
        cursor.pointee.position += taken
        return UnsafeBufferPointer(start: first, count: taken)
    }

    /// The ordered run whose head comes next (`currentRun`, moved on as runs and starts are done); nil when
    /// every ordered run is done.
    @inline(__always)
    private func nextOrderedRun() throws -> Int? {
        while true {
            while currentRun < orderedRuns {
                if try hasBar(currentRun), slab[cursors[currentRun].base + cursors[currentRun].position].start == currentStart { return currentRun }
                currentRun += 1
            }
            // Every run is past `currentStart`: the next start is the least of their heads'.
            var least: Int64?
            for run in 0..<orderedRuns where try hasBar(run) {
                let start = slab[cursors[run].base + cursors[run].position].start
                if least.map({ start < $0 }) ?? true { least = start }
            }
            guard let least else { return nil }
            currentStart = least
            currentRun = 0
        }
    }

    /// Whether the run has a bar left, read into its buffer.
    @inline(__always)
    private func hasBar(_ run: Int) throws -> Bool {
        try cursors[run].position < cursors[run].count || refill(run)
    }

    @inline(__always)
    private func head(of run: Int) -> ReplaySort.Key {
        let cursor = cursors[run]
        let bar = slab[cursor.base + cursor.position]
        return ReplaySort.Key(start: bar.start, rank: ranks[Int(bar.ticker)], index: UInt32(run))
    }

    /// Reads the run's next records into its slice; false when it has none left.
    private func refill(_ run: Int) throws -> Bool {
        let cursor = cursors + run
        let count = min(cursor.pointee.capacity, cursor.pointee.end - cursor.pointee.next)
        guard count > 0 else { return false }
        try file.read(into: slab + cursor.pointee.base, records: cursor.pointee.next..<(cursor.pointee.next + count))
        cursor.pointee.next += count
        cursor.pointee.position = 0
        cursor.pointee.count = count
        return true
    }

    private func push(_ item: ReplaySort.Key) {
        var child = heapCount
        heapCount += 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard item < heap[parent] else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = item
    }

    @inline(__always)
    private func siftDown() {
        guard heapCount > 1 else { return }
        let item = heap[0]
        var parent = 0
        while true {
            var child = 2 * parent + 1
            guard child < heapCount else { break }
            if child + 1 < heapCount, heap[child + 1] < heap[child] { child += 1 }
            guard heap[child] < item else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = item
    }
}

// MARK: - The temporary file's records

extension SpillFile {
    /// Writes `records` as record `index`, `index + 1`, … of the file.
    func write(_ records: [DayBar], at index: Int) throws {
        try records.withUnsafeBufferPointer { try write($0, at: index) }
    }

    /// Writes `records` as record `index`, `index + 1`, … of the file.
    func write(_ records: UnsafeBufferPointer<DayBar>, at index: Int) throws {
        let stride = MemoryLayout<DayBar>.stride
        let bytes = UnsafeRawBufferPointer(records)
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, base + done, bytes.count - done, off_t(index * stride + done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw SpillSorter.failure("cannot write the temporary file of a day's bars") }
            done += n
        }
    }

    /// Reads records `records` of the file into `buffer`.
    func read(into buffer: UnsafeMutablePointer<DayBar>, records: Range<Int>) throws {
        let stride = MemoryLayout<DayBar>.stride
        let raw = UnsafeMutableRawPointer(buffer)
        let total = records.count * stride
        var done = 0
        while done < total {
            let n = pread(descriptor, raw + done, total - done, off_t(records.lowerBound * stride + done))
            if n < 0, errno == EINTR { continue }
            if n == 0 { throw InputError(file: "(temporary file)", message: "cannot read the temporary file of a day's bars back: it ends early") }
            guard n > 0 else { throw SpillSorter.failure("cannot read the temporary file of a day's bars back") }
            done += n
        }
    }

    /// Records `records` of the file as an array.
    func read(records: Range<Int>) throws -> [DayBar] {
        try [DayBar](unsafeUninitializedCapacity: records.count) { buffer, initialized in
            if let base = buffer.baseAddress { try read(into: base, records: records) }
            initialized = records.count
        }
    }
}
