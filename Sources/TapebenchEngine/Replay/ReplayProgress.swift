import TapebenchCore

/// How far a replay has come, told every 50 000 bars: for a terminal's progress line.
public struct ReplayProgress: Sendable, Hashable {
    /// Bars read so far.
    public var bars: Int
    /// The start of the last bar read.
    public var time: Timestamp

    public init(bars: Int, time: Timestamp) {
        self.bars = bars
        self.time = time
    }

    /// The share of the period `from`...`to` (whole days, UTC) that `time` has passed, 0 to 1; nil without
    /// both ends. A day's bars fill that day, so the share is the replay's, to within a day.
    public func fraction(from: CivilDate?, to: CivilDate?) -> Double? {
        guard let from, let to, to.daysSinceEpoch >= from.daysSinceEpoch else { return nil }
        let start = Double(from.daysSinceEpoch) * 86_400, end = Double(to.daysSinceEpoch + 1) * 86_400
        let now = Double(time.nanoseconds) / 1e9
        return min(1, max(0, (now - start) / (end - start)))
    }
}
