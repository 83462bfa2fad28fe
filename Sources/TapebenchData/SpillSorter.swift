#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TapebenchCore

/// Puts any number of bars into replay order in bounded memory: bars are gathered into runs of at most
/// `runCapacity`; a full run is sorted and written to a temporary file, and the runs are then merged
/// k-way, each read through a small buffer. Memory is one run plus a buffer per run, whatever the count of
/// bars; a selection that fits in one run never touches the disk.
///
/// The order is (start, ticker), ties in the order the bars were added: a run is sorted stably and the
/// merge takes the earlier run first, so the result is that of one stable sort of everything.
///
/// Why this and not another design: an archive (tar.gz) decompresses front to back, and its members
/// (one per ticker, each in its own time order) must be interleaved by time; reading it once per pass, or
/// seeking to members, costs a decompression of everything before each member (zip could seek, tar.gz
/// cannot), so bounded memory for every kind of bundle means spilling.
///
/// The temporary file is created in `$TMPDIR` (or `/tmp`) and unlinked at once: it has no name, nothing is
/// left behind by a crash, and nothing of the user's can be overwritten.
public struct SpillSorter {
    /// Bars per run: 128 Ki bars are ~15 MB in memory (and 10 MB more while a run is written).
    public static let defaultRunCapacity = 1 << 17
    /// Records read at a time from each run while merging.
    static let readAhead = 1024

    let runCapacity: Int
    private var pending: [Bar] = []
    private var runs: [Range<Int>] = []  // record indices in the file
    private var file: SpillFile?
    private var written = 0

    init(runCapacity: Int = SpillSorter.defaultRunCapacity) {
        self.runCapacity = max(1, runCapacity)
    }

    /// Runs written to disk so far.
    var spilledRuns: Int { runs.count }

    mutating func append(_ bar: Bar, table: TickerTable) throws {
        pending.append(bar)
        if pending.count >= runCapacity { try spill(table) }
    }

    /// The bars in replay order: in memory when they fit one run, else merged from the file.
    mutating func finish(table: TickerTable) throws -> BarSequence {
        let ranks = table.sortedOrder()
        if runs.isEmpty { return .memory(ReplaySort.sorted(pending, ranks: ranks)) }
        if !pending.isEmpty { try spill(table) }
        pending = []
        return .merge(try RunMerger(file: file!, runs: runs, ranks: ranks, names: table.names))
    }

    private mutating func spill(_ table: TickerTable) throws {
        if file == nil { file = SpillFile(descriptor: try SpillSorter.temporaryFile()) }
        let descriptor = file!.descriptor
        let records: [SpillRecord]
        if let order = ReplaySort.order(pending, ranks: table.sortedOrder()) {
            records = order.keys.map { SpillRecord(pending[Int($0.index)]) }
        } else {
            records = pending.map(SpillRecord.init)
        }
        try records.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = pwrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset, off_t(written * MemoryLayout<SpillRecord>.stride + offset))
                guard n > 0 else { throw SpillSorter.failure("cannot write the temporary file of sorted bars") }
                offset += n
            }
        }
        runs.append(written..<(written + records.count))
        written += records.count
        pending.removeAll(keepingCapacity: true)
    }

    /// A temporary file with no name, open for reading and writing, in `folder` (nil: `$TMPDIR`, else
    /// `/tmp`): made with O_TMPFILE where the file system has it (it never has a name, so nothing can be
    /// left behind), else by `mkstemp` and unlinked at once. Closing the descriptor frees it.
    static func temporaryFile(in folder: String? = nil) throws -> Int32 {
        let folder = folder ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        #if os(Linux)
        // O_TMPFILE is __O_TMPFILE | O_DIRECTORY (0o20000000 | 0o200000), a macro Swift does not import.
        let fd = open(folder, O_RDWR | O_CLOEXEC | 0o20200000, 0o600)
        if fd >= 0 { return fd }
        #endif
        var template = Array("\(folder)/tapebench-spill-XXXXXX".utf8CString)
        let named = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard named >= 0 else { throw failure("cannot create a temporary file in \(folder) for bars that do not fit in memory") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(named, F_SETFD, FD_CLOEXEC)
        return named
    }

    static func failure(_ message: String) -> InputError {
        InputError(file: "(temporary file)", message: "\(message): \(String(cString: strerror(errno)))")
    }
}

/// The spill file's descriptor, closed (and so the unnamed file freed) when the last user is gone,
/// whether the reading finished or failed half-way.
final class SpillFile {
    let descriptor: Int32
    init(descriptor: Int32) { self.descriptor = descriptor }
    deinit { close(descriptor) }
}

/// Sorted bars: in memory, or merged from spilled runs.
enum BarSequence {
    case memory([Bar])
    case merge(RunMerger)
}

/// A bar as written to the spill file: fixed size, no references (the ticker as its id).
struct SpillRecord {
    var start: Int64, open: Int64, high: Int64, low: Int64, close: Int64
    var volume: Double
    var vwap: Int64, tradeCount: Int64, duration: Int64
    var ticker: UInt32
    /// Bit 0: vwap present; bit 1: trade count present.
    var flags: UInt32

    init(_ bar: Bar) {
        start = bar.start.nanoseconds
        open = bar.open.raw
        high = bar.high.raw
        low = bar.low.raw
        close = bar.close.raw
        volume = bar.volume
        vwap = bar.vwap?.raw ?? 0
        tradeCount = bar.tradeCount ?? 0
        duration = bar.duration
        ticker = bar.tickerID.raw
        flags = (bar.vwap == nil ? 0 : 1) | (bar.tradeCount == nil ? 0 : 2)
    }

    func bar(names: [String]) -> Bar {
        Bar(ticker: names[Int(ticker)], start: Timestamp(nanoseconds: start), open: Fixed(raw: open), high: Fixed(raw: high),
            low: Fixed(raw: low), close: Fixed(raw: close), volume: volume, vwap: flags & 1 != 0 ? Fixed(raw: vwap) : nil,
            tradeCount: flags & 2 != 0 ? tradeCount : nil, duration: duration, tickerID: TickerID(raw: ticker))
    }
}

/// Merges sorted runs of the spill file: a binary heap of the runs' heads by (start, rank, run).
final class RunMerger {
    private let spill: SpillFile
    private var file: Int32 { spill.descriptor }
    private let ranks: [UInt32]
    private let names: [String]
    private var cursors: [Cursor]
    private var heap: [Int] = []

    struct Cursor {
        var next: Int  // record index of the next record not yet buffered
        let end: Int
        var buffer: [SpillRecord] = []
        var position = 0
    }

    init(file: SpillFile, runs: [Range<Int>], ranks: [UInt32], names: [String]) throws {
        spill = file
        self.ranks = ranks
        self.names = names
        cursors = runs.map { Cursor(next: $0.lowerBound, end: $0.upperBound) }
        for run in cursors.indices where try refill(run) { push(run) }
    }

    func next() throws -> Bar? {
        guard let run = heap.first else { return nil }
        let record = cursors[run].buffer[cursors[run].position]
        cursors[run].position += 1
        if cursors[run].position == cursors[run].buffer.count, !(try refill(run)) {
            let last = heap.removeLast()
            if !heap.isEmpty { heap[0] = last; siftDown(0) }
        } else {
            siftDown(0)
        }
        return record.bar(names: names)
    }

    /// Reads the run's next records; false when it has none left.
    private func refill(_ run: Int) throws -> Bool {
        let count = min(SpillSorter.readAhead, cursors[run].end - cursors[run].next)
        guard count > 0 else { return false }
        let stride = MemoryLayout<SpillRecord>.stride
        let offset = cursors[run].next * stride
        let records = try [SpillRecord](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var done = 0
            while done < raw.count {
                let n = pread(file, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                guard n > 0 else { throw SpillSorter.failure("cannot read the temporary file of sorted bars") }
                done += n
            }
            initialized = count
        }
        cursors[run].buffer = records
        cursors[run].position = 0
        cursors[run].next += count
        return true
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        let x = cursors[a].buffer[cursors[a].position], y = cursors[b].buffer[cursors[b].position]
        if x.start != y.start { return x.start < y.start }
        let rx = ranks[Int(x.ticker)], ry = ranks[Int(y.ticker)]
        if rx != ry { return rx < ry }
        return a < b
    }

    private func push(_ run: Int) {
        heap.append(run)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, less(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
