import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchReports
import TapebenchStore

/// A run streamed into its folder: report.json v3, rejected orders by reason, and the database and CSV
/// files agreeing row for row.
@Suite struct RunFolderTests {
    /// 200 flat minutes of one ticker from 09:30 EDT on 2024-03-11, and an order tape: 150 market buys of
    /// 5 000 shares ($500 000 > $100 000 of buying power), a buy of 300 ($30 000: 30 % of equity, over the
    /// 20 % limit), a buy of 100 that fills, a sell of 500 (more than the 100 held) and a sell of 100 that fills.
    static func streamed() throws -> (RunDigest, RunFolder, Scenario) {
        let folder = TestScratch.root + "tapebench-runfolder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        var day = ["ticker,volume,open,close,high,low,window_start,transactions"]
        for minute in 0..<200 {
            day.append("TST,1000,100.00,100.00,100.10,99.90,\((1_710_163_800 + Int64(minute) * 60) * 1_000_000_000),")
        }
        try (day.joined(separator: "\n") + "\n").write(toFile: folder + "/data/2024-03-11.csv", atomically: true, encoding: .utf8)
        var tape = ["time,ticker,side,type,quantity,limit_price,stop_price"]
        func at(_ minute: Int64) -> Int64 { (1_710_163_800 + minute * 60) * 1_000_000_000 }
        for minute in 0..<150 { tape.append("\(at(Int64(minute))),TST,buy,market,5000,,") }
        tape += ["\(at(150)),TST,buy,market,300,,", "\(at(151)),TST,buy,market,100,,", "\(at(152)),TST,sell,market,500,,",
                 "\(at(160)),TST,sell,market,100,,"]
        try (tape.joined(separator: "\n") + "\n").write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8)
        try """
            name: rejections
            data: {paths: [data], tickers: [TST]}
            agents:
              - id: tape
                kind: order_tape
                params: {file: orders.csv}
            fill_models: [seed, conservative]
            """.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let scenario = try Scenario.load(path: folder + "/s.yaml")
        let run = RunFolder(path: folder + "/out")
        return (try run.run(scenario), run, scenario)
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test("report.json v3: each list is its count, its first 100 and where the rest is; rejected orders counted by reason")
    func reportShape() throws {
        let (_, folder, _) = try Self.streamed()
        let root = try Self.json(folder.reportJSON)
        #expect(root["schema_version"] as? Int == 3)
        let agents = try #require(root["agents"] as? [[String: Any]])
        #expect(agents.count == 2)
        for (index, agent) in agents.enumerated() {
            let orders = try #require(agent["orders"] as? [String: Any])
            #expect(orders["count"] as? Int == 154)
            #expect((orders["first"] as? [Any])?.count == 100)
            #expect(orders["file"] as? String == "run.sqlite")
            #expect(orders["table"] as? String == "paper_orders")
            let rejected = try #require(agent["rejected_orders"] as? [String: Any])
            #expect((rejected["first"] as? [[String: Any]])?.count == 100)
            let reasons = try #require(rejected["by_reason"] as? [[String: Any]])
            // The reasons add up to the rejected orders, under every variant.
            #expect(reasons.compactMap { $0["count"] as? Int }.reduce(0, +) == rejected["count"] as? Int)
            let trades = try #require(agent["trades"] as? [String: Any])
            #expect(trades["count"] as? Int == 2)
            guard index == 0 else { continue }
            // Under seed: the 150 buys of $500 000 fail on buying power, the buy of $30 000 on the 20 % limit, the
            // sell of 500 on the 100 held; the buy and the sell of 100 fill.
            #expect(agent["variant"] as? String == "seed")
            #expect(rejected["count"] as? Int == 152)
            #expect(reasons.map { $0["reason"] as? String } == ["buying_power", "exceeds_position", "position_size"])
            #expect(reasons.map { $0["count"] as? Int } == [150, 1, 1])
            #expect(reasons.first?["example"] as? String == "buying_power: needs $500050.50, has $100000.00")
            #expect(trades["file"] as? String == "trades.csv")
            #expect((agent["equity_curve"] as? [String: Any])?["file"] as? String == "equity.csv")
        }
    }

    @Test("report.md counts rejected orders by reason and lists the first 50, pointing at run.sqlite for the rest")
    func markdownRejections() throws {
        let (_, folder, _) = try Self.streamed()
        let markdown = try String(contentsOfFile: folder.reportMarkdown, encoding: .utf8)
        // Columns padded to width: compare the seed lane's row with its spaces collapsed.
        let rows = markdown.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows.contains("| buying_power | 150 | buying_power: needs $500050.50, has $100000.00 |"))
        #expect(markdown.contains("… and 102 more in `run.sqlite` (table `paper_orders`, status `rejected`)."))
        let html = try String(contentsOfFile: folder.reportHTML, encoding: .utf8)
        #expect(html.contains("<td>buying_power</td><td class=\"num\">150</td>"))
    }

    @Test("run.sqlite holds every order, rejected ones with their reason, and as many trades as trades.csv and fills.csv have rows")
    func databaseMatchesFiles() throws {
        let (_, folder, _) = try Self.streamed()
        let trades = try String(contentsOfFile: folder.tradesCSV, encoding: .utf8).split(separator: "\n").count - 1
        let fills = try String(contentsOfFile: folder.fillsCSV, encoding: .utf8).split(separator: "\n").count - 1
        #expect(trades == 4 && fills == 4)  // two fills under each of two variants
        #expect(try sqlite(folder.database, "SELECT COUNT(*) FROM paper_trades") == "\(trades)")
        #expect(try sqlite(folder.database, "SELECT COUNT(*) FROM paper_orders") == "308")
        #expect(try sqlite(folder.database, "SELECT COUNT(*) FROM paper_orders WHERE status = 'rejected' AND account_id = 1 AND reject_reason LIKE 'buying_power:%'") == "150")
        // No scratch file of the lanes is left in the published folder.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == [".tapebench-run", "equity.csv", "fills.csv", "report.html", "report.json", "report.md", "returns.csv", "round_trips.csv",
                   "run.sqlite", "trades.csv"])
    }

    @Test("the streamed fills.csv, trades.csv and round_trips.csv are the bytes the same events give when kept in memory")
    func streamedEqualsInMemory() throws {
        let (_, folder, scenario) = try Self.streamed()
        let memory = try ScenarioRunner.run(scenario)
        #expect(try String(contentsOfFile: folder.fillsCSV, encoding: .utf8) == FillsCSV.render(memory))
        #expect(try String(contentsOfFile: folder.tradesCSV, encoding: .utf8) == TablesCSV.trades(memory))
        #expect(try String(contentsOfFile: folder.roundTripsCSV, encoding: .utf8) == RoundTripsCSV.render(memory))
        #expect(memory.lanes.allSatisfy { $0.roundTrips.count == 1 })  // the buy of 100 and the sell of 100, in each lane
    }

    func sqlite(_ database: String, _ sql: String) throws -> String {
        let queue = try DatabaseQueue(path: database)
        return try queue.read { db in try String(try Int.fetchOne(db, sql: sql) ?? -1) }
    }
}

/// run.sqlite in the reference system's names, its signals linked to the orders, trades and positions
/// they led to.
@Suite struct RunDatabaseSignalTests {
    static let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/scenarios/default.yaml"

    @Test("every signal is a row; an order placed from one carries its signal_id, and so do its trades and the position it opened")
    func signalsLinked() throws {
        let folder = RunFolder(path: TestScratch.root + "tapebench-signals-\(UUID().uuidString)/out")
        let digest = try folder.run(try Scenario.load(path: Self.scenario))
        let summary = try #require(digest.lanes.first?.summary)
        let queue = try DatabaseQueue(path: folder.database)
        try queue.read { (db: Database) throws in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? -1 }
            #expect(summary.signalsGenerated > 1_000)
            #expect(try count("SELECT COUNT(*) FROM signals") == summary.signalsGenerated)
            #expect(try count("SELECT COUNT(*) FROM signals WHERE acted_on = 1") == summary.signalsActedOn)
            // Each acted-on signal led to exactly one order, of its ticker, side and reason, placed when it was read.
            #expect(try count("SELECT COUNT(*) FROM paper_orders WHERE signal_id IS NOT NULL") == summary.signalsActedOn)
            #expect(try count("""
                SELECT COUNT(*) FROM paper_orders o JOIN signals s ON s.id = o.signal_id
                WHERE s.ticker = o.ticker AND s.side = o.side AND s.reason = o.signal AND s.acted_on = 1
                """) == summary.signalsActedOn)
            // Stop-loss and take-profit orders come from no signal.
            #expect(try count("SELECT COUNT(*) FROM paper_orders WHERE purpose IN ('stop_loss', 'take_profit') AND signal_id IS NOT NULL") == 0)
            // A trade's signal is its order's.
            #expect(try count("""
                SELECT COUNT(*) FROM paper_trades t JOIN paper_orders o ON o.id = t.order_id WHERE t.signal_id IS NOT o.signal_id
                """) == 0)
            // Orders carry their fills' costs: together, the account's commissions.
            let commissions = try Double.fetchOne(db, sql: "SELECT SUM(commission) FROM paper_orders") ?? -1
            #expect(abs(commissions - summary.commissions.doubleValue) < 1e-6)
            // Open positions name the signal of the order that opened them.
            #expect(try count("SELECT COUNT(*) FROM paper_positions WHERE signal IS NOT NULL AND signal_id IS NULL") == 0)
            #expect(try count("""
                SELECT COUNT(*) FROM paper_positions p JOIN signals s ON s.id = p.signal_id WHERE s.ticker != p.ticker OR s.reason != p.signal
                """) == 0)
            #expect(try count("SELECT COUNT(*) FROM paper_accounts WHERE current_cash IS NOT NULL") == 1)
        }
    }
}
