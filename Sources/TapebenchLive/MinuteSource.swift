import TapebenchCore
import TapebenchData

/// Where paper mode gets its bars: one minute at a time (every ticker's bar that starts then, in ticker
/// order), waiting on the wall clock as the source needs.
public protocol MinuteSource {
    mutating func nextMinute() throws -> MinuteSourceAnswer
    /// Polygon said `DELAYED` (a plan whose data trails real time).
    var delayed: Bool { get }
}

public enum MinuteSourceAnswer: Sendable {
    case minute([Bar])
    /// The data has ended (the replay's last bar; the live source's last session).
    case ended
    /// A stop was requested while waiting.
    case stopped
}

/// A recorded replay paced by the wall clock: `speed` seconds of data per wall second (60: a minute of
/// bars per second; nil: as fast as the machine goes). Bars starting before `resumeAt` are skipped (they
/// were committed before a restart).
public struct ReplayMinuteSource: MinuteSource {
    var stream: any BarStream
    let speed: Double?
    let clock: any WallClock
    let resumeAt: Timestamp?
    private var peeked: Bar?
    private var anchor: (wall: Timestamp, data: Timestamp)?
    public let delayed = false

    public init(stream: any BarStream, speed: Double?, clock: any WallClock, resumeAt: Timestamp?) {
        self.stream = stream
        self.speed = speed
        self.clock = clock
        self.resumeAt = resumeAt
    }

    public mutating func nextMinute() throws -> MinuteSourceAnswer {
        var bars: [Bar] = []
        while true {
            guard let bar = try peeked ?? stream.next() else { break }
            peeked = nil
            if let resumeAt, bar.start < resumeAt { continue }
            if let first = bars.first, bar.start != first.start {
                peeked = bar
                break
            }
            bars.append(bar)
        }
        guard let first = bars.first else { return .ended }
        if let speed {
            let end = first.start.adding(minutes: 1)
            if anchor == nil { anchor = (clock.now(), first.start) }
            let due = anchor!.wall.adding(nanoseconds: Int64(Double(end.nanoseconds - anchor!.data.nanoseconds) / speed))
            clock.sleep(until: due)
            // Stopped while waiting: this minute is not committed; a restart reads it again.
            if StopRequest.isRequested, clock.now() < due { return .stopped }
        }
        return .minute(bars)
    }
}
