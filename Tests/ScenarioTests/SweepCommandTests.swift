import Foundation
import Testing
import TapebenchTestSupport

@Suite struct SweepCommandTests {
    @Test("a sweep of the default scenario writes its CSV and SVG and finds the break-even slippage")
    func sweep() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["sweep", Repository.defaultScenario, "--param", "slippage.bps=0:4:1", "--out", "out"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("5 points × 1 agent(s), base fill model 'seed'"))
        // Net return falls with slippage and crosses zero between 1 and 2 bp (seed at 1 bp earns 1.00 %).
        #expect(result.stdout.contains("vwap-mr · slippage.bps: break-even at 1.7669"))
        let csv = try String(contentsOfFile: folder + "/out/sweep.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 6)
        #expect(csv[0] == "agent,slippage.bps,net_pnl,return,sharpe,max_drawdown,win_rate,fills,commissions,slippage")
        #expect(csv[2].hasPrefix("vwap-mr,1,998.729038,0.009987,"))  // the seed point equals the default run
        let svg = try String(contentsOfFile: folder + "/out/sweep.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("break-even 1.77"))
    }

    @Test("a sweep over fractional bps runs: 0:2:0.5 is five points, the 1 bp point is the default run, net P&L falls")
    func fractionalBasisPoints() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["sweep", Repository.defaultScenario, "--param", "slippage.bps=0:2:0.5", "--out", "out"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("5 points × 1 agent(s), base fill model 'seed'"))
        #expect(result.stdout.contains("vwap-mr · slippage.bps: break-even at 1.7"))  // between 1.5 and 2 bp
        let rows = try String(contentsOfFile: folder + "/out/sweep.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.map { String($0[1]) } == ["0", "0.5", "1", "1.5", "2"])
        #expect(rows[2][2] == "998.729038")  // the seed point equals the default run
        let pnl = rows.map { Double($0[2])! }
        #expect(zip(pnl, pnl.dropFirst()).allSatisfy { $0 > $1 }, "\(pnl)")
    }

    @Test("a bad parameter is one line and exit 2")
    func bad() throws {
        let result = try runTapebench(["sweep", Repository.defaultScenario, "--param", "slippage.bps=0:x:1"], in: try temporaryFolder())
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: --param: 'slippage.bps=0:x:1': START:STOP:STEP needs numbers"))
    }
}
