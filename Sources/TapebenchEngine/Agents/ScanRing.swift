/// A record of a scan's ring whose two numbers the scan sums over a run of positions.
protocol SummedRecord: Sendable {
    var summed: (Double, Double) { get }
}

/// One ticker's last `capacity` records of an incremental scan (VWAP, volume surge), in a ring. Positions
/// count the records fed since the last reset: the newest is `fed - 1`, and the last `capacity` can be read.
///
/// Only the records' two summed numbers are kept, each column twice (slot s and s + capacity, the two
/// columns one after the other in one buffer): any run of up to `capacity` positions then lies in one
/// stretch of memory, summed without a wrap check, four runs a position apart read as one vector each.
struct ScanRing<Record: SummedRecord>: Sendable {
    let capacity: Int
    /// The first numbers at [0, columnLength), the second at [columnLength, 2 × columnLength); made with the
    /// ring (a state is made only for a ticker the view has, whose bar comes the same minute), so an append
    /// does not ask whether they exist yet.
    private var numbers: [Double]
    /// Records fed since the last reset.
    private(set) var fed = 0
    /// The slot the next record goes to (`fed % capacity`, kept rather than divided out).
    private var next = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        numbers = Array(repeating: 0, count: 2 * Self.columnLength(capacity))
    }

    /// Each column: the ring twice, and 3 more for the vector read of a run's last position (its 3 lanes past it).
    private var columnLength: Int { Self.columnLength(capacity) }
    private static func columnLength(_ capacity: Int) -> Int { 2 * capacity + 3 }

    mutating func append(_ record: Record) {
        let (x, y) = record.summed
        let slot = next, column = columnLength, capacity = self.capacity
        // (Slots below 2 × capacity + 3 in each column: no sum here can overflow.)
        numbers.withUnsafeMutableBufferPointer { numbers in
            numbers[slot] = x
            numbers[slot &+ capacity] = x
            numbers[column &+ slot] = y
            numbers[column &+ slot &+ capacity] = y
        }
        fed += 1
        next = next + 1 == capacity ? 0 : next + 1
    }

    mutating func reset() {
        fed = 0
        next = 0
    }

    /// The slot of `position`, one of the last `capacity` fed.
    @inline(__always)
    private func slot(_ position: Int) -> Int {
        precondition(position >= 0 && position < fed && fed - position <= capacity, "position out of the ring")
        let slot = next - (fed - position)
        return slot < 0 ? slot + capacity : slot
    }

    /// The summed numbers of the record at `position`, one of the last `capacity` fed.
    subscript(position: Int) -> (Double, Double) {
        let slot = slot(position), column = columnLength
        return numbers.withUnsafeBufferPointer { ($0[slot], $0[column + slot]) }
    }

    /// Each of the records' two summed numbers over positions `first...last`, added oldest first from 0: the
    /// order the whole-window rules add them in, so the sums have their bits (a running sum would not).
    func sums(from first: Int, through last: Int) -> (Double, Double) {
        precondition(first >= 0 && first <= last && last < fed && fed - first <= capacity, "positions out of the ring")
        let start = slot(first), count = last - first + 1, column = columnLength
        return numbers.withUnsafeBufferPointer { numbers in
            // From its first slot, the run lies in one stretch (slot + count ≤ 2 × capacity).
            let xs = numbers.baseAddress! + start, ys = xs + column
            var a = 0.0, b = 0.0
            for i in 0..<count {
                a += xs[i]
                b += ys[i]
            }
            return (a, b)
        }
    }

    /// The sums of `sums(from:through:)` over `chains` runs (1 to 4) of `length` positions, the first run
    /// starting at `first`, each next one a position later: run i is lane i of the two vectors (lanes past
    /// `chains` repeat the last run). The runs are added side by side, each still oldest first from 0, so
    /// every lane has the bits its run's own `sums` gives: a lane's adds are the same adds in the same order
    /// (a vector add is one IEEE add per lane). One run's adds wait on each other (an add's latency a
    /// record); four runs side by side take about the time of one. The four runs' k-th numbers are four
    /// consecutive slots, read as one vector.
    func slidingSums(from first: Int, length: Int, chains: Int) -> (SIMD4<Double>, SIMD4<Double>) {
        precondition(chains >= 1 && chains <= 4 && length >= 1, "one to four runs of at least one position")
        let last = first + chains - 1 + length - 1
        precondition(first >= 0 && last < fed && fed - first <= capacity, "positions out of the ring")
        let start = slot(first), column = columnLength
        var (a, b) = numbers.withUnsafeBufferPointer { numbers in
            // The highest slot read: start + length - 1 + 3 ≤ 2 × capacity + 1, inside the column (lanes past
            // `chains` read numbers past the runs, replaced below).
            let xs = UnsafeRawPointer(numbers.baseAddress! + start), ys = UnsafeRawPointer(numbers.baseAddress! + start + column)
            let stride = MemoryLayout<Double>.stride
            var a = SIMD4<Double>(repeating: 0), b = SIMD4<Double>(repeating: 0)
            for k in 0..<length {
                a += xs.loadUnaligned(fromByteOffset: k * stride, as: SIMD4<Double>.self)
                b += ys.loadUnaligned(fromByteOffset: k * stride, as: SIMD4<Double>.self)
            }
            return (a, b)
        }
        for lane in chains..<4 {
            a[lane] = a[chains - 1]
            b[lane] = b[chains - 1]
        }
        return (a, b)
    }
}
