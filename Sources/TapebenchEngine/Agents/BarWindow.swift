import TapebenchCore

/// The last `capacity` bars of one ticker, oldest first: a ring buffer, so appending is O(1).
public struct BarWindow: Sendable {
    public let capacity: Int
    private var storage: [Bar] = []
    /// Each bar's average price and volume as `Double`s, in the same slots as `storage`: computed once
    /// when the bar arrives instead of in every volume-weighted sum over it (a VWAP scan sums each bar
    /// about 30 times).
    private var averages: [PriceVolume] = []
    /// Each bar's start, in the same slots: walking back over starts reads 8 bytes a bar, not a bar's cache line.
    private var starts: [Timestamp] = []
    private var head = 0  // index of the oldest bar once full

    /// A bar's average price (its own `vwap` when the source has it, else its typical price
    /// (high + low + close) / 3) and its volume.
    public struct PriceVolume: Sendable, Equatable {
        public var price: Double
        public var volume: Double

        init(_ bar: Bar) {
            price = bar.vwap?.doubleValue ?? (bar.high.doubleValue + bar.low.doubleValue + bar.close.doubleValue) / 3
            volume = bar.volume
        }
    }

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage.reserveCapacity(capacity)
        averages.reserveCapacity(capacity)
        starts.reserveCapacity(capacity)
    }

    public var count: Int { storage.count }
    public var last: Bar? { storage.isEmpty ? nil : self[count - 1] }

    public mutating func append(_ bar: Bar) {
        if storage.count < capacity {
            storage.append(bar)
            averages.append(PriceVolume(bar))
            starts.append(bar.start)
        } else {
            storage[head] = bar
            averages[head] = PriceVolume(bar)
            starts[head] = bar.start
            head = (head + 1) % capacity
        }
    }

    /// The i-th bar, 0 = oldest.
    public subscript(i: Int) -> Bar { storage[(head + i) % storage.count] }

    /// The i-th bar's start, read in place: scans walk back over many bars, and a copied bar retains
    /// and releases its ticker's text.
    public func start(at i: Int) -> Timestamp {
        starts.withUnsafeBufferPointer { $0[(head + i) % $0.count] }
    }

    /// Walking back from the newest bar: the index of the oldest bar such that it and every bar after it
    /// start at or after `time`, going back at most `reach - 1` bars (so never below `count - reach`), and
    /// never below 0. The newest bar's index when the one before it starts before `time`. -1 when empty.
    public func walkBack(whileStartingAtOrAfter time: Timestamp, reach: Int) -> Int {
        starts.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            guard count > 0 else { return -1 }
            var index = count - 1
            var slot = (head + index) % count
            while index > 0, count - index < reach {
                let previous = slot == 0 ? count - 1 : slot - 1
                guard buffer[previous] >= time else { break }
                index -= 1
                slot = previous
            }
            return index
        }
    }

    /// The i-th bar's close, read in place.
    public func close(at i: Int) -> Price {
        storage.withUnsafeBufferPointer { $0[(head + i) % $0.count].close }
    }

    /// Calls `body` with the average price and volume of the bars `first...last` (0 = oldest), oldest first.
    public func forEachAverage(from first: Int, through last: Int, _ body: (PriceVolume) -> Void) {
        averages.withUnsafeBufferPointer { buffer in
            guard first <= last else { return }
            var slot = (head + first) % buffer.count
            for _ in first...last {
                body(buffer[slot])
                slot += 1
                if slot == buffer.count { slot = 0 }
            }
        }
    }

}
