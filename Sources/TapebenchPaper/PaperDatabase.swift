import Foundation
import GRDB
import TapebenchCore
import TapebenchEngine
import TapebenchLedger
import TapebenchStore

/// Paper mode's database (docs/paper-mode.md): the run database's tables written as the minutes go,
/// one transaction per minute with the minute's end as the checkpoint, in WAL mode so that readers
/// (`tapebench serve`) see whole minutes only.
public final class PaperDatabase {
    public let path: String
    let queue: DatabaseQueue

    /// What the checkpoint row says.
    public struct Checkpoint: Sendable, Equatable {
        public var minute: Timestamp?
        public var minutes: Int
        public var finished: Bool
    }

    /// One lane as paper mode starts it: its account row's fixed facts.
    public struct LaneInfo: Sendable {
        public var account: Int64
        public var agent: String
        public var kind: String
        public var variant: String
    }

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL: readers never block the writer; NORMAL is durable against a killed process.
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Opens the paper database of `scenario` at `path`, making it (whole: a temporary file, then a
    /// rename) when there is none. A file that is not a paper database of this scenario is refused, untouched.
    public static func open(path: String, scenario: Scenario, source: String, lanes: [LaneInfo]) throws -> PaperDatabase {
        if !FileManager.default.fileExists(atPath: path) { try create(path: path, scenario: scenario, source: source, lanes: lanes) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration())
            let database = PaperDatabase(path: path, queue: queue)
            let stored = try queue.read { db -> (String, String)? in
                guard try db.tableExists("paper_checkpoint") else { return nil }
                return try Row.fetchOne(db, sql: "SELECT scenario_sha256, source FROM paper_checkpoint WHERE id = 1").map { ($0[0], $0[1]) }
            }
            guard let stored else {
                throw InputError(file: path, message: "not a Tapebench paper database; not replaced (give another --db)")
            }
            guard stored.0 == scenario.contentHash else {
                throw InputError(file: path, message: "this paper database belongs to another version of the scenario (sha256 \(stored.0.prefix(12))…); give another --db")
            }
            guard stored.1 == source else {
                throw InputError(file: path, message: "this paper database was started with --source \(stored.1), not \(source)")
            }
            return database
        } catch let error as DatabaseError {
            throw InputError(file: path, message: "not a Tapebench paper database (\(error.message ?? "SQLite error \(error.resultCode.rawValue)")); not replaced")
        }
    }

    private static func create(path: String, scenario: Scenario, source: String, lanes: [LaneInfo]) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).tapebench-\(ProcessInfo.processInfo.processIdentifier).tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let queue = try DatabaseQueue(path: temporary, configuration: configuration())
            try queue.write { db in
                try db.execute(sql: RunSchema.tables)
                try db.execute(sql: PaperSchema.tables)
                try db.execute(sql: "PRAGMA user_version = \(RunSchema.version)")
                try db.execute(
                    sql: """
                        INSERT INTO runs (id, scenario_name, scenario_file, scenario_sha256, fill_model, tool_version, seed,
                                          period_from, period_to, tickers, bars_replayed, replay_start, replay_end)
                        VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL)
                        """,
                    arguments: [scenario.name, PathText.lastComponent(scenario.file), scenario.contentHash,
                                scenario.fillModels.map(\.name).joined(separator: ","), TapebenchVersion.current, Int64(bitPattern: scenario.seed),
                                scenario.from?.description, scenario.to?.description, scenario.tickers.joined(separator: ",")])
                let balance = scenario.initialBalance.doubleValue
                for lane in lanes {
                    try db.execute(
                        sql: """
                            INSERT INTO paper_accounts (id, run_id, agent_id, agent_kind, variant, status, initial_balance, current_cash, equity,
                                buying_power, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio,
                                max_drawdown, created_at, updated_at)
                            VALUES (?, 1, ?, ?, ?, 'active', ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL)
                            """,
                        arguments: [lane.account, lane.agent, lane.kind, lane.variant, balance, balance, balance, balance])
                }
                for agent in Array(Set(lanes.map(\.agent))).sorted() {
                    try db.execute(sql: """
                        INSERT INTO agent_status (agent_id, status, step, eligible, robust, forced, reason, decided_at)
                        VALUES (?, 'paper_trading', 'paper', 0, 0, 0, 'paper mode', NULL)
                        """, arguments: [agent])
                }
                try db.execute(sql: "INSERT INTO paper_checkpoint VALUES (1, ?, ?, NULL, NULL, 0, 'running', 0)", arguments: [scenario.contentHash, source])
            }
            try queue.close()
            try FileManager.default.moveItemReplacing(at: temporary, with: path)
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw InputError(file: path, message: "cannot make the paper database: \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    public func checkpoint() throws -> Checkpoint {
        try queue.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT minute_ns, minutes, state FROM paper_checkpoint WHERE id = 1")!
            return Checkpoint(minute: (row[0] as Int64?).map(Timestamp.init(nanoseconds:)), minutes: row[1], finished: (row[2] as String) == "finished")
        }
    }

    /// The bars committed so far, minute by minute, in the order they were replayed.
    public func storedMinutes(_ body: ([Bar]) throws -> Void) throws {
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT ticker, start, open, high, low, close, volume, vwap, transactions FROM paper_bars ORDER BY rowid")
            var minute: [Bar] = []
            while let row = try rows.next() {
                let bar = Bar(ticker: row[0], start: Timestamp(nanoseconds: row[1]), open: Fixed(raw: row[2]), high: Fixed(raw: row[3]),
                              low: Fixed(raw: row[4]), close: Fixed(raw: row[5]), volume: row[6], vwap: (row[7] as Int64?).map(Fixed.init(raw:)),
                              tradeCount: row[8])
                if let first = minute.first, first.start != bar.start {
                    try body(minute)
                    minute.removeAll(keepingCapacity: true)
                }
                minute.append(bar)
            }
            if !minute.isEmpty { try body(minute) }
        }
    }

    /// Each account's cash and number of trades as committed (to check a rebuilt lane against).
    public func storedAccounts() throws -> [Int64: (cash: Double, trades: Int)] {
        try queue.read { db in
            var accounts: [Int64: (cash: Double, trades: Int)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT a.id, a.current_cash, (SELECT COUNT(*) FROM paper_trades t WHERE \(RunSchema.accountRows(of: "a.id", alias: "t"))) FROM paper_accounts a
                """) {
                accounts[row[0]] = (row[1], row[2])
            }
            return accounts
        }
    }

    public func close() throws { try queue.close() }
}
