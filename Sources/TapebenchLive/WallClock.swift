import Foundation
import Synchronization
import TapebenchCore

/// Real time for the live side (the recorder's polling and backoff, paper mode's pacing), injected so
/// that tests run a session in milliseconds. The lanes never read it: they run on the data's time.
public protocol WallClock: Sendable {
    /// The current time (UTC).
    func now() -> Timestamp
    /// Waits until `time`, or less when a stop is requested (`StopRequest`).
    func sleep(until time: Timestamp)
}

/// The machine's clock (CLOCK_REALTIME); sleeps in short slices so a stop request is heard promptly.
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanoseconds: Int64(spec.tv_sec) * Timestamp.nanosecondsPerSecond + Int64(spec.tv_nsec))
    }

    public func sleep(until time: Timestamp) {
        while !StopRequest.isRequested {
            let left = time.nanoseconds - now().nanoseconds
            guard left > 0 else { return }
            let slice = min(left, 100_000_000)
            var spec = timespec(tv_sec: 0, tv_nsec: Int(slice))
            nanosleep(&spec, nil)
        }
    }
}

/// A clock for tests: `sleep` moves time forward at once. A class, so every holder sees the same time.
public final class ManualWallClock: WallClock, @unchecked Sendable {
    private let time: Mutex<Timestamp>

    public init(start: Timestamp) { time = Mutex(start) }

    public func now() -> Timestamp { time.withLock { $0 } }

    public func sleep(until target: Timestamp) {
        time.withLock { if target > $0 { $0 = target } }
    }
}

/// SIGINT or SIGTERM asked the live loop to stop: it finishes the minute in hand and exits 0.
public enum StopRequest {
    static let flag = Atomic<Bool>(false)

    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Turns SIGINT and SIGTERM into a stop request (a store to an atomic: safe in a signal handler).
    public static func installSignalHandlers() {
        // A parent may have started us with them blocked (a test runner's Process does).
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGINT) { _ in StopRequest.flag.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in StopRequest.flag.store(true, ordering: .relaxed) }
    }
}
