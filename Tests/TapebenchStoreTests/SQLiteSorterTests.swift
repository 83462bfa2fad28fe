import Foundation
import GRDBSQLite
import Testing
import TapebenchTestSupport
@testable import TapebenchStore

/// SQLite's sorter, limited when the program loads (`SQLiteSorter`): an index built over more keys than the
/// limit holds takes no more memory than the limit, and is the same index.
@Suite struct SQLiteSorterTests {
    @Test("the limit took effect before any connection opened: 64 pages")
    func limited() {
        #expect(SQLiteSorter.isLimited)
        #expect(SQLiteSorter.pages == 64)
    }

    @Test("an index over 300 000 rows of a 16 KB-page database: SQLite's largest allocation stays near the limit (1 MB, not 4), the index is whole")
    func indexWithinLimit() throws {
        let path = TestScratch.root + "tapebench-sorter-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var handle: OpaquePointer?
        #expect(sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK)
        defer { sqlite3_close(handle) }
        func execute(_ sql: String) { #expect(sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK, "\(sql)") }
        // As a lane's store: 16 KB pages, a small page cache, rows with the shape of signals.
        execute("PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -256;")
        execute("CREATE TABLE signals (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, ticker TEXT NOT NULL, generated_at TEXT NOT NULL);")
        execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
            INSERT INTO signals SELECT i, 1 + i % 3, printf('T%05d', i % 500), printf('2024-03-04T%08d', i) FROM n;
            """)
        var current: Int64 = 0, largest: Int64 = 0
        // SQLite's own count of its largest single allocation since the reset (the sorter's key buffer here).
        #expect(sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &current, &largest, 1) == SQLITE_OK)
        execute("CREATE INDEX signals_account ON signals(account_id, generated_at);")
        #expect(sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &current, &largest, 0) == SQLITE_OK)
        // Without the limit the sorter's buffer grows to 250 pages (4 MB); other tests' allocations meanwhile are smaller.
        #expect(largest > 0, "SQLite counts its allocations (SQLITE_CONFIG_MEMSTATUS)")
        #expect(largest <= Int64(SQLiteSorter.pages) * 16_384 + 65_536, "largest allocation \(largest) bytes")
        var statement: OpaquePointer?
        #expect(sqlite3_prepare_v2(handle, "SELECT count(*), sum(account_id) FROM signals INDEXED BY signals_account WHERE account_id > 0", -1, &statement, nil) == SQLITE_OK)
        defer { sqlite3_finalize(statement) }
        #expect(sqlite3_step(statement) == SQLITE_ROW)
        #expect(sqlite3_column_int64(statement, 0) == 300_000)
        #expect(sqlite3_column_int64(statement, 1) == 600_000)
        #expect(sqlite3_step(statement) == SQLITE_DONE)
    }
}
