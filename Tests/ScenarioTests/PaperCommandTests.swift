import Foundation
import GRDB
import Testing
import TapebenchCore
import TapebenchTestSupport

/// `tapebench paper` as a user runs it: against `run`, and killed and restarted.
@Suite("paper command", .serialized)
struct PaperCommandTests {
    /// The default scenario over its first three trading days (about 1 400 minutes with extended hours).
    func shortScenario(in folder: String) throws -> String {
        let text = try String(contentsOfFile: Repository.defaultScenario, encoding: .utf8)
            .replacingOccurrences(of: "paths: [../datasets/default]", with: "paths: [\(Repository.root)/datasets/default]")
            .replacingOccurrences(of: "to: 2024-04-02", with: "to: 2024-03-06")
        try text.write(toFile: folder + "/short.yaml", atomically: true, encoding: .utf8)
        return folder + "/short.yaml"
    }

    @Test("paper over the replay at --speed max writes the same orders, fills, positions, signals and snapshots as run")
    func sameAsRun() throws {
        let folder = try temporaryFolder()
        let scenario = try shortScenario(in: folder)
        let paper = try runTapebench(["paper", scenario, "--source", "replay", "--speed", "max", "--db", "paper.sqlite"], in: folder)
        #expect(paper.status == 0, "\(paper.stderr)")
        #expect(paper.stdout.hasPrefix("finished: "))
        let run = try runTapebench(["run", scenario, "-o", "out", "-q"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let fromPaper = try LedgerDump(folder + "/paper.sqlite"), fromRun = try LedgerDump(folder + "/out/run.sqlite")
        #expect(fromPaper.rows["paper_trades"]!.count > 20)  // the scenario trades: the comparison means something
        for table in LedgerDump.tables where table != "paper_accounts" {
            #expect(fromPaper.rows[table] == fromRun.rows[table], "\(table)")
        }
        // The account's amounts (created_at/updated_at: run stamps the last snapshot, paper the last minute).
        #expect(fromPaper.accountAmounts == fromRun.accountAmounts)
    }

    @Test("killed with SIGKILL at random moments four times and restarted, the ledger ends as an uninterrupted run's")
    func killNine() throws {
        let folder = try temporaryFolder()
        let scenario = try shortScenario(in: folder)
        let whole = try runTapebench(["paper", scenario, "--source", "replay", "--speed", "max", "--db", "whole.sqlite"], in: folder)
        #expect(whole.status == 0, "\(whole.stderr)")
        var random = Xoshiro256(seed: 17)
        var kills = 0, lastMinutes = -1
        for _ in 0..<4 {
            let process = try startTapebench(["paper", scenario, "--source", "replay", "--speed", "max", "--db", "killed.sqlite"], in: folder)
            // Inside the replay whatever the machine's load: once this start has committed a minute of its
            // own, then a random 0–300 ms more.
            while process.isRunning, try checkpointMinutes(folder + "/killed.sqlite") <= lastMinutes { usleep(20_000) }
            usleep(UInt32(random.next() % 300_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            let minutes = try checkpointMinutes(folder + "/killed.sqlite")
            #expect(minutes > lastMinutes, "each start commits minutes of its own, and a restart loses none")
            lastMinutes = minutes
        }
        #expect(kills >= 3, "the kills must land inside the run for the test to mean something")
        let rest = try runTapebench(["paper", scenario, "--source", "replay", "--speed", "max", "--db", "killed.sqlite"], in: folder)
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(rest.stderr.contains("resumed after "))
        let killed = try LedgerDump(folder + "/killed.sqlite"), uninterrupted = try LedgerDump(folder + "/whole.sqlite")
        for table in LedgerDump.tables + ["paper_checkpoint", "paper_bars"] {
            #expect(killed.rows[table] == uninterrupted.rows[table], "\(table)")
        }
        // Finished: the same command again does nothing.
        let again = try runTapebench(["paper", scenario, "--source", "replay", "--speed", "max", "--db", "killed.sqlite"], in: folder)
        #expect(again.status == 0)
        #expect(again.stdout.contains("finished already"))
    }

    @Test("SIGINT finishes the minute in hand and exits 0; the same command resumes to the same ledger")
    func interrupt() throws {
        let folder = try temporaryFolder()
        let scenario = try shortScenario(in: folder)
        // 600 s of data per second: the run takes minutes, so the signal lands inside it.
        let process = try startTapebench(["paper", scenario, "--source", "replay", "--speed", "600", "--db", "paused.sqlite"], in: folder)
        while process.isRunning, try checkpointMinutes(folder + "/paused.sqlite") < 5 { usleep(20_000) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let minutes = try checkpointMinutes(folder + "/paused.sqlite")
        #expect(minutes > 0)
        let rest = try runTapebench(["paper", scenario, "--source", "replay", "--speed", "max", "--db", "paused.sqlite"], in: folder)
        #expect(rest.status == 0, "\(rest.stderr)")
        let whole = try runTapebench(["paper", scenario, "--source", "replay", "--speed", "max", "--db", "whole.sqlite"], in: folder)
        #expect(whole.status == 0)
        let resumed = try LedgerDump(folder + "/paused.sqlite"), uninterrupted = try LedgerDump(folder + "/whole.sqlite")
        for table in LedgerDump.tables { #expect(resumed.rows[table] == uninterrupted.rows[table], "\(table)") }
    }

    @Test("a --db that is not this scenario's paper database is refused (exit 2) and left as it was")
    func foreignDatabase() throws {
        let folder = try temporaryFolder()
        let scenario = try shortScenario(in: folder)
        try "not a database".write(toFile: folder + "/mine.sqlite", atomically: true, encoding: .utf8)
        let result = try runTapebench(["paper", scenario, "--source", "replay", "--speed", "max", "--db", "mine.sqlite"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: mine.sqlite: not a Tapebench paper database"))
        #expect(try String(contentsOfFile: folder + "/mine.sqlite", encoding: .utf8) == "not a database")
        let speed = try runTapebench(["paper", scenario, "--source", "replay", "--speed", "fast"], in: folder)
        #expect(speed.status == 2)
        #expect(speed.stderr == "error: --speed: 'fast' is not a speed: a positive number or max\n")
    }
}

/// The ledger tables of a paper or run database, as text rows in id order.
struct LedgerDump {
    static let tables = ["paper_accounts", "paper_positions", "paper_orders", "paper_trades", "paper_account_snapshots", "signals", "risk_events"]
    var rows: [String: [String]] = [:]
    var accountAmounts: [String] = []

    init(_ path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try queue.read { db in
            for table in LedgerDump.tables + ["paper_checkpoint", "paper_bars"] where try db.tableExists(table) {
                let order = table == "paper_bars" ? "rowid" : "id"
                rows[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)").map(\.description)
            }
            accountAmounts = try Row.fetchAll(db, sql: """
                SELECT id, agent_id, variant, status, current_cash, equity, buying_power, total_pnl, realized_pnl, unrealized_pnl,
                       commissions, slippage, win_rate, sharpe_ratio, max_drawdown FROM paper_accounts ORDER BY id
                """).map(\.description)
        }
    }
}

func checkpointMinutes(_ path: String) throws -> Int {
    guard FileManager.default.fileExists(atPath: path) else { return 0 }
    var configuration = Configuration()
    configuration.busyMode = .timeout(5)
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    defer { try? queue.close() }
    return try queue.read { try Int.fetchOne($0, sql: "SELECT minutes FROM paper_checkpoint") ?? 0 }
}

/// Starts the built `tapebench` without waiting; output is discarded. `environment` is added to ours.
func startTapebench(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Repository.tapebench)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}
