import TapebenchCore

/// Where a lane gets "now". The replay advances it to each step's end before the lane applies the step;
/// the lane stamps orders, fills' closings, risk events and snapshots with what it reads here, and keeps
/// no time of its own. Replay and live differ only in the clock and the bar stream (a wall clock for the
/// live path reads real time and treats `advance` as "the data has reached this time").
public protocol ReplayClock: Sendable {
    /// The current time (for a replay: the end of the step being applied).
    var now: Timestamp { get }
    /// The replay has reached `time`, never earlier than an earlier call's.
    mutating func advance(to time: Timestamp)
}

/// A clock that moves only when told, and only forward: the replay sets it to each step's end. A value:
/// each lane runs on its own copy, so lanes replayed on different threads never share one.
public struct SimulatedClock: ReplayClock {
    public private(set) var now: Timestamp

    public init(start: Timestamp = Timestamp(nanoseconds: 0)) { now = start }

    public mutating func advance(to time: Timestamp) {
        precondition(time >= now, "the simulated clock never goes back (\(now) → \(time))")
        now = time
    }
}
