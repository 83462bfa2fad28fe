/// An instant as nanoseconds since the Unix epoch, UTC. The only notion of time in Tapebench:
/// nothing reads the wall clock, every time comes from data or from a `SimulatedClock`.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let nanosecondsPerSecond: Int64 = 1_000_000_000
    public static let nanosecondsPerMinute: Int64 = 60 * nanosecondsPerSecond
    public static let nanosecondsPerDay: Int64 = 86_400 * nanosecondsPerSecond

    public init(seconds: Int64) { nanoseconds = seconds * Timestamp.nanosecondsPerSecond }
    public init(milliseconds: Int64) { nanoseconds = milliseconds * 1_000_000 }

    @inlinable public static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanoseconds < b.nanoseconds }

    public func adding(minutes: Int64) -> Timestamp {
        Timestamp(nanoseconds: nanoseconds + minutes * Timestamp.nanosecondsPerMinute)
    }

    public func adding(nanoseconds delta: Int64) -> Timestamp { Timestamp(nanoseconds: nanoseconds + delta) }

    /// Seconds since the epoch, rounded toward negative infinity.
    public var epochSeconds: Int64 {
        let (q, r) = nanoseconds.quotientAndRemainder(dividingBy: Timestamp.nanosecondsPerSecond)
        return r < 0 ? q - 1 : q
    }
}

extension Timestamp: CustomStringConvertible {
    /// ISO 8601 in UTC, e.g. `2024-03-11T13:30:00Z` (fraction digits only when present).
    public var iso8601: String {
        let seconds = epochSeconds
        let fraction = nanoseconds - seconds * Timestamp.nanosecondsPerSecond
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        var text = date.description + "T" + twoDigits(secondOfDay / 3600) + ":" + twoDigits(secondOfDay / 60 % 60)
            + ":" + twoDigits(secondOfDay % 60)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.last == "0" { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    public var description: String { iso8601 }
}

/// Floor division and its non-negative remainder.
@inlinable public func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
    let (q, r) = a.quotientAndRemainder(dividingBy: b)
    return r < 0 ? (q - 1, r + b) : (q, r)
}

func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
