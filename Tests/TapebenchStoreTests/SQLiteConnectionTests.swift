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

    @Test("20,000 seeded times (runs of a few minutes revisited, minutes 8 apart sharing a slot, fractions of a second, before 1970), the buffer emptied every 64: each column's text is its own time's, the whole batch too")
    func recentTimesSeeded() {
        var generator = SplitMix64(seed: 42)
        let minute: Int64 = 60_000_000_000
        let base = Int64(1_709_563_500) * 1_000_000_000
        var values = RowValues()
        var expected: [String] = []
        for row in 0..<20_000 {
            if row % 64 == 0 {
                values.removeAll()
                expected.removeAll()
            }
            let nanoseconds: Int64
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: nanoseconds = base + Int64.random(in: 0..<40, using: &generator) * 8 * minute  // the same slot
            case 1: nanoseconds = base + Int64.random(in: 0..<6, using: &generator) * minute + Int64.random(in: 0..<3, using: &generator) * 1_500_000
            case 2: nanoseconds = -Int64.random(in: 0..<20, using: &generator) * minute - Int64.random(in: 0..<2, using: &generator) * 7
            default: nanoseconds = base + (Int64(row / 50) + Int64.random(in: 0..<5, using: &generator)) * minute
            }
            let time = Timestamp(nanoseconds: nanoseconds)
            values.time(time)
            guard case let .text(start, count) = values.columns[values.columns.count - 1] else {
                Issue.record("row \(row): not a text column")
                continue
            }
            let written = values.text.withUnsafeBytes { String(decoding: $0[start..<(start + count)], as: UTF8.self) }
            #expect(written == time.iso8601, "row \(row)")
            expected.append(time.iso8601)
            // The whole batch at its end: every column still its own (the columns' storage grew from 24 to 96).
            guard row % 64 == 63 else { continue }
            let batch = values.columns.map { column -> String in
                guard case let .text(start, count) = column else { return "" }
                return values.text.withUnsafeBytes { String(decoding: $0[start..<(start + count)], as: UTF8.self) }
            }
            #expect(batch == expected, "batch ending at row \(row)")
        }
    }

    @Test("a parameter keeps its value from run to run, and is bound again whenever the row's value differs in kind or value")
    func heldParameters() throws {
        let connection = try SQLiteConnection(path: Self.path())
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v)")
        let statement = try connection.prepare("INSERT INTO t (v) VALUES (?)")
        defer { statement.finalize() }
        let constants = ConstantTexts(["buy", "sell"])
        // Each value against the one before in the same parameter: the same integer, then values whose bits
        // are all zero in every kind (0, 0.0, null), a real's sign, texts in the reused buffer at the same
        // offset, constants after texts and after each other.
        enum Value { case integer(Int64), real(Double), null, text(String), constant(String) }
        let sequence: [Value] = [
            .integer(7), .integer(7), .integer(8), .integer(0), .null, .null, .integer(0), .real(0), .real(-0.0), .real(-0.0),
            .real(2.5), .integer(2), .text("abc"), .text("xyz"), .constant("buy"), .constant("buy"), .text("buy!"),
            .constant("buy"), .constant("sell"), .null, .constant("sell"), .real(2.5), .text("t"), .integer(7),
        ]
        var values = RowValues()
        for value in sequence {
            values.removeAll()
            switch value {
            case .integer(let n): values.integer(n)
            case .real(let x): values.real(x)
            case .null: values.null()
            case .text(let text): values.text(text)
            case .constant(let text): values.text(text, from: constants)
            }
            try statement.run(values, rows: 0..<1, of: 1)
        }
        let read = try DatabaseQueue(path: connection.path).read { db in
            try Row.fetchAll(db, sql: "SELECT typeof(v) AS kind, quote(v) AS text, v FROM t ORDER BY n").map { row -> String in
                let kind: String = row["kind"]
                // quote() writes -0.0 as 0.0: the sign from the value itself.
                if kind == "real", let x: Double = row["v"], x == 0, x.sign == .minus { return "real:-0.0" }
                return kind + ":" + (row["text"] as String)
            }
        }
        #expect(read == [
            "integer:7", "integer:7", "integer:8", "integer:0", "null:NULL", "null:NULL", "integer:0", "real:0.0", "real:-0.0", "real:-0.0",
            "real:2.5", "integer:2", "text:'abc'", "text:'xyz'", "text:'buy'", "text:'buy'", "text:'buy!'",
            "text:'buy'", "text:'sell'", "null:NULL", "text:'sell'", "real:2.5", "text:'t'", "integer:7",
        ])
    }
}
