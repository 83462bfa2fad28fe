import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger
@testable import TapebenchEngine

/// A minute's signals of several tickers, interleaved: grouped by ticker (tickers in the order the agent first
/// named them, each ticker's in the agent's order), each ticker's newest fresh one acted on.
@Suite struct SignalGroupingTests {
    /// Keeps the signals told, with their reasons, and the orders submitted.
    struct SignalLog: LaneRecorder {
        var lines: [String] = []
        mutating func record(_ event: LaneEvent) {
            switch event {
            case let .signal(signal, actedOn): lines.append("signal \(signal.ticker) \(signal.reason)\(actedOn ? " acted on" : "")")
            case .orderSubmitted(let o): lines.append("submitted \(o.id) \(o.ticker) \(o.side.rawValue) \(o.signal ?? "-")")
            default: break
            }
        }
    }

    @Test("signals AAPL a, MSFT m, AAPL b, MSFT n, AAPL c (too old) are told AAPL a, b (acted on), c, then MSFT m, n (acted on), each order after its ticker's")
    func interleaved() throws {
        let agent = ActionScript()
        let t = sessionOpen.adding(minutes: 1)
        func signal(_ ticker: String, minutesOld: Int64, _ reason: String) -> AgentAction {
            .signal(Signal(agent: "script", ticker: ticker, side: .buy, time: t.adding(minutes: -minutesOld), price: Fixed(100), reason: .text(reason)))
        }
        agent.script[t] = [signal("AAPL", minutesOld: 0, "a"), signal("MSFT", minutesOld: 0, "m"), signal("AAPL", minutesOld: 1, "b"),
                           signal("MSFT", minutesOld: 2, "n"), signal("AAPL", minutesOld: 6, "c")]
        var o = Orchestrator(settings: OrchestratorSettings(), clock: SimulatedClock(),
                             agents: [(AgentConfig(id: "script", kind: "script", definition: VWAPMeanReversionParameters()), PreparedAgent(makeAgent: { agent }))],
                             variants: [ConfigurableFillModel.seed], risk: .reference, initialBalance: Fixed(100_000), recorder: { _, _ in SignalLog() })
        for m in 0..<2 {
            try o.process(minuteBar(Int64(m), open: "100.00"))
            try o.process(minuteBar(Int64(m), open: "50.00", ticker: "MSFT"))
        }
        try o.finish()
        // Of AAPL's a (0 min old), b (1), c (6, older than the 5-minute limit) the last fresh one, b, is acted on;
        // of MSFT's m (0) and n (2), n. Each order follows its ticker's signals.
        #expect(o.lanes[0].recorder.lines == [
            "signal AAPL a", "signal AAPL b acted on", "signal AAPL c", "submitted 1 AAPL buy b",
            "signal MSFT m", "signal MSFT n acted on", "submitted 2 MSFT buy n",
        ])
        #expect(o.lanes[0].state.counts.signalsGenerated == 5 && o.lanes[0].state.counts.signalsActedOn == 2)
    }

    @Test("a signal's bar of the minute is found by its ticker's id, and by its text when no bar carries the id")
    func barOfTicker() throws {
        var o = Orchestrator(settings: OrchestratorSettings(), clock: SimulatedClock(),
                             agents: [(AgentConfig(id: "script", kind: "script", definition: VWAPMeanReversionParameters()),
                                       PreparedAgent(makeAgent: { ActionScript() }))],
                             variants: [ConfigurableFillModel.seed], risk: .reference, initialBalance: Fixed(100_000), recorder: { _, _ in SignalLog() })
        try o.process(minuteBar(0, open: "100.00"))
        try o.process(minuteBar(0, open: "50.00", ticker: "MSFT"))
        try o.finish()
        let state = o.lanes[0].state
        var aapl = minuteBar(1, open: "100.00"), msft = minuteBar(1, open: "50.00", ticker: "MSFT")
        aapl.tickerID = try #require(state.windows.tickers.existingID(for: "AAPL"))
        msft.tickerID = try #require(state.windows.tickers.existingID(for: "MSFT"))
        #expect(state.bar(of: "MSFT", in: Minute(time: msft.end, bars: [aapl, msft]))?.open == Fixed(50))
        #expect(state.bar(of: "IBM", in: Minute(time: msft.end, bars: [aapl, msft])) == nil)
        // Bars made by hand: no ids (or another ticker's), found by their text.
        var unnumbered = msft
        unnumbered.tickerID = .unassigned
        #expect(state.bar(of: "MSFT", in: Minute(time: msft.end, bars: [unnumbered]))?.open == Fixed(50))
        var misnumbered = aapl
        misnumbered.tickerID = msft.tickerID
        #expect(state.bar(of: "MSFT", in: Minute(time: msft.end, bars: [misnumbered, unnumbered]))?.ticker == "MSFT")
    }

    @Test("runs of one ticker in increasing order are recognised; a ticker named again, or out of order, is not")
    func increasingRuns() {
        func places(_ tickers: [String]) -> [(ticker: String, index: Int)] { tickers.enumerated().map { ($1, $0) } }
        #expect(LaneState.tickersInIncreasingRuns(places([])))
        #expect(LaneState.tickersInIncreasingRuns(places(["MSFT"])))
        #expect(LaneState.tickersInIncreasingRuns(places(["AAPL", "AAPL", "IBM", "MSFT", "MSFT"])))
        #expect(!LaneState.tickersInIncreasingRuns(places(["AAPL", "MSFT", "AAPL"])))
        #expect(!LaneState.tickersInIncreasingRuns(places(["MSFT", "AAPL"])))
        #expect(!LaneState.tickersInIncreasingRuns(places(["AAPL", "IBM", "IBM", "AAPL"])))
    }

    @Test("over seeded random minutes of signals (runs in ticker order, or interleaved), the signals are told grouped as the pairwise rule groups them",
          arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func groupingMatchesPairwiseRule(seed: UInt64) throws {
        let tickers = ["AAPL", "AMZN", "IBM", "MSFT", "NVDA", "TSLA"]
        var random = SplitMix64(seed: seed)
        let agent = ActionScript()
        var expected: [String] = []
        let minutes = 12
        for m in 1...minutes {
            let t = sessionOpen.adding(minutes: Int64(m))
            var named: [String] = []
            for _ in 0..<Int(random.next() % 9) { named.append(tickers[Int(random.next() % UInt64(tickers.count))]) }
            // Half the minutes as a scanning agent names them: each ticker's signals together, tickers in order.
            if random.next() % 2 == 0 { named.sort() }
            var actions: [AgentAction] = []
            for (index, ticker) in named.enumerated() {
                actions.append(.signal(Signal(agent: "script", ticker: ticker, side: .buy, time: t, price: Fixed(100), reason: .text("\(m).\(index)"))))
            }
            agent.script[t] = actions
            // The pairwise rule: tickers in the order first named, each ticker's signals in the agent's order.
            var seen: [String] = []
            for ticker in named where !seen.contains(ticker) {
                seen.append(ticker)
                for (index, other) in named.enumerated() where other == ticker { expected.append("\(ticker) \(m).\(index)") }
            }
        }
        var o = Orchestrator(settings: OrchestratorSettings(), clock: SimulatedClock(),
                             agents: [(AgentConfig(id: "script", kind: "script", definition: VWAPMeanReversionParameters()), PreparedAgent(makeAgent: { agent }))],
                             variants: [ConfigurableFillModel.seed], risk: .reference, initialBalance: Fixed(100_000), recorder: { _, _ in SignalLog() })
        for m in 0...minutes {
            for ticker in tickers { try o.process(minuteBar(Int64(m), open: "100.00", ticker: ticker)) }
        }
        try o.finish()
        let told = o.lanes[0].recorder.lines.filter { $0.hasPrefix("signal ") }.map { line in
            let told = line.dropFirst("signal ".count)
            return String(told.hasSuffix(" acted on") ? told.dropLast(" acted on".count) : told)
        }
        #expect(told == expected)
    }
}
