import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchReports

/// How a run folder's run.sqlite is made: a run of one lane writes it in place as it replays; a run of
/// several copies its lanes' scratch databases in. Either way the same schema and the same rows.
@Suite struct RunFolderDatabaseTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The default scenario (one agent) under `fillModels`, replayed into a new folder; returns run.sqlite's path.
    func run(fillModels: String, in folder: String, threads: Int) throws -> String {
        let text = try String(contentsOfFile: Self.root + "/scenarios/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "[../datasets/default]", with: "[\(Self.root)/datasets/default]")
            .replacingOccurrences(of: "fill_model: seed", with: fillModels)
        let file = folder + "/scenario-\(threads).yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let out = folder + "/out-\(UUID().uuidString)"
        try RunFolder(path: out).run(try Scenario.load(path: file), threads: threads)
        // Only the published files: no lane's scratch database is left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(!names.contains { $0.hasSuffix(".sqlite") && $0 != "run.sqlite" }, "\(names)")
        return out + "/run.sqlite"
    }

    /// Every row of `sql` in the database at `path`, as text.
    func rows(_ path: String, _ sql: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
    }

    @Test("one lane written in place and the same lane copied from its scratch database: same schema, same rows", arguments: [1, 2])
    func inPlaceEqualsCopied(threads: Int) throws {
        let folder = TestScratch.root + "tapebench-inplace-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Given the default scenario alone (one lane) and with a second variant of the same rules (two lanes) …
        let alone = try run(fillModels: "fill_model: seed", in: folder, threads: threads)
        let copied = try run(fillModels: "fill_models: [seed, {name: seed-b, preset: seed}]", in: folder, threads: threads)
        // … the schema is the same statements in the same order …
        let schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"
        #expect(try rows(alone, schema) == rows(copied, schema))
        #expect(try rows(alone, "PRAGMA user_version") == rows(copied, "PRAGMA user_version"))
        // … and lane 0's rows are the same in both, in every table.
        for table in ["signals", "paper_orders", "paper_trades", "paper_account_snapshots", "risk_events", "paper_positions"] {
            let sql = "SELECT * FROM \(table) WHERE account_id = 1 ORDER BY id"
            let mine = try rows(alone, sql)
            #expect(mine == (try rows(copied, sql)), "\(table)")
            if table == "signals" || table == "paper_orders" { #expect(mine.count > 100, "\(table)") }
        }
        #expect(try rows(alone, "SELECT * FROM paper_accounts") == rows(copied, "SELECT * FROM paper_accounts WHERE id = 1"))
        #expect(try rows(alone, "SELECT COUNT(*) FROM runs") == ["[COUNT(*):1]"])
        #expect(try rows(alone, "PRAGMA integrity_check") == ["[integrity_check:\"ok\"]"])
    }
}
