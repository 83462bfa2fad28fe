/// Keeps nothing: for replays that need only each lane's outcome (a sweep of many variants, a benchmark of
/// the replay alone). Memory per lane does not grow with the run.
public struct DiscardingRecorder: LaneRecorder {
    public init() {}

    @inlinable public mutating func record(_ event: LaneEvent) {}
}
