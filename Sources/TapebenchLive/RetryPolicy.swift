import TapebenchCore

/// How a failed request is tried again: 429, 5xx and transport failures (a refused or cut connection),
/// up to `attempts` tries in all, waiting a random time between 0 and `base × 2^(try − 1)` (capped at
/// `cap`) — "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015) — or the
/// server's `Retry-After`, whichever is longer. The draws come from a seeded generator, so a test (or a
/// rerun) waits the same times.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    /// Nanoseconds.
    public var base: Int64
    public var cap: Int64
    /// A `Retry-After` longer than this (nanoseconds) is not waited for: the request fails.
    public var longestRetryAfter: Int64
    public var seed: UInt64

    public init(attempts: Int = 6, baseSeconds: Double = 1, capSeconds: Double = 60, longestRetryAfterSeconds: Double = 300, seed: UInt64 = 1) {
        self.attempts = attempts
        base = Int64(baseSeconds * 1e9)
        cap = Int64(capSeconds * 1e9)
        longestRetryAfter = Int64(longestRetryAfterSeconds * 1e9)
        self.seed = seed
    }

    /// The wait (nanoseconds) before try `attempt + 1`, after `attempt` tries failed (1, 2, …).
    public func backoff(after attempt: Int, random: inout Xoshiro256) -> Int64 {
        let ceiling = min(cap, base << Int64(min(attempt - 1, 30)))
        guard ceiling > 0 else { return 0 }
        return Int64(random.next() % UInt64(ceiling + 1))
    }

    /// `Retry-After` in seconds (the HTTP-date form is not used by Polygon and is ignored), in nanoseconds.
    public static func retryAfter(_ value: String?) -> Int64? {
        guard let value, let seconds = Int64(value.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds < 86_400 else { return nil }
        return seconds * Timestamp.nanosecondsPerSecond
    }
}

import Foundation
