import TapebenchCore

/// The bars that end at one time, in ticker order: one step of the replay (for minute bars, a minute:
/// every ticker's bar that starts at the same time). The lanes apply all of them before any decision.
public struct Minute: Sendable {
    /// When the bars end: the decision time of this step.
    public var time: Timestamp
    public var bars: [Bar]

    public init(time: Timestamp, bars: [Bar]) {
        self.time = time
        self.bars = bars
    }

    /// The first bar's start, read in place (`bars.first?.start` copied the whole bar, its ticker's text
    /// retained and released, at every step); nil when the step has no bar.
    var firstStart: Timestamp? {
        // Not from the address alone: an empty array may still have one (its storage kept).
        bars.withUnsafeBufferPointer { bars in bars.isEmpty ? nil : bars.baseAddress.map { $0.pointee.start } }
    }

    /// The index of the first bar carrying ticker id `id`, the ids compared in place (`firstIndex` on the array
    /// copied each bar out to test it, its ticker's text retained and released).
    func index(of id: TickerID) -> Int? {
        bars.withUnsafeBufferPointer { bars in
            guard let first = bars.baseAddress else { return nil }
            return bars.indices.first { (first + $0).pointee.tickerID == id }
        }
    }
}
