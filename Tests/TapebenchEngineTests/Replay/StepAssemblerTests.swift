import Testing
import TapebenchCore
import TapebenchExecution
@testable import TapebenchEngine

@Suite struct StepAssemblerTests {
    func bar(_ ticker: String, _ minute: Int64, minutes length: Int64 = 1) -> Bar {
        var bar = minuteBar(minute, open: "10.00", ticker: ticker)
        bar.duration = length * Timestamp.nanosecondsPerMinute
        return bar
    }

    /// Each step as "HH:MM tickers", its time in UTC (09:31 EDT is 13:31Z).
    func describe(_ steps: [Minute]) -> [String] {
        steps.map { step in "\(step.time.iso8601.dropFirst(11).prefix(5)) " + step.bars.map(\.ticker).joined(separator: ",") }
    }

    @Test("minute bars: a step is every ticker's bar of one minute, in ticker order, released when the next minute starts")
    func minutes() {
        var assembler = StepAssembler()
        var steps: [Minute] = []
        for b in [bar("AAPL", 0), bar("MSFT", 0), bar("AAPL", 1), bar("NVDA", 1)] { steps += assembler.add(b) }
        #expect(describe(steps) == ["13:31 AAPL,MSFT"])
        #expect(describe(assembler.releaseAll()) == ["13:32 AAPL,NVDA"])
        #expect(assembler.releaseAll().isEmpty)
    }

    /// The intake's steps as "HH:MM tickers", after `bars` and the end of the stream.
    func intakeSteps(_ bars: [Bar]) -> [String] {
        var intake = StepIntake(calendar: .nyse)
        for bar in bars { _ = intake.take(bar) }
        intake.releaseAll()
        return describe(Array(intake.batch.steps))
    }

    @Test("through the intake, a step's bars are in ticker order whether ids follow name order or not (a ticker first seen late)")
    func tickerOrderThroughIntake() {
        // Ids in name order throughout (compared as ids), the longer bar put back among them.
        #expect(intakeSteps([bar("AAPL", 0), bar("MSFT", 0), bar("AAPL", 1), bar("MSFT", 1)])
            == ["13:31 AAPL,MSFT", "13:32 AAPL,MSFT"])
        #expect(intakeSteps([bar("AAPL", 0, minutes: 2), bar("MSFT", 0), bar("AAPL", 1), bar("MSFT", 1), bar("NVDA", 1)])
            == ["13:31 MSFT", "13:32 AAPL,AAPL,MSFT,NVDA"])
        // AMD is first seen after MSFT and NVDA, so its id is the largest: the order is still by name.
        #expect(intakeSteps([bar("MSFT", 0), bar("NVDA", 0), bar("AMD", 1), bar("MSFT", 1), bar("NVDA", 1), bar("AMD", 2), bar("MSFT", 2)])
            == ["13:31 MSFT,NVDA", "13:32 AMD,MSFT,NVDA", "13:33 AMD,MSFT"])
        // A ten-minute bar of ZZZ, then later a longer bar of AMD (a new, out-of-order id) put before it.
        #expect(intakeSteps([bar("MSFT", 0), bar("ZZZ", 0, minutes: 3), bar("AMD", 1, minutes: 2), bar("MSFT", 1), bar("MSFT", 2)])
            == ["13:31 MSFT", "13:32 MSFT", "13:33 AMD,MSFT,ZZZ"])
    }

    @Test("ranks put a growing table's ids in name order: seeded names in any order, against sorting them")
    func ranksFollowNames() {
        var random = SplitMix64(seed: 3)
        for round in 0..<50 {
            var names: [String] = []
            var ranks = TickerRanks()
            for _ in 0..<(1 + round % 25) {
                var name: String
                repeat { name = String((0..<(1 + random.next() % 3)).map { _ in Character(Unicode.Scalar(UInt8(65 + random.next() % 5))) }) } while names.contains(name)
                names.append(name)
                ranks.add(newestOf: names)
                let sorted = names.indices.sorted { names[$0] < names[$1] }
                #expect(names.indices.map { ranks.rank(TickerID(raw: UInt32($0)))! } == names.indices.map { sorted.firstIndex(of: $0)! })
            }
            #expect(ranks.rank(TickerID(raw: UInt32(names.count))) == nil && ranks.rank(.unassigned) == nil)
        }
    }

    @Test("through the intake, seeded streams of tickers first seen in any order give steps in ticker order")
    func tickerOrderOfSeededStreams() {
        var random = SplitMix64(seed: 9)
        let pool = ["AMD", "AAPL", "ZZZ", "MSFT", "NVDA", "IBM", "B", "BA"]
        for _ in 0..<30 {
            var bars: [Bar] = []
            for minute in Int64(0)..<6 {
                // Each minute some tickers, in name order (the stream's order), one of them sometimes two minutes long.
                let tickers = pool.filter { _ in random.next() % 2 == 0 }.sorted()
                for ticker in tickers { bars.append(bar(ticker, minute, minutes: random.next() % 5 == 0 ? 2 : 1)) }
            }
            for step in intakeSteps(bars) {
                let tickers = step.split(separator: " ").dropFirst().first.map { $0.split(separator: ",").map(String.init) } ?? []
                #expect(tickers == tickers.sorted())
            }
        }
    }

    @Test("a longer bar is released at its end, after the shorter bars that started later (no agent sees it before)")
    func longerBar() {
        var assembler = StepAssembler()
        var steps: [Minute] = []
        // A 10-minute bar of TEN at 09:30 among minute bars of AAPL.
        steps += assembler.add(bar("AAPL", 0))
        steps += assembler.add(bar("TEN", 0, minutes: 10))
        for m: Int64 in 1...10 { steps += assembler.add(bar("AAPL", m)) }
        steps += assembler.releaseAll()
        #expect(describe(steps) == ["13:31 AAPL", "13:32 AAPL", "13:33 AAPL", "13:34 AAPL", "13:35 AAPL", "13:36 AAPL", "13:37 AAPL",
                                    "13:38 AAPL", "13:39 AAPL", "13:40 AAPL,TEN", "13:41 AAPL"])
        #expect(steps.map(\.time) == steps.map(\.time).sorted())
    }

    @Test("seeded streams of bars of 1 to 5 minutes, in start order: each step is the bars ending then, in ticker order, released in end order")
    func seededLengths() {
        for seed: UInt64 in 1...20 {
            var rng = Xoshiro256(seed: seed)
            var bars: [Bar] = []
            for minute: Int64 in 0..<40 {
                for ticker in ["AAA", "BBB", "CCC", "DDD"] where rng.next() % 3 != 0 {
                    bars.append(bar(ticker, minute, minutes: Int64(rng.next() % 5) + 1))
                }
            }
            var assembler = StepAssembler()
            var steps: [Minute] = []
            for bar in bars { steps += assembler.add(bar) }
            steps += assembler.releaseAll()
            // The same bars grouped by their end by hand.
            let ends = Set(bars.map(\.end)).sorted()
            let expected = ends.map { end in "\(end.iso8601.dropFirst(11).prefix(5)) " + bars.filter { $0.end == end }.map(\.ticker).sorted().joined(separator: ",") }
            #expect(describe(steps) == expected, "seed \(seed)")
            #expect(steps.map(\.time) == ends, "seed \(seed)")
        }
    }

    @Test("seeded streams with bars of 1 to 5 minutes and advances: after each bar and advance, exactly the steps ended by then are out")
    func releasedWhenEnded() {
        for seed: UInt64 in 21...40 {
            var rng = Xoshiro256(seed: seed)
            var assembler = StepAssembler()
            var seen: [Bar] = []
            var steps: [Minute] = []
            // The steps ended by `time`, by hand: the bars seen so far ending then, grouped by their end.
            func expected(through time: Timestamp) -> [String] {
                let ends = Set(seen.map(\.end).filter { $0 <= time }).sorted()
                return ends.map { end in "\(end.iso8601.dropFirst(11).prefix(5)) " + seen.filter { $0.end == end }.map(\.ticker).sorted().joined(separator: ",") }
            }
            for minute: Int64 in 0..<30 {
                for ticker in ["AAA", "BBB", "CCC", "DDD"] where rng.next() % 3 != 0 {
                    let made = bar(ticker, minute, minutes: Int64(rng.next() % 5) + 1)
                    steps += assembler.add(made)
                    seen.append(made)
                    // Out: every step ending by this bar's start, none later.
                    #expect(describe(steps) == expected(through: made.start), "seed \(seed)")
                }
                // Now and then the clock reaches the minute's end before the next minute's bars.
                if rng.next() % 4 == 0 {
                    let time = sessionOpen.adding(minutes: minute + 1)
                    steps += assembler.release(through: time)
                    #expect(describe(steps) == expected(through: time), "seed \(seed)")
                }
            }
            steps += assembler.releaseAll()
            #expect(describe(steps) == expected(through: sessionOpen.adding(minutes: 100)), "seed \(seed)")
        }
    }

    @Test("advancing releases every step that has ended; a bar arriving after its minute was released joins the clock's time")
    func advance() {
        var assembler = StepAssembler()
        _ = assembler.add(bar("AAPL", 0))
        #expect(describe(assembler.release(through: sessionOpen.adding(minutes: 1))) == ["13:31 AAPL"])
        _ = assembler.add(bar("MSFT", 0))  // late: its minute ended and was released
        #expect(describe(assembler.release(through: sessionOpen.adding(minutes: 1))) == ["13:31 MSFT"])
        #expect(assembler.release(through: sessionOpen.adding(minutes: 5)).isEmpty)
    }
}

/// A clock that runs 30 s behind the data, as a live feed's minute could be seen late: whatever it says
/// is what the lanes stamp.
struct LateClock: ReplayClock {
    var now = Timestamp(nanoseconds: 0)
    mutating func advance(to time: Timestamp) { now = time.adding(nanoseconds: 30 * Timestamp.nanosecondsPerSecond) }
}

@Suite struct ReplayClockTests {
    @Test("the lanes read the injected clock: orders, closes and risk events carry its time")
    func lanesReadTheClock() throws {
        let agent = ActionScript()
        agent.script[sessionOpen.adding(minutes: 1).adding(nanoseconds: 30 * Timestamp.nanosecondsPerSecond)] = [
            .order(OrderRequest(ticker: "AAPL", side: .buy, type: .limit, quantity: 1, limitPrice: Fixed(1), purpose: "never")),
        ]
        var o = Orchestrator(settings: OrchestratorSettings(), clock: LateClock(),
                             agents: [(AgentConfig(id: "script", kind: "script", definition: VWAPMeanReversionParameters()), PreparedAgent(makeAgent: { agent }))],
                             variants: [ConfigurableFillModel.seed], risk: .reference, initialBalance: Fixed(100_000),
                             recorder: { _, _ in InMemoryRecorder() })
        for m: Int64 in 0..<3 { try o.process(minuteBar(m, open: "10.00")) }
        try o.finish()
        let order = try #require(o.lanes[0].recorder.orders.first)
        #expect(order.submittedAt.iso8601 == "2024-03-11T13:31:30Z")
        #expect(order.closedAt?.iso8601 == "2024-03-11T13:33:30Z")  // cancelled at the end, at the clock's last time
        #expect(agent.views.map(\.time.iso8601) == ["2024-03-11T13:31:30Z", "2024-03-11T13:32:30Z", "2024-03-11T13:33:30Z"])
    }

    @Test("the simulated clock moves forward only")
    func simulated() {
        var clock = SimulatedClock()
        clock.advance(to: sessionOpen)
        clock.advance(to: sessionOpen)
        #expect(clock.now == sessionOpen)
    }
}
