import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

@Suite struct HeldPositionTests {
    @Test("a held bar's position read where the mark found it is the account's own, through seeded minutes of entries, exits and fills")
    func slotIsTheAccountsPosition() throws {
        for seed: UInt64 in 1...3 {
            // Tight exits and an eager agent scanning every bar: positions open and close all the time.
            var settings = OrchestratorSettings()
            settings.stopLossBasisPoints = 10
            settings.takeProfitBasisPoints = 10
            var p = VWAPMeanReversionParameters()
            p.lookbackBars = 10
            p.minSessionBars = 3
            p.entryDeviationBasisPoints = 5
            p.exitDeviationBasisPoints = -3
            let scanner = VWAPMeanReversionAgent(id: "v", parameters: p)
            let prepared = PreparedAgent(makeAgent: { VWAPScanningAgent(scanning: ScanningAgent(scanner: scanner, every: 1)) })
            var o = Orchestrator(settings: settings, agents: [(AgentConfig(id: "v", kind: "vwap_mean_reversion", definition: p), prepared)],
                                 variants: [ConfigurableFillModel.seed], risk: .reference, initialBalance: Fixed(100_000))
            var tape = RandomTape(seed: seed)
            var compared = 0, fromSlot = 0
            for _ in 0..<3_000 {
                let bars = tape.next()
                for bar in bars { try o.process(bar) }
                try o.advance(to: bars[0].end)
                let state = o.lanes[0].state
                for var bar in bars {
                    guard let id = state.windows.tickers.existingID(for: bar.ticker) else { continue }
                    bar.tickerID = id
                    #expect(state.heldPosition(bar) == state.account.position(bar.ticker), "seed \(seed), \(bar.ticker) at \(bar.start.iso8601)")
                    compared += 1
                    if id.index < state.positionSlots.count, state.positionSlots[id.index] != nil { fromSlot += 1 }
                }
            }
            try o.finish()
            #expect(fromSlot > 100, "seed \(seed): the slots must answer often (\(fromSlot) of \(compared))")
            #expect(o.lanes[0].result.trades.count > 50, "seed \(seed): the tape must make positions open and close")
        }
    }
}
