import Foundation
import GRDB
import TapebenchCore
import TapebenchReports
import TapebenchStore

/// The database `tapebench serve` answers from: a run's run.sqlite, or the one paper mode writes as it
/// trades. Opened read-only (SQLite's `SQLITE_OPEN_READONLY`, so nothing here can change it); each answer
/// is one short read transaction, so a writer in WAL mode is never held up and an answer never mixes two
/// states of the book. Reads run on GRDB's reader pool, off the server's event loops.
struct ServedDatabase: Sendable {
    let path: String
    let pool: DatabasePool

    /// The tables an answer reads; a file without them is not a database to serve.
    static let requiredTables = ["runs", "paper_accounts", "paper_positions", "paper_orders", "paper_trades", "paper_account_snapshots", "signals"]

    /// Opens `path` read-only and checks it is a Tapebench run database; one-line `InputError` otherwise.
    init(path: String) throws {
        self.path = path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError(file: path, message: "no such file (give a run's run.sqlite or paper mode's database)")
        }
        guard !isFolder.boolValue else { throw InputError(file: path, message: "a folder, not a database file (its run.sqlite?)") }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.maximumReaderCount = 4
        configuration.label = "tapebench-serve"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let missing = try pool.read { db in try Self.requiredTables.filter { try !db.tableExists($0) } }
            guard missing.isEmpty else {
                throw InputError(file: path, message: "not a Tapebench run database (no \(missing.joined(separator: ", ")) table)")
            }
        } catch let error as DatabaseError {
            throw InputError(file: path, message: "cannot open it read-only: \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    /// Runs `body` in one read transaction; SQLite's failures become a 503 naming the database.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw APIError.unavailable("cannot read \(PathText.lastComponent(path)): \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }
}

// MARK: - Rows as JSON

extension ServedDatabase {
    /// A row as a JSON object keyed by its column names (the reference system's): integers as integers,
    /// REAL money and statistics as the shortest decimal that reads back as the same double, text as text.
    static func object(_ row: Row) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (column, value) in row { members[column] = json(value) }
        return .object(members)
    }

    static func json(_ value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .null: return .null
        case .int64(let n): return .integer(n)
        case .double(let d): return number(d)
        case .string(let s): return .string(s)
        case .blob(let data): return .string(data.base64EncodedString())
        }
    }

    /// A double as JSON: Swift's shortest round-trip form (`100998.73`, `1e-05`), null when not finite.
    static func number(_ value: Double) -> JSONValue {
        value.isFinite ? .number("\(value)") : .null
    }
}
