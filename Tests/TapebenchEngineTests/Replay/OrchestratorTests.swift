import Testing
import TapebenchCore
import TapebenchData
import TapebenchExecution
@testable import TapebenchEngine

/// An agent that signals what it is told, at the bar ends it is told, and records when it was asked.
final class ScriptedAgent: SignalScanner, @unchecked Sendable {
    let id = "scripted"
    var script: [Timestamp: OrderSide] = [:]
    /// Signals stamped this many minutes before the scan (to test the age filter).
    var signalAgeMinutes: Int64 = 0
    var scans: [Timestamp] = []

    func scan(ticker: String, window: BarWindow, recent: Int, held: Int64) -> [Signal] {
        let last = window.last!
        scans.append(last.end)
        guard let side = script[last.end] else { return [] }
        return [Signal(agent: id, ticker: ticker, side: side, time: last.end.adding(minutes: -signalAgeMinutes), price: last.close, reason: "scripted")]
    }
}

/// 2024-03-11 09:30 EDT.
let sessionOpen = Timestamp(seconds: 1_710_163_800)

func minuteBar(_ minute: Int64, open: String, close: String? = nil, ticker: String = "AAPL") -> Bar {
    let o = Fixed(parsing: open)!, c = Fixed(parsing: close ?? open)!
    return Bar(ticker: ticker, start: sessionOpen.adding(minutes: minute), open: o, high: max(o, c), low: min(o, c), close: c, volume: 1_000)
}

/// The scripted scanner as the orchestrator runs a built-in agent: on every `scan_every_bars`-th bar of a ticker.
func scripted(_ agent: ScriptedAgent, settings: OrchestratorSettings = OrchestratorSettings()) -> (config: AgentConfig, agent: PreparedAgent) {
    let every = settings.scanEveryBars
    return (AgentConfig(id: agent.id, kind: "scripted", definition: VWAPMeanReversionParameters()),
            PreparedAgent(makeAgent: { ScanningAgent(scanner: agent, every: every) }))
}

func orchestrator(_ agent: ScriptedAgent, risk: RiskLimits = .reference, settings: OrchestratorSettings = OrchestratorSettings()) -> Orchestrator<SimulatedClock, InMemoryRecorder> {
    Orchestrator(settings: settings, agents: [scripted(agent, settings: settings)],
                 variants: [ConfigurableFillModel.seed], risk: risk, initialBalance: Fixed(100_000))
}

@Suite struct OrchestratorTests {
    @Test("the agent scans every 5th regular-hours bar of a ticker")
    func scanCadence() throws {
        let agent = ScriptedAgent()
        var o = orchestrator(agent)
        try o.process(Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: -30), open: Fixed(10), high: Fixed(10), low: Fixed(10), close: Fixed(10), volume: 1))
        for m in 0..<12 { try o.process(minuteBar(Int64(m), open: "10.00")) }
        try o.advance(to: sessionOpen.adding(minutes: 11))  // the steps the bars completed (the 09:41 bar's is not)
        #expect(agent.scans == [sessionOpen.adding(minutes: 5), sessionOpen.adding(minutes: 10)])
        #expect(o.statistics.barsOutsideRegularHours == 1)
        #expect(o.statistics.barsReplayed == 12)
    }

    @Test("a buy signal becomes a market order for 10 % of equity, filled at the next bar's open + 1 bp")
    func entry() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var o = orchestrator(agent)
        for m in 0..<5 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        // Decided at 09:35 (end of the 09:34 bar); the 09:35 bar opens at 101.
        try o.process(minuteBar(5, open: "101.00", close: "101.50"))
        try o.advance(to: sessionOpen.adding(minutes: 6))  // the 09:35 minute has ended
        let run = o.lanes[0].result
        #expect(run.orders.count == 1)
        #expect(run.orders[0].quantity == 100)  // $10,000 / $100.00 close
        #expect(run.orders[0].submittedAt == sessionOpen.adding(minutes: 5))
        #expect(run.orders[0].status == .filled)
        let fill = try #require(run.trades.first?.fill)
        #expect(fill.price == Fixed(parsing: "101.0101"))
        #expect(fill.time == sessionOpen.adding(minutes: 6))
        #expect(run.account.cash == Fixed(parsing: "89898.49"))
        #expect(run.account.position("AAPL")?.currentPrice == Fixed(parsing: "101.50"))
    }

    @Test("signals older than 5 minutes are ignored")
    func staleSignals() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        agent.signalAgeMinutes = 6
        var o = orchestrator(agent)
        for m in 0..<7 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.advance(to: sessionOpen.adding(minutes: 6))
        #expect(o.lanes[0].result.orders.isEmpty)
        #expect(o.lanes[0].result.counts.signalsGenerated == 1)
    }

    @Test("a 5 % loss from entry closes the position with a stop-loss market order")
    func stopLoss() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var o = orchestrator(agent)
        for m in 0..<5 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.process(minuteBar(5, open: "100.00"))       // fills 100 at 100.01
        try o.process(minuteBar(6, open: "96.00", close: "95.00"))  // 95.00 ≤ 0.95 × 100.01: exit decided at 09:37
        try o.process(minuteBar(7, open: "94.00"))        // exit fills at 94 − 1 bp
        try o.advance(to: sessionOpen.adding(minutes: 8))
        let run = o.lanes[0].result
        #expect(run.orders.map(\.purpose) == ["signal_entry", "stop_loss"])
        #expect(run.orders[1].status == .filled)
        #expect(run.trades[1].fill.price == Fixed(parsing: "93.9906"))
        #expect(run.trades[1].realizedPnL == Fixed(parsing: "-601.94"))
        #expect(run.account.position("AAPL") == nil)
        #expect(run.account.cash == Fixed(100_000) + Fixed(parsing: "-601.94")! - Fixed(1))
    }

    @Test("a 10 % gain closes the position with a take-profit order")
    func takeProfit() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var o = orchestrator(agent)
        for m in 0..<6 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.process(minuteBar(6, open: "110.00", close: "110.02"))
        try o.process(minuteBar(7, open: "110.00"))
        try o.advance(to: sessionOpen.adding(minutes: 8))
        #expect(o.lanes[0].result.orders.map(\.purpose) == ["signal_entry", "take_profit"])
        #expect(o.lanes[0].result.orders[1].status == .filled)
    }

    @Test("a fill that breaks a risk limit is rejected with its reason on the order")
    func rejection() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var settings = OrchestratorSettings()
        settings.positionSizeBasisPoints = 3_000  // 30 % per position, above the 20 % limit
        var o = orchestrator(agent, settings: settings)
        for m in 0..<6 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.advance(to: sessionOpen.adding(minutes: 6))
        let order = o.lanes[0].result.orders[0]
        #expect(order.status == .rejected)
        #expect(order.rejectReason == "position_size: $30003.00 would be 30.00% of equity $100000.00, limit 20%")
        #expect(o.lanes[0].result.trades.isEmpty)
    }

    @Test("an order decided at a bar's end never fills on a bar that started before it")
    func noLookAhead() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var o = orchestrator(agent)
        for m in 0..<5 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        // Another ticker's bar of the same minute: applied before the decision, it cannot touch the AAPL order.
        try o.process(minuteBar(4, open: "50.00", ticker: "MSFT"))
        try o.advance(to: sessionOpen.adding(minutes: 5))  // the buy is decided at 09:35
        #expect(o.lanes[0].result.orders.map(\.submittedAt) == [sessionOpen.adding(minutes: 5)])
        // An AAPL bar that started at 09:34, arriving after the decision (a live feed's late minute), must not fill it.
        try o.process(minuteBar(4, open: "50.00"))
        try o.advance(to: sessionOpen.adding(minutes: 5))
        #expect(o.lanes[0].result.orders[0].status == .pending)
        #expect(o.lanes[0].result.trades.isEmpty)
    }

    @Test("one snapshot per trading day, and orders still open at the end are cancelled")
    func snapshotsAndEnd() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var o = orchestrator(agent)
        for m in 0..<5 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.process(Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: 24 * 60), open: Fixed(100), high: Fixed(100), low: Fixed(100), close: Fixed(100), volume: 1))
        try o.finish()
        #expect(o.lanes[0].result.snapshots.map(\.date.description) == ["2024-03-11", "2024-03-12"])
        #expect(o.lanes[0].result.snapshots[0].time.iso8601 == "2024-03-11T20:00:00Z")
        #expect(o.lanes[0].result.orders[0].status == .filled)  // filled on the next day's first bar
    }
}

@Suite struct BreakerTests {
    func lane(_ risk: RiskLimits, agent: ScriptedAgent) -> Orchestrator<SimulatedClock, InMemoryRecorder> {
        var settings = OrchestratorSettings()
        settings.stopLossBasisPoints = 9_000  // keep the reference exits out of the way
        return Orchestrator(settings: settings, agents: [scripted(agent, settings: settings)],
                            variants: [ConfigurableFillModel.seed], risk: risk, initialBalance: Fixed(100_000))
    }

    @Test("the daily loss limit blocks new entries for the rest of the day, and records why")
    func dailyLoss() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        agent.script[sessionOpen.adding(minutes: 15)] = .buy
        var risk = RiskLimits.reference
        risk.dailyLossLimitBasisPoints = 100  // 1 %
        var o = lane(risk, agent: agent)
        for m in 0..<6 { try o.process(minuteBar(Int64(m), open: "100.00")) }   // buys 100 shares at 100.01
        try o.process(minuteBar(6, open: "100.00", close: "80.00"))              // −$2 000: equity 2 % below the start
        for m in 7..<16 { try o.process(minuteBar(Int64(m), open: "80.00")) }
        try o.process(minuteBar(16, open: "50.00", ticker: "MSFT"))
        try o.advance(to: sessionOpen.adding(minutes: 16))
        let run = o.lanes[0].result
        #expect(run.riskEvents.map(\.kind) == ["daily_loss_limit"])
        #expect(run.riskEvents[0].time == sessionOpen.adding(minutes: 7))
        #expect(run.orders.count == 1)  // the 09:45 buy signal was not acted on
    }

    @Test("the drawdown breaker pauses the account: no new orders, positions still marked")
    func pause() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        agent.script[sessionOpen.adding(minutes: 10)] = .sell
        var risk = RiskLimits.reference
        risk.maxDrawdownBasisPoints = 150
        var o = lane(risk, agent: agent)
        for m in 0..<6 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.process(minuteBar(6, open: "100.00", close: "80.00"))
        for m in 7..<11 { try o.process(minuteBar(Int64(m), open: "81.00")) }
        try o.advance(to: sessionOpen.adding(minutes: 10))
        let run = o.lanes[0].result
        #expect(run.account.status == .paused)
        #expect(run.riskEvents.map(\.kind) == ["max_drawdown_pause"])
        #expect(run.orders.count == 1)  // the sell signal at 09:40 is not acted on
        #expect(run.account.position("AAPL")?.currentPrice == Fixed(81))
    }

    @Test("closing on drawdown liquidates at the next open under the fill model")
    func close() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        var risk = RiskLimits.reference
        risk.maxDrawdownBasisPoints = 150
        risk.drawdownAction = .close
        var o = lane(risk, agent: agent)
        for m in 0..<6 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        try o.process(minuteBar(6, open: "100.00", close: "80.00"))
        try o.process(minuteBar(7, open: "79.00"))
        try o.advance(to: sessionOpen.adding(minutes: 8))
        let run = o.lanes[0].result
        #expect(run.account.status == .closed)
        #expect(run.orders.last?.purpose == "liquidation")
        #expect(run.orders.last?.status == .filled)
        #expect(run.trades.last?.fill.price == Fixed(parsing: "78.9921"))  // 79 − 1 bp
        #expect(run.account.position("AAPL") == nil)
    }
}

@Suite struct SummaryStatisticsTests {
    @Test("exposure, turnover, P&L per ticker and per opening signal, by hand")
    func lane() throws {
        let agent = ScriptedAgent()
        agent.script[sessionOpen.adding(minutes: 5)] = .buy
        agent.script[sessionOpen.adding(minutes: 10)] = .sell
        var o = orchestrator(agent)
        // Bars 0–5 at 100: the buy decided at 09:35 (end of bar 4) fills at bar 5's open, 100.01.
        for m in 0..<6 { try o.process(minuteBar(Int64(m), open: "100.00")) }
        // Bars 6–10 at 102: the exit decided at 09:40 (end of bar 9) fills at bar 10's open, 102 − 1 bp = 101.9898.
        for m in 6..<11 { try o.process(minuteBar(Int64(m), open: "102.00")) }
        for m in 11..<20 { try o.process(minuteBar(Int64(m), open: "101.00")) }
        try o.finish()
        let s = o.results[0].summary
        // A position is open after bars 5, 6, 7, 8 and 9: 5 of 20 bars.
        #expect(s.exposure == 5.0 / 20.0)
        // Realized (101.9898 − 100.01) × 100 = 197.98; commissions 1.00; one closing trade.
        #expect(s.perTicker.count == 1)
        #expect(s.perTicker[0].realized == Fixed(parsing: "197.98"))
        #expect(s.perTicker[0].commissions == Fixed(1))
        #expect(s.perSignal.map(\.signal) == ["scripted"])
        #expect(s.perSignal[0].pnl == Fixed(parsing: "197.98"))
        // Traded 10 001 + 10 198.98 over the one day's closing equity 100 000 − 10 001.50 + 10 198.48 = 100 196.98.
        #expect(abs(s.turnover - (10_001 + 10_198.98) / 100_196.98) < 1e-12)
        #expect(s.trades.closingTrades == 1 && s.trades.winRate == 1)
    }
}
