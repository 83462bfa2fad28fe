import TapebenchCore

/// Where the orchestrator gets "now". Replay and live differ only in the clock and the bar stream.
public protocol Clock: Sendable {
    var now: Timestamp { get }
}

/// A clock that moves only when told, and only forward: replay sets it to each bar's end.
public struct SimulatedClock: Clock {
    public private(set) var now: Timestamp

    public init(start: Timestamp = Timestamp(nanoseconds: 0)) { now = start }

    public mutating func advance(to time: Timestamp) {
        precondition(time >= now, "the simulated clock never goes back (\(now) → \(time))")
        now = time
    }
}
