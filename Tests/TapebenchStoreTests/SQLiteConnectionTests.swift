import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
@testable import TapebenchStore

/// The lanes' own SQLite connection: opened without SQLite's per-connection lock (one thread uses it at a
/// time), and a row's times written from the texts of the last two times when they repeat.
@Suite struct SQLiteConnectionTests {
    static func path() -> String { TestScratch.root + "tapebench-connection-\(UUID().uuidString).sqlite" }

    @Test("a lane's connection has no mutex: SQLite takes no lock in its binds, steps and resets")
    func noMutex() throws {
        let connection = try SQLiteConnection(path: Self.path())
        defer { connection.close() }
        #expect(!connection.locksEachCall)
    }

    @Test("times repeating, alternating among three, and with fractions of a second: each row's text is its own time's")
    func recentTimes() throws {
        let path = Self.path()
        let store = try LaneStore(path: path, account: 1)
        let minute: Int64 = 60_000_000_000
        // 2024-03-04T14:45:00Z, the minute after it, one with nanoseconds and one with milliseconds.
        let base = Timestamp(nanoseconds: 1_709_563_500 * 1_000_000_000)
        let times = [base, Timestamp(nanoseconds: base.nanoseconds + minute), Timestamp(nanoseconds: base.nanoseconds + 123_456_789),
                     Timestamp(nanoseconds: base.nanoseconds + 500_000_000)]
        // Runs of one time, then two alternating, then three in turn (the kept two never hold the third),
        // across several batches of 32 rows (each empties the buffer the texts were first written into).
        var sequence: [Timestamp] = Array(repeating: times[0], count: 40)
        for i in 0..<40 { sequence.append(times[i % 2]) }
        for i in 0..<60 { sequence.append(times[i % 3 + 1]) }
        for (i, time) in sequence.enumerated() {
            try store.signal(Signal(agent: "a", ticker: "T\(i)", side: .buy, time: time, price: Fixed(raw: 100_000_000), reason: .text("r")),
                             actedOn: false)
        }
        try store.finish()
        let written = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT generated_at FROM signals ORDER BY id") }
        #expect(written == sequence.map(\.iso8601))
        // Hand-checked texts of the four times.
        #expect(Set(written) == ["2024-03-04T14:45:00Z", "2024-03-04T14:46:00Z", "2024-03-04T14:45:00.123456789Z", "2024-03-04T14:45:00.5Z"])
    }
}
