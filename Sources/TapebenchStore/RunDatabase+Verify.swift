import Foundation
import GRDB
import TapebenchCore

extension RunDatabase {
    /// Reads back a run.sqlite this run has just written, before the folder is published: cheaper than
    /// `verify(path:)` (whose `quick_check` reads and checks every cell of every page: ≈ 3 % of a 6-variant
    /// run's CPU time, all of it on one thread at the very end), and enough to catch a file that did not
    /// reach the disk whole. It checks that SQLite opens the file; that the file is as long as its header
    /// says (`page_count` × `page_size`: nothing cut off, nothing left over); that `runs` holds the run; that
    /// every table in `rows` holds exactly the rows the lanes wrote into it, counted by walking its b-tree
    /// from the root to every leaf (a page that is not what its parent says stops the walk as corrupt); and
    /// that every index has one entry per row of its table (walked the same way). It does not look inside
    /// each record, as `quick_check` does: `tapebench check` runs that on a published folder.
    public static func verifyWritten(path: String, rows expected: [String: Int]) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in try db.execute(sql: smallCaches(["main"])) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                guard try db.tableExists("runs") else {
                    throw InputError(file: path, message: "not a Tapebench run database (no runs table)")
                }
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0, pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
                guard size == pages * pageSize else {
                    throw InputError(file: path, message: "the database is damaged: \(size) bytes for \(pages) pages of \(pageSize)")
                }
                func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? -1 }
                // NOT INDEXED: SQLite counts a table's rows through its smallest index when it has one, which
                // would leave the table's own b-tree unread.
                var tableRows: [String: Int] = [:]
                func tableCount(_ table: String) throws -> Int {
                    if let known = tableRows[table] { return known }
                    let found = try count("SELECT COUNT(*) FROM \(table) NOT INDEXED")
                    tableRows[table] = found
                    return found
                }
                let runs = try tableCount("runs")
                guard runs == 1 else { throw InputError(file: path, message: "the database is damaged: \(runs) rows in runs, not 1") }
                for (table, rows) in expected.sorted(by: { $0.key < $1.key }) {
                    let found = try tableCount(table)
                    guard found == rows else {
                        throw InputError(file: path, message: "the database is damaged: \(found) rows in \(table), \(rows) written")
                    }
                }
                let indexes = try Row.fetchAll(db, sql: "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
                for index in indexes {
                    let name: String = index["name"], table: String = index["tbl_name"]
                    let entries = try count("SELECT COUNT(*) FROM \(table) INDEXED BY \(name)"), rows = try tableCount(table)
                    guard entries == rows else {
                        throw InputError(file: path, message: "the database is damaged: \(entries) entries in index \(name) for \(rows) rows in \(table)")
                    }
                }
            }
        } catch let error as DatabaseError {
            throw InputError(file: path, message: "\(failure(error, path: path, action: "cannot read the database").reason)")
        }
    }
}
