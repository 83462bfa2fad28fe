/// A record of a scan's ring whose two numbers the scan sums over a run of positions.
protocol SummedRecord: Sendable {
    var summed: (Double, Double) { get }
}

/// One ticker's last `capacity` records of an incremental scan (VWAP, volume surge), in a ring. Positions
/// count the records fed since the last reset: the newest is `fed - 1`, and the last `capacity` can be read.
struct ScanRing<Record: SummedRecord>: Sendable {
    let capacity: Int
    private var records: [Record] = []
    /// Records fed since the last reset.
    private(set) var fed = 0
    /// The slot the next record goes to (`fed % capacity`, kept rather than divided out).
    private var next = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    mutating func append(_ record: Record) {
        if records.count < capacity {
            if records.isEmpty { records.reserveCapacity(capacity) }
            records.append(record)
        } else {
            records[next] = record
        }
        fed += 1
        next = next + 1 == capacity ? 0 : next + 1
    }

    mutating func reset() {
        records.removeAll(keepingCapacity: true)
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

    /// The record at `position`, one of the last `capacity` fed.
    subscript(position: Int) -> Record {
        records.withUnsafeBufferPointer { $0[slot(position)] }
    }

    /// Each of the records' two summed numbers over positions `first...last`, added oldest first from 0: the
    /// order the whole-window rules add them in, so the sums have their bits (a running sum would not).
    func sums(from first: Int, through last: Int) -> (Double, Double) {
        precondition(first >= 0 && first <= last && last < fed && fed - first <= capacity, "positions out of the ring")
        let start = slot(first)
        return records.withUnsafeBufferPointer { records in
            var a = 0.0, b = 0.0
            var slot = start
            for _ in first...last {
                let (x, y) = records[slot].summed
                a += x
                b += y
                slot += 1
                if slot == capacity { slot = 0 }
            }
            return (a, b)
        }
    }

    /// The sums of `sums(from:through:)` over `chains` runs (1 to 4) of `length` positions, the first run
    /// starting at `first`, each next one a position later: run i is lane i of the two vectors (lanes past
    /// `chains` repeat the last run). The runs are added side by side, each still oldest first from 0, so
    /// every lane has the bits its run's own `sums` gives: a lane's adds are the same adds in the same order
    /// (a vector add is one IEEE add per lane). One run's adds wait on each other (an add's latency a
    /// record); four runs side by side take about the time of one.
    func slidingSums(from first: Int, length: Int, chains: Int) -> (SIMD4<Double>, SIMD4<Double>) {
        precondition(chains >= 1 && chains <= 4 && length >= 1, "one to four runs of at least one position")
        let last = first + chains - 1 + length - 1
        precondition(first >= 0 && last < fed && fed - first <= capacity, "positions out of the ring")
        let start = slot(first)
        let o1 = min(1, chains - 1), o2 = min(2, chains - 1), o3 = min(3, chains - 1)
        let capacity = self.capacity
        return records.withUnsafeBufferPointer { records in
            var a = SIMD4<Double>(repeating: 0), b = SIMD4<Double>(repeating: 0)
            @inline(__always) func add(_ s0: Int, _ s1: Int, _ s2: Int, _ s3: Int) {
                let x0 = records[s0].summed, x1 = records[s1].summed, x2 = records[s2].summed, x3 = records[s3].summed
                a += SIMD4(x0.0, x1.0, x2.0, x3.0)
                b += SIMD4(x0.1, x1.1, x2.1, x3.1)
            }
            @inline(__always) func wrapped(_ slot: Int) -> Int { slot >= capacity ? slot - capacity : slot }
            var slot = start, done = 0
            while done < length {
                // The records up to where the last lane's slot would pass the storage's end, read straight (most).
                let straight = min(length - done, capacity - o3 - slot)
                if straight > 0 {
                    for s in slot..<(slot + straight) { add(s, s + o1, s + o2, s + o3) }
                    slot += straight
                    if slot == capacity { slot = 0 }
                    done += straight
                    continue
                }
                add(slot, wrapped(slot + o1), wrapped(slot + o2), wrapped(slot + o3))
                slot += 1
                if slot == capacity { slot = 0 }
                done += 1
            }
            return (a, b)
        }
    }
}
