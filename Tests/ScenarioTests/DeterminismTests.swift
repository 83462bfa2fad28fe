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
        try a.write(try ScenarioRunner.run(scenario))
        try b.write(try ScenarioRunner.run(scenario))
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
    @Test("five fill-model lanes side by side give the same bytes as one after the other, and as a second run")
    func parallelEqualsSequential() throws {
        let scenario = try Scenario.load(path: Repository.root + "/scenarios/fill-models.yaml")
        let parallel = try ScenarioRunner.run(scenario, parallel: true)
        let again = try ScenarioRunner.run(scenario, parallel: true)
        let sequential = try ScenarioRunner.run(scenario, parallel: false)
        #expect(parallel.lanes.count == 5)
        let json = JSONReport.render(parallel)
        #expect(json == JSONReport.render(again))
        #expect(json == JSONReport.render(sequential))
        #expect(FillsCSV.render(parallel) == FillsCSV.render(sequential))
    }
}
