import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchReports

@Suite struct DeterminismTests {
    @Test("the default scenario run twice writes byte-identical reports: JSON, Markdown, HTML and the CSVs")
    func twice() throws {
        let scenario = try Scenario.load(path: Repository.defaultScenario)
        let a = RunFolder(path: try temporaryFolder("a") + "/out"), b = RunFolder(path: try temporaryFolder("b") + "/out")
        try a.run(scenario)
        try b.run(scenario)
        for (x, y) in [(a.reportJSON, b.reportJSON), (a.reportMarkdown, b.reportMarkdown), (a.fillsCSV, b.fillsCSV),
                       (a.reportHTML, b.reportHTML), (a.tradesCSV, b.tradesCSV), (a.equityCSV, b.equityCSV)] {
            let first = try #require(FileManager.default.contents(atPath: x))
            #expect(first.count > 1_000)
            #expect(first == FileManager.default.contents(atPath: y), "\(x) differs between runs")
        }
    }

    @Test("the default scenario trades, and its ledger reconciles to the cent")
    func reconciles() throws {
        let result = try ScenarioRunner.run(try Scenario.load(path: Repository.defaultScenario))
        let run = try #require(result.lanes.first)
        #expect(run.trades.count > 100)
        let account = run.account
        #expect(account.equity - account.initialBalance == account.realizedPnL + account.unrealizedPnL - account.commissions)
        let cashFlow = run.trades.reduce(account.initialBalance) { cash, trade in
            let f = trade.fill
            return cash - f.commission + (f.side == .buy ? -f.notional : f.notional)
        }
        #expect(cashFlow == account.cash)
        #expect(run.trades.last?.cashAfter == account.cash)
        #expect(account.commissions == Fixed(raw: 50_000_000 * Int64(run.trades.count)))
        // Every filled order has its trade, and every trade its order.
        let filled = Set(run.orders.filter { $0.status == .filled }.map(\.id))
        #expect(Set(run.trades.map(\.fill.orderID)) == filled)
    }
}

@Suite struct ParallelLanesTests {
    @Test("five fill-model lanes side by side give the same bytes, run.sqlite included, as one after the other, on 1, 2 and 4 threads, and as a second run")
    func parallelEqualsSequential() throws {
        let scenario = try Scenario.load(path: Repository.root + "/scenarios/fill-models.yaml")
        // Streamed into run folders: each lane writes its own rows on whatever thread replays it.
        var folders: [RunFolder] = []
        for (parallel, threads) in [(true, 0), (true, 0), (false, 0), (true, 1), (true, 2), (true, 4)] {
            let folder = RunFolder(path: try temporaryFolder("lanes") + "/out")
            let digest = try folder.run(scenario, parallel: parallel, threads: threads)
            #expect(digest.lanes.count == 5)
            folders.append(folder)
        }
        for folder in folders.dropFirst() {
            for (x, y) in [(folders[0].reportJSON, folder.reportJSON), (folders[0].reportMarkdown, folder.reportMarkdown),
                           (folders[0].reportHTML, folder.reportHTML), (folders[0].fillsCSV, folder.fillsCSV),
                           (folders[0].tradesCSV, folder.tradesCSV), (folders[0].equityCSV, folder.equityCSV),
                           (folders[0].database, folder.database)] {
                let first = try #require(FileManager.default.contents(atPath: x))
                #expect(first == FileManager.default.contents(atPath: y), "\(y) differs from \(x)")
            }
        }
    }
}
