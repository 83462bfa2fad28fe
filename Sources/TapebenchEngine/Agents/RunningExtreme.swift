/// The highest (or lowest) of the last `length` values pushed, in O(1) amortised a value: a monotonic
/// queue in a ring of `length` slots. Exact: it keeps values, it never sums them.
struct RunningExtreme: Sendable {
    enum Kind: Sendable { case highest, lowest }

    let kind: Kind
    let length: Int
    /// Candidates oldest first, values strictly decreasing (highest) or increasing (lowest): a value that a
    /// newer one equals or beats can never be the extreme again.
    private var positions: [Int]
    private var values: [Int64]
    private var first = 0, count = 0
    /// Values pushed since the last reset; the next one gets this position.
    private(set) var pushed = 0

    init(_ kind: Kind, length: Int) {
        precondition(length > 0)
        self.kind = kind
        self.length = length
        positions = Array(repeating: 0, count: length)
        values = Array(repeating: 0, count: length)
    }

    /// The extreme of the last `length` values pushed (positions `pushed - length ..< pushed`), nil when
    /// fewer than `length` have been.
    var extreme: Int64? {
        guard pushed >= length else { return nil }
        return values[first]
    }

    mutating func push(_ value: Int64) {
        // The front leaves when the new value is `length` positions after it.
        if count > 0, positions[first] <= pushed - length {
            first = first + 1 == length ? 0 : first + 1
            count -= 1
        }
        while count > 0 {
            let back = slot(count - 1)
            let beaten = kind == .highest ? values[back] <= value : values[back] >= value
            guard beaten else { break }
            count -= 1
        }
        let slot = slot(count)
        positions[slot] = pushed
        values[slot] = value
        count += 1
        pushed += 1
    }

    mutating func reset() {
        first = 0
        count = 0
        pushed = 0
    }

    private func slot(_ i: Int) -> Int {
        let slot = first + i
        return slot >= length ? slot - length : slot
    }
}
