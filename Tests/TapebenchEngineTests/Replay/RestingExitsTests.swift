import Testing
import TapebenchCore
import TapebenchData
import TapebenchExecution
@testable import TapebenchEngine

/// `orchestrator.exits: resting`: the stop-loss and take-profit rest as a bracket from the entry fill on.
/// Every test: a buy decided at 09:35 fills 100 shares at the 09:35 bar's open 100 + 1 bp = 100.01 (cost
/// $10,001.00), so the bracket, placed at 09:36, is a stop at ⌊10,001 × 0.95 / 100⌋ = 95.00 (95.0095 floored to
/// the cent) and a limit at ⌈10,001 × 1.10 / 100⌉ = 110.02 (110.011 ceiled).
@Suite struct RestingExitsTests {
    static func bar(_ minute: Int64, _ o: String, _ h: String, _ l: String, _ c: String) -> Bar {
        Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: minute), open: Fixed(parsing: o)!, high: Fixed(parsing: h)!,
            low: Fixed(parsing: l)!, close: Fixed(parsing: c)!, volume: 1_000_000)
    }

    /// The entry (bars 0–5 at 100), then `after` from 09:36 on, replayed under each model; the lanes' results.
    static func replay(_ after: [Bar], models: [FillModelSpec], exits: ExitMode = .resting, sellAt: Int64? = nil) throws -> [LaneResult] {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        if let sellAt { agent.script[sessionOpen.adding(minutes: sellAt)] = .sell }
        var settings = OrchestratorSettings()
        settings.exits = exits
        var o = Orchestrator(settings: settings, agents: [scripted(agent, settings: settings)],
                             variants: models.map(ConfigurableFillModel.init), risk: .reference, initialBalance: Fixed(100_000))
        for m in 0..<6 { try o.process(bar(Int64(m), "100", "100", "100", "100")) }
        for b in after { try o.process(b) }
        try o.finish()
        return o.results
    }

    static func named(_ name: String, _ change: (inout FillModelSpec) -> Void) -> FillModelSpec {
        var spec = FillModelSpec.seed
        spec.name = name
        change(&spec)
        return spec
    }

    @Test("on the entry fill a stop and a limit rest for the whole position, at prices floored and ceiled to the tick")
    func placed() throws {
        let run = try Self.replay([Self.bar(6, "101", "102", "100", "101")], models: [.seed])[0]
        #expect(run.orders.map(\.purpose) == ["signal_entry", "stop_loss", "take_profit"])
        let (stop, target) = (run.orders[1], run.orders[2])
        #expect(stop.type == .stop && stop.side == .sell && stop.quantity == 100 && stop.stopPrice == Fixed(95))
        #expect(target.type == .limit && target.side == .sell && target.quantity == 100 && target.limitPrice == Fixed(parsing: "110.02"))
        #expect(stop.submittedAt == sessionOpen.adding(minutes: 6))
        // Still resting when the data ends.
        #expect(stop.rejectReason == "end_of_replay: still open when the data ended")
    }

    @Test("a gap through the stop fills at the stop under seed, at the open under the gap rules; the target is cancelled")
    func gapThroughStop() throws {
        let gapAware = Self.named("gap") { $0.stop = .gapAware }
        let runs = try Self.replay([Self.bar(6, "93", "94", "92", "93.50"), Self.bar(7, "120", "120", "120", "120")],
                                   models: [.seed, gapAware, .conservative])
        let seed = try #require(runs[0].trades.last?.fill)
        #expect(seed.rule == .stopTrigger && seed.price == Fixed(95) && seed.time == sessionOpen.adding(minutes: 7))
        let gap = try #require(runs[1].trades.last?.fill)
        #expect(gap.rule == .stopGapOpen && gap.price == Fixed(93))
        // Conservative: to market at the open, then its slippage (below the open).
        let conservative = try #require(runs[2].trades.last?.fill)
        #expect(conservative.rule == .stopGapOpen && conservative.referencePrice == Fixed(93) && conservative.price < Fixed(93))
        for run in runs {
            #expect(run.trades.count == 2)  // the target never fills on the 120 bar
            #expect(run.orders[2].status == .cancelled)
            #expect(run.orders[2].rejectReason == "cancelled: one-cancels-other: order 2 (stop_loss) filled")
            #expect(run.account.position("AAPL") == nil)
            #expect(!run.trades[1].fill.ambiguous)
        }
        // The reference's exit instead: seen on the 09:36 bar's close, sold at the 09:37 open (120 − 1 bp).
        let market = try Self.replay([Self.bar(6, "93", "94", "92", "93.50"), Self.bar(7, "120", "120", "120", "120")], models: [.seed], exits: .market)[0]
        #expect(market.trades.last?.fill.price == Fixed(parsing: "119.988"))
    }

    @Test("a bar reaching both legs: the intrabar path decides, and the fill is counted ambiguous", arguments: [
        (IntrabarPath.anyOrder, "take_profit"), (.openHighLowClose, "take_profit"), (.openLowHighClose, "stop_loss"),
        (.worstCase, "stop_loss"), (.nearestFirst, "stop_loss"),
    ])
    func bothLegs(path: IntrabarPath, exit: String) throws {
        // nearest: the low (2 below the open) is nearer than the high (15 above): low first.
        let model = Self.named("p") { $0.intrabarPath = path }
        let run = try Self.replay([Self.bar(6, "96", "111", "94", "100")], models: [model])[0]
        let fill = try #require(run.trades.last?.fill)
        let order = try #require(run.orders.first { $0.id == fill.orderID })
        #expect(order.purpose == exit)
        #expect(fill.price == (exit == "stop_loss" ? Fixed(95) : Fixed(parsing: "110.02")))
        #expect(fill.ambiguous)
        #expect(run.totals.ambiguousFills == 1)
        #expect(run.orders.filter { $0.status == .cancelled }.count == 1)
        #expect(run.account.position("AAPL") == nil)
    }

    @Test("a bar opening beyond one leg is decided by the gap, not the path: not ambiguous")
    func gapDecides() throws {
        let model = Self.named("p") { $0.intrabarPath = .openHighLowClose }
        let run = try Self.replay([Self.bar(6, "94", "111", "93", "100")], models: [model])[0]
        let fill = try #require(run.trades.last?.fill)
        #expect(run.orders.first { $0.id == fill.orderID }?.purpose == "stop_loss")
        #expect(!fill.ambiguous)
    }

    @Test("under the engine presets the stop goes first whenever the bar reaches both legs, as backtrader and backtesting.py do",
          arguments: [FillModelSpec.backtrader, .backtesting])
    func enginePresets(model: FillModelSpec) throws {
        // Opens above the target (seed's gap rule would take the target), then falls through the stop.
        for bar in [Self.bar(6, "96", "111", "94", "100"), Self.bar(6, "111", "112", "94", "100")] {
            let run = try Self.replay([bar], models: [model])[0]
            let fill = try #require(run.trades.last?.fill)
            #expect(run.orders.first { $0.id == fill.orderID }?.purpose == "stop_loss")
            // The stop at the worse of open and stop: 95, both bars opening above it.
            #expect(fill.referencePrice == Fixed(95))
        }
    }

    @Test("the target filling cancels the stop, which then never fills")
    func targetCancelsStop() throws {
        let run = try Self.replay([Self.bar(6, "105", "111", "104", "110"), Self.bar(7, "90", "90", "90", "90")], models: [.seed])[0]
        #expect(run.trades.count == 2)
        #expect(run.trades[1].fill.rule == .limitTouch && run.trades[1].fill.price == Fixed(parsing: "110.02"))
        #expect(run.orders[1].status == .cancelled)
        #expect(run.orders[1].rejectReason == "cancelled: one-cancels-other: order 3 (take_profit) filled")
        #expect(run.orders[1].closedAt == sessionOpen.adding(minutes: 7))
    }

    @Test("a signal's exit replaces the bracket")
    func signalExit() throws {
        // Scans at 09:35, 09:40: the sell at 09:40 is decided on the 09:39 bar's close.
        let bars = (6..<11).map { Self.bar($0, "101", "102", "100", "101") }
        let run = try Self.replay(bars, models: [.seed], sellAt: 10)[0]
        #expect(run.orders.map(\.purpose) == ["signal_entry", "stop_loss", "take_profit", "signal_exit"])
        #expect(run.orders[1].rejectReason == "cancelled: bracket: the signal's exit replaces it")
        #expect(run.orders[2].status == .cancelled)
        #expect(run.orders[3].submittedAt == sessionOpen.adding(minutes: 10))
    }
}
