import Foundation
import GRDB
import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// A run's database, run.sqlite: the reference system's tables (`paper_accounts`, `paper_positions`,
/// `paper_orders`, `paper_trades`, `paper_account_snapshots`), `runs`, `risk_events` and, after `graduate`,
/// `agent_status` (`Schema`). Every order is a row, rejected ones with their reason.
///
/// Money and prices are REAL columns for querying; the exact values are in report.json and the CSV files.
/// Times are ISO 8601 UTC text. The lanes write their rows as they happen (`LaneStore`); `assemble` joins
/// them in the run's staging folder, which is published whole or not at all.
public enum RunDatabase {
    /// A graduation decision to record: the agent's new status and, on graduation to paper, a fresh account.
    public struct StatusChange: Sendable {
        public var agent: String
        public var status: String
        public var step: String
        public var eligible: Bool
        public var robust: Bool
        public var forced: Bool
        public var reason: String
        public var freshAccount: Bool

        public init(agent: String, status: String, step: String, eligible: Bool, robust: Bool, forced: Bool, reason: String, freshAccount: Bool) {
            self.agent = agent
            self.status = status
            self.step = step
            self.eligible = eligible
            self.robust = robust
            self.forced = forced
            self.reason = reason
            self.freshAccount = freshAccount
        }
    }

    /// One lane for `assemble`: how it ended, the scratch database its `LaneStore` wrote, when its last
    /// daily snapshot was taken, and the signal row id of each open position's opening order (by ticker).
    public struct StoredLane: Sendable {
        public var outcome: LaneOutcome
        public var store: String
        public var lastSnapshot: Timestamp?
        public var positionSignals: [String: Int64]

        public init(outcome: LaneOutcome, store: String, lastSnapshot: Timestamp?, positionSignals: [String: Int64] = [:]) {
            self.outcome = outcome
            self.store = store
            self.lastSnapshot = lastSnapshot
            self.positionSignals = positionSignals
        }
    }

    /// Writes run.sqlite at `path` (a new file in the run's staging folder, published with the folder):
    /// `copyLanes`, then `record(_:…)` of the graduation decisions.
    public static func assemble(scenario: Scenario, toolVersion: String, fillModels: [String], statistics: ReplayStatistics,
                                lanes: [StoredLane], statusChanges: [StatusChange] = [], to path: String) throws {
        try copyLanes(scenario: scenario, toolVersion: toolVersion, fillModels: fillModels, statistics: statistics, lanes: lanes, to: path)
        try record(statusChanges, scenario: scenario, statistics: statistics, in: path)
    }

    /// Creates run.sqlite at `path` (a new file in the run's staging folder, published with the folder): the
    /// tables, the `runs` row; per lane, in lane order, its account, then its signals, orders, trades,
    /// snapshots and risk events copied from its scratch database (`INSERT … SELECT`, by id: SQLite's
    /// transfer, record by record, each lane's ids after the lane before's), then its open positions. The
    /// same operations in the same order whatever thread wrote each lane, so the same bytes. Pages are 16 KiB,
    /// as in the lanes' databases. No index is made (`RunSchema.accountRows`).
    ///
    /// A run's only lane has written run.sqlite itself (`LaneStore(published: true)`, its store is `path`):
    /// then only the run's own rows are added, and nothing is copied.
    public static func copyLanes(scenario: Scenario, toolVersion: String, fillModels: [String], statistics: ReplayStatistics,
                                 lanes: [StoredLane], to path: String) throws {
        try copyLanes(scenario: scenario, toolVersion: toolVersion, fillModels: fillModels, statistics: statistics, count: lanes.count,
                      lane: { lanes[$0] }, to: path)
    }

    /// `copyLanes` of `count` lanes, each asked of `lane` (in lane order) only when it is its turn to be
    /// copied: a lane whose scratch database is still being finished on another thread is waited for there,
    /// while the lanes before it are already copied.
    public static func copyLanes(scenario: Scenario, toolVersion: String, fillModels: [String], statistics: ReplayStatistics,
                                 count: Int, lane laneAt: (Int) throws -> StoredLane, to path: String) throws {
        let only = count == 1 ? try laneAt(0) : nil
        let inPlace = only?.store == path
        do {
            let queue = try DatabaseQueue(path: path, configuration: assembling)
            try queue.writeWithoutTransaction { db in
                if inPlace {
                    try db.inTransaction {
                        try db.execute(sql: "PRAGMA user_version = \(Schema.version)")
                        try insertRun(scenario: scenario, toolVersion: toolVersion, fillModels: fillModels, statistics: statistics, into: db)
                        try insertAccount(only!, firstBar: statistics.firstBarStart, into: db)
                        try insertPositions(of: only!, from: 1, into: db)
                        return .commit
                    }
                    return
                }
                try db.execute(sql: "PRAGMA page_size = 16384")
                try db.inTransaction {
                    try db.execute(sql: Schema.tables)
                    try db.execute(sql: "PRAGMA user_version = \(Schema.version)")
                    try insertRun(scenario: scenario, toolVersion: toolVersion, fillModels: fillModels, statistics: statistics, into: db)
                    return .commit
                }
                var positionID: Int64 = 1
                for index in 0..<count {
                    let lane = try only ?? laneAt(index)
                    // ATTACH cannot run inside a transaction: one transaction per lane.
                    try db.execute(sql: "ATTACH DATABASE ? AS lane", arguments: [lane.store])
                    try db.execute(sql: Self.smallCaches(["lane"]))
                    // Deferred: the lane is only read, and other connections read it meanwhile (the variant
                    // comparison). An IMMEDIATE transaction would take a write lock on it too, and its commit
                    // would find them in its way ("database is locked").
                    try db.inTransaction(.deferred) {
                        try insertAccount(lane, firstBar: statistics.firstBarStart, into: db)
                        // A rowid table is read in id order; an ORDER BY would turn the transfer off.
                        for table in Schema.laneTableNames {
                            try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM lane.\(table)")
                        }
                        positionID = try insertPositions(of: lane, from: positionID, into: db)
                        return .commit
                    }
                    try db.execute(sql: "DETACH DATABASE lane")
                }
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw failure(error, path: path, action: "cannot write the database")
        }
    }

    /// A lane's open positions, numbered from `firstID` (after its signals: a position names the signal its
    /// opening order came from); returns the next id.
    @discardableResult
    private static func insertPositions(of lane: StoredLane, from firstID: Int64, into db: Database) throws -> Int64 {
        var id = firstID
        for p in lane.outcome.account.sortedPositions {
            try insertPosition(p, id: id, account: lane.outcome.account.id, signalID: lane.positionSignals[p.ticker], into: db)
            id += 1
        }
        return id
    }

    /// Adds the graduation decisions (`agent_status`, and a fresh paper account for each graduation to paper)
    /// to the run.sqlite `copyLanes` wrote at `path`; nothing to do without decisions.
    public static func record(_ statusChanges: [StatusChange], scenario: Scenario, statistics: ReplayStatistics, in path: String) throws {
        guard !statusChanges.isEmpty else { return }
        do {
            let queue = try DatabaseQueue(path: path, configuration: assembling)
            try queue.inTransaction { db in
                try insert(statusChanges, decidedAt: statistics.lastBarStart.map { $0.adding(minutes: 1) }, scenario: scenario, into: db)
                return .commit
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw failure(error, path: path, action: "cannot write the database")
        }
    }

    /// How run.sqlite is opened while it is assembled.
    private static var assembling: Configuration {
        var configuration = Configuration()
        // Off while assembling, so that SQLite copies each lane table's records as they are (its transfer
        // optimization, which foreign-key checks disable): the rows are Tapebench's own, written in
        // reference order (an account before its orders, an order before its trades).
        configuration.foreignKeysEnabled = false
        configuration.prepareDatabase { db in
            // The file is new, in a staging folder published only once complete: no journal is needed, and
            // no flush to the disk at each lane's commit (the run flushes the whole file once, before it
            // publishes the folder: `RunFolder`).
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; " + smallCaches(["main"]))
        }
        return configuration
    }

    /// Page caches of 256 KiB for the schemas named: the run's tail reads and copies the lanes' files once,
    /// in order or through an index, on several threads at once; SQLite's default 2 MB a schema added
    /// up to a peak of several megabytes per variant (the pages are in the system's file cache anyway).
    static func smallCaches(_ schemas: [String]) -> String {
        schemas.map { "PRAGMA \($0).cache_size = -256;" }.joined(separator: " ")
    }

    /// What one lane owes to the orders it filled and another lane did not: the reference-price P&L of the
    /// positions those orders opened (units of 1e-8, wide: a sum over a whole run), and how many distinct
    /// filled orders (ticker, side, decision time) the other lane did not fill. Read from two lanes'
    /// scratch databases by a join on disk, so no list of orders is held in memory.
    public static func unmatched(_ store: String, against other: String) throws -> (pnl: Int128, orders: Int) {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: store, configuration: configuration)
            defer { try? queue.close() }
            return try queue.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [other])
                try db.execute(sql: Self.smallCaches(["main", "other"]))
                defer { try? db.execute(sql: "DETACH DATABASE other") }
                let notFilled = """
                    NOT EXISTS (SELECT 1 FROM other.paper_orders o WHERE o.status = 'filled' AND o.ticker = k.ticker
                                AND o.side = k.side AND o.submitted_at = k.submitted_at)
                    """
                var pnl: Int128 = 0
                let rows = try Int64.fetchCursor(db, sql: "SELECT pnl FROM main.reference_pnl k WHERE \(notFilled)")
                while let value = try rows.next() { pnl += Int128(value) }
                let orders = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM (SELECT DISTINCT ticker, side, submitted_at FROM main.paper_orders WHERE status = 'filled') k
                    WHERE \(notFilled)
                    """) ?? 0
                return (pnl, orders)
            }
        } catch let error as DatabaseError {
            throw failure(error, path: store, action: "cannot read the database")
        }
    }

    /// Checks that `path` is a whole Tapebench run database: SQLite opens it, `PRAGMA quick_check`
    /// finds nothing wrong, and it has the `runs` table. A truncated, garbled or foreign file is an
    /// `InputError` naming it.
    public static func verify(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard problems == ["ok"] else {
                    throw InputError(file: path, message: "the database is damaged: \(problems.first ?? "no answer from quick_check")")
                }
                guard try db.tableExists("runs") else {
                    throw InputError(file: path, message: "not a Tapebench run database (no runs table)")
                }
            }
        } catch let error as DatabaseError {
            throw InputError(file: path, message: "\(failure(error, path: path, action: "cannot read the database").reason)")
        }
    }

    /// A SQLite failure in words, naming the database.
    static func failure(_ error: DatabaseError, path: String, action: String) -> FileSystemError {
        failure(code: error.resultCode.rawValue, message: error.message, path: path, action: action)
    }

    /// A SQLite result code (primary or extended) in words, naming the database.
    static func failure(code: Int32, message: String?, path: String, action: String) -> FileSystemError {
        let reason: String
        switch ResultCode(rawValue: code & 0xff) {
        case .SQLITE_FULL: reason = FileSystemError.words(for: ENOSPC)
        case .SQLITE_READONLY: reason = FileSystemError.words(for: EROFS)
        case .SQLITE_PERM, .SQLITE_AUTH: reason = FileSystemError.words(for: EACCES)
        case .SQLITE_CANTOPEN: reason = "SQLite cannot open it (a missing folder, no permission, or a folder in its place?)"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: reason = "not a valid SQLite database (truncated, damaged, or another kind of file)"
        case .SQLITE_IOERR: reason = "input/output error while SQLite used it"
        default: reason = "SQLite error \(code): \(message ?? "no message")"
        }
        return FileSystemError(path: path, action: action, reason: reason)
    }
}
