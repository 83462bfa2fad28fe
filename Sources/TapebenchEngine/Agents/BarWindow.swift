import TapebenchCore

/// The last `capacity` bars of one ticker, oldest first: a ring buffer, so appending is O(1).
public struct BarWindow: Sendable {
    public let capacity: Int
    private var storage: [Bar] = []
    private var head = 0  // index of the oldest bar once full

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    public var count: Int { storage.count }
    public var last: Bar? { storage.isEmpty ? nil : self[count - 1] }

    public mutating func append(_ bar: Bar) {
        if storage.count < capacity {
            storage.append(bar)
        } else {
            storage[head] = bar
            head = (head + 1) % capacity
        }
    }

    /// The i-th bar, 0 = oldest.
    public subscript(i: Int) -> Bar { storage[(head + i) % storage.count] }

    /// The i-th bar's start, read in place: scans walk back over many bars, and a copied bar retains
    /// and releases its ticker's text.
    public func start(at i: Int) -> Timestamp {
        storage.withUnsafeBufferPointer { $0[(head + i) % $0.count].start }
    }

    /// Calls `body` with the bars `first...last` (0 = oldest), oldest first, each read in place (no copy).
    public func forEach(from first: Int, through last: Int, _ body: (UnsafePointer<Bar>) -> Void) {
        storage.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, first <= last else { return }
            var slot = (head + first) % buffer.count
            for _ in first...last {
                body(base + slot)
                slot += 1
                if slot == buffer.count { slot = 0 }
            }
        }
    }

}
