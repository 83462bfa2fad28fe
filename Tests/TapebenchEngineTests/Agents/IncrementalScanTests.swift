import Testing
import TapebenchCore
import TapebenchData
import TapebenchLedger
@testable import TapebenchEngine

/// The lane as the scanning agents meet it: windows and counts kept by ticker id, a view each minute the
/// agent is asked. Minutes it is not asked (a paused account) still fill the windows.
struct ScanDriver<Scanner: SignalScanner> {
    var agent: ScanningAgent<Scanner>
    var windows: TickerWindows
    var interner = TickerInterner()
    let capacity: Int
    /// Whether the view carries the lane's held flags by ticker id (as a lane's does), not only the positions.
    var heldFlags = false

    init(_ scanner: Scanner, every: Int, capacity: Int) {
        agent = ScanningAgent(scanner: scanner, every: every)
        windows = TickerWindows()
        self.capacity = capacity
    }

    /// Applies the minute's bars; when `asked`, returns the agent's actions and what the whole-window rule
    /// gives for the same view (the bars scanned this minute, each ticker's window as it is now).
    mutating func minute(_ bars: [Bar], held: [String: Int64], asked: Bool) -> (incremental: [AgentAction], wholeWindow: [AgentAction])? {
        var interned: [Bar] = []
        for var bar in bars {
            _ = interner.intern(&bar)
            windows.tickers = interner.table
            windows.append(bar, capacity: capacity)
            interned.append(bar)
        }
        guard asked else { return nil }
        var positions: [String: Position] = [:]
        for (ticker, quantity) in held where quantity != 0 {
            positions[ticker] = Position(ticker: ticker, quantity: quantity, costBasis: Fixed(1), currentPrice: Fixed(1), openedAt: sessionOpen, signal: nil)
        }
        let facts = AccountFacts(initialBalance: Fixed(1), cash: Fixed(1), equity: Fixed(1), buyingPower: Fixed(1), dayStartEquity: Fixed(1),
                                 peakEquity: Fixed(1), status: .active, entriesBlockedToday: false)
        var flags = Array(repeating: false, count: windows.tickers.count)
        for ticker in positions.keys { flags[windows.tickers.existingID(for: ticker)!.index] = true }
        let view = AgentView(time: interned[0].end, bars: interned, account: facts, openOrders: [], windows: windows, positions: positions,
                             fills: [], orderClients: [:], held: heldFlags ? flags : nil)
        var expected: [AgentAction] = []
        for bar in interned where windows.count(of: bar) % agent.every == 0 {
            let window = windows.window(of: bar)!
            expected += agent.scanner.scan(ticker: bar.ticker, window: window, recent: agent.every, held: held[bar.ticker] ?? 0).map { .signal($0) }
        }
        return (agent.decide(view), expected)
    }
}

/// A seeded stream of minutes for a few tickers: random walks around $100 with random volumes (some 0, some
/// fractional), some bars with their own vwap, days that end (the session's start), minutes with no bar of a
/// ticker (missing minutes), and (`outOfOrder`) longer bars that start before the ticker's last one.
struct RandomTape {
    var rng: Xoshiro256
    let tickers = ["AAA", "BBB", "CCC"]
    var prices: [Int64] = [10_000, 10_000, 10_000]  // cents
    var minute: Int64 = 0
    let outOfOrder: Bool

    init(seed: UInt64, outOfOrder: Bool = false) {
        rng = Xoshiro256(seed: seed)
        self.outOfOrder = outOfOrder
    }

    mutating func roll(_ n: UInt64) -> Int64 { Int64(rng.next() % n) }

    /// The next minute's bars, in ticker order (at least one).
    mutating func next() -> [Bar] {
        // A new day now and then (overnight: the next session's open), else the next minute or a few later.
        minute += roll(90) == 0 ? 1_440 - (minute % 1_440) : 1 + (roll(10) == 0 ? roll(4) : 0)
        var bars: [Bar] = []
        for (i, ticker) in tickers.enumerated() where roll(6) != 0 || (i == 0 && bars.isEmpty) {
            prices[i] = max(100, prices[i] + roll(41) - 20)
            let close = prices[i], high = close + roll(30), low = max(1, close - roll(30)), open = low + roll(UInt64(high - low + 1))
            let volume: Double = roll(12) == 0 ? 0 : roll(8) == 0 ? Double(roll(1_000)) + 0.25 : Double(1 + roll(20_000))
            var start = sessionOpen.adding(minutes: minute)
            var duration = Timestamp.nanosecondsPerMinute
            // Out of order: a longer bar that started before the ticker's last ones, sometimes the day before
            // (before the session's midnight: the VWAP's session then starts after it).
            if outOfOrder, roll(8) == 0 {
                let back = 1 + roll(roll(2) == 0 ? 3 : 800)
                start = sessionOpen.adding(minutes: minute - back)
                duration = (back + 1) * Timestamp.nanosecondsPerMinute
            }
            let cents = { (c: Int64) in Fixed(raw: c * 1_000_000) }
            bars.append(Bar(ticker: ticker, start: start, open: cents(open), high: cents(high), low: cents(low), close: cents(close), volume: volume,
                            vwap: roll(4) == 0 ? cents(low + roll(UInt64(high - low + 1))) : nil, duration: duration))
        }
        return bars
    }
}

@Suite struct IncrementalScanTests {
    /// Runs `minutes` random minutes through the agent and the whole-window rule; every asked minute must
    /// give the same actions. Returns how many signals were compared (the case must produce some).
    static func compare<Scanner: SignalScanner>(_ scanner: Scanner, every: Int, capacity: Int, seed: UInt64, minutes: Int = 1_500,
                                                outOfOrder: Bool = false) -> Int {
        var driver = ScanDriver(scanner, every: every, capacity: capacity)
        // Half the seeds with the lane's held flags, half with the positions alone: the same signals.
        driver.heldFlags = seed % 2 == 0
        var tape = RandomTape(seed: seed, outOfOrder: outOfOrder)
        var held: [String: Int64] = [:]
        var pausedFor = 0, signals = 0
        for m in 0..<minutes {
            // Paused for a while now and then: sometimes longer than the window holds.
            if pausedFor == 0, tape.roll(200) == 0 { pausedFor = Int(tape.roll(UInt64(capacity) * 2 + 2)) }
            let asked = pausedFor == 0
            if pausedFor > 0 { pausedFor -= 1 }
            // Flat, long or short, changing now and then.
            for ticker in tape.tickers where tape.roll(40) == 0 { held[ticker] = [0, 0, 10, -10][Int(tape.roll(4))] }
            guard let (got, expected) = driver.minute(tape.next(), held: held, asked: asked) else { continue }
            #expect(got == expected, "minute \(m)")
            signals += expected.count
            if got != expected { break }
        }
        return signals
    }

    @Test("VWAP: the ring's sums give the whole-window rule's signals and reasons, bit for bit",
          arguments: [(30, 15, 5, 100), (3, 3, 1, 100), (2, 40, 5, 100), (30, 1, 7, 100), (100, 100, 5, 100), (30, 15, 5, 20), (12, 6, 5, 8)])
    func vwap(lookback: Int, minBars: Int, every: Int, capacity: Int) {
        var p = VWAPMeanReversionParameters()
        p.lookbackBars = lookback
        p.minSessionBars = minBars
        p.entryDeviationBasisPoints = 10
        p.exitDeviationBasisPoints = -5
        for seed: UInt64 in 1...4 {
            let signals = Self.compare(VWAPMeanReversionAgent(id: "v", parameters: p), every: every, capacity: capacity, seed: seed,
                                       outOfOrder: seed == 4)
            #expect(signals > 0, "seed \(seed)")
        }
    }

    @Test("VWAP under 24x7 and 24x5 days: the session starts where the calendar's day does")
    func vwapCalendars() {
        for session in [MarketSession.always, .fx] {
            var agent = VWAPMeanReversionAgent(id: "v", parameters: VWAPMeanReversionParameters())
            agent.calendar = ExchangeCalendar(session: session)
            #expect(Self.compare(agent, every: 5, capacity: 100, seed: 9) > 0)
        }
    }

    @Test("breakout: the running extremes give the whole-window rule's signals",
          arguments: [(30, 15, 5, 100), (2, 2, 1, 100), (15, 30, 7, 100), (30, 15, 5, 33), (5, 9, 5, 10)])
    func breakout(lookback: Int, exitLookback: Int, every: Int, capacity: Int) {
        var p = BreakoutParameters()
        p.lookbackBars = lookback
        p.exitLookbackBars = exitLookback
        p.breakoutBasisPoints = 1
        for seed: UInt64 in 1...3 {
            #expect(Self.compare(BreakoutAgent(id: "b", parameters: p), every: every, capacity: capacity, seed: seed, outOfOrder: seed == 3) > 0)
        }
    }

    @Test("volume surge: the ring's sums give the whole-window rule's signals and reasons",
          arguments: [(20, 5, 100), (2, 1, 100), (20, 7, 21), (5, 5, 6)])
    func volumeSurge(lookback: Int, every: Int, capacity: Int) {
        var p = VolumeSurgeParameters()
        p.lookbackBars = lookback
        p.surgeMultiplePercent = 150
        p.minMoveBasisPoints = 1
        for seed: UInt64 in 1...3 {
            #expect(Self.compare(VolumeSurgeAgent(id: "s", parameters: p), every: every, capacity: capacity, seed: seed) > 0)
        }
    }
}

/// Hand-computed cases of the edges, through the agent as the lane asks it (every bar scanned).
@Suite struct IncrementalScanEdgeTests {
    /// Flat bars (o = h = l = c, volume 100) of AAPL at the given minutes after the session's open; the
    /// reasons the agent gives at each minute it is asked (all but the `paused` ones).
    func reasons(_ closes: [(minute: Int64, close: String)], lookback: Int = 6, minBars: Int = 3, capacity: Int = 100,
                 paused: Set<Int> = []) -> [[String]] {
        var p = VWAPMeanReversionParameters()
        p.lookbackBars = lookback
        p.minSessionBars = minBars
        p.entryDeviationBasisPoints = 100
        var driver = ScanDriver(VWAPMeanReversionAgent(id: "v", parameters: p), every: 1, capacity: capacity)
        var result: [[String]] = []
        for (i, bar) in closes.enumerated() {
            let price = Fixed(parsing: bar.close)!
            let made = Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: bar.minute), open: price, high: price, low: price, close: price, volume: 100)
            guard let (got, expected) = driver.minute([made], held: [:], asked: !paused.contains(i)) else { continue }
            #expect(got == expected)
            result.append(got.map { if case .signal(let s) = $0 { s.reason.text } else { "?" } })
        }
        return result
    }

    @Test("the session's start: yesterday's bars leave the VWAP (100, 100, 97 today: VWAP 99, −202 bp)")
    func sessionStart() {
        let yesterday: [(Int64, String)] = [(-1_440, "50"), (-1_439, "50"), (-1_438, "50")]
        #expect(reasons(yesterday + [(0, "100"), (1, "100"), (2, "97")]) == [[], [], [], [], [], ["vwap_deviation=-202bp"]])
    }

    @Test("a bar starting yesterday fed between today's, scanned at every bar: each scan's session start is the whole-window walk's")
    func yesterdayBetweenToday() {
        // The scan after the one at the yesterday bar has today's midnight again: the walk must find that bar,
        // though the scan before it had the same midnight and read the bars up to its newest.
        let closes: [(Int64, String)] = [(0, "100"), (1, "100"), (-1_000, "50"), (2, "100"), (3, "97"), (4, "97")]
        let got = reasons(closes, minBars: 2)
        #expect(got.count == closes.count)
    }

    @Test("missing minutes: the VWAP is over the bars there are (minutes 0, 1 and 4)")
    func missingMinutes() {
        #expect(reasons([(0, "100"), (1, "100"), (4, "97")]) == [[], [], ["vwap_deviation=-202bp"]])
    }

    @Test("not enough of the session yet: no signal before min_session_bars; then VWAP 98.5, −152 bp")
    func warmUp() {
        // (97 − 98.5) / 98.5 = −152.28 bp.
        #expect(reasons([(0, "100"), (1, "100"), (2, "97"), (3, "97")], minBars: 4) == [[], [], [], ["vwap_deviation=-152bp"]])
    }

    @Test("asked again after more bars than the window holds: the state starts over from the window (100, 100, 97)")
    func pausedPastTheWindow() {
        let closes: [(Int64, String)] = [(0, "50"), (1, "50"), (2, "50"), (3, "50"), (4, "100"), (5, "100"), (6, "97")]
        #expect(reasons(closes, capacity: 3, paused: [1, 2, 3, 4, 5]) == [[], ["vwap_deviation=-202bp"]])
    }
}

/// The rings' sums against the whole-window rule's sums, bit for bit: a signal's reason is rounded to a
/// whole number, so the action comparisons above would miss a sum off by its last bit; these do not.
@Suite struct ScanStateSumTests {
    /// A window of `count` random bars (capacity 40, so it wraps), prices in cents with a fraction of a
    /// cent in the typical price, volumes whole and fractional.
    static func window(seed: UInt64, count: Int) -> BarWindow {
        var tape = RandomTape(seed: seed)
        var w = BarWindow(capacity: 40)
        for _ in 0..<count { w.append(tape.next()[0]) }
        return w
    }

    @Test("VWAP: each range's weighted and volume sums are the window's, added oldest first from 0", arguments: [7, 40, 95])
    func vwapSums(count: Int) {
        for seed: UInt64 in 1...5 {
            let w = Self.window(seed: seed, count: count)
            var state = VWAPScanState(capacity: 45)
            for i in 0..<w.count { state.feed(w.entry(at: i)) }
            let oldest = state.fed - w.count
            for first in 0..<w.count {
                for last in first..<w.count {
                    var weighted = 0.0, volume = 0.0
                    for i in first...last {
                        weighted += w.entry(at: i).averagePrice * w.entry(at: i).volume
                        volume += w.entry(at: i).volume
                    }
                    let sums = state.sums(from: oldest + first, through: oldest + last)
                    #expect(sums.weighted.bitPattern == weighted.bitPattern && sums.volume.bitPattern == volume.bitPattern, "\(first)...\(last)")
                }
            }
        }
    }

    @Test("volume surge: each range's volume and close sums are the whole-window rule's reduce", arguments: [7, 40, 95])
    func surgeSums(count: Int) {
        for seed: UInt64 in 1...5 {
            let w = Self.window(seed: seed, count: count)
            var state = VolumeSurgeScanState(capacity: 45)
            for i in 0..<w.count { state.feed(w.entry(at: i)) }
            let oldest = state.fed - w.count
            for first in 0..<w.count {
                for last in first..<w.count {
                    let prior = (first...last).map { w[$0] }
                    let volume = prior.reduce(0.0) { $0 + $1.volume }, close = prior.reduce(0.0) { $0 + $1.close.doubleValue }
                    let sums = state.sums(from: oldest + first, through: oldest + last)
                    #expect(sums.volume.bitPattern == volume.bitPattern && sums.close.bitPattern == close.bitPattern, "\(first)...\(last)")
                }
            }
        }
    }

    @Test("running extremes: the highest and lowest of the last k values, against a scan of them", arguments: [1, 2, 5, 30])
    func extremes(length: Int) {
        var rng = Xoshiro256(seed: UInt64(length))
        var highest = RunningExtreme(.highest, length: length), lowest = RunningExtreme(.lowest, length: length)
        var values: [Int64] = []
        for step in 0..<500 {
            // Few distinct values: ties on purpose.
            let value = Int64(rng.next() % 7) - 3
            if step == 250 { highest.reset(); lowest.reset(); values.removeAll() }
            highest.push(value)
            lowest.push(value)
            values.append(value)
            let last = values.suffix(length)
            #expect(highest.extreme == (values.count >= length ? last.max() : nil))
            #expect(lowest.extreme == (values.count >= length ? last.min() : nil))
        }
    }
}

/// The VWAP scan's session midnight, kept per ticker across scans (`VWAPScanState.sessionMidnight`), against the
/// calendar's own conversion each time (`VWAPMeanReversionAgent.sessionMidnight`).
@Suite struct VWAPSessionMidnightTests {
    @Test("the kept day gives the calendar's midnight for every start, in time order and not, across daylight-time cuts",
          arguments: [ExchangeCalendar.nyse, ExchangeCalendar(session: .fx), ExchangeCalendar(session: .always)])
    func keptDayMatchesCalendar(calendar: ExchangeCalendar) {
        var agent = VWAPMeanReversionAgent(id: "vwap", parameters: VWAPMeanReversionParameters())
        agent.calendar = calendar
        // 2024-03-08 to 2024-03-12 and 2024-10-31 to 2024-11-05 (the spring and autumn cuts), minute by minute in
        // order, then random instants of the year.
        var starts: [Timestamp] = []
        for first in [Timestamp(nanoseconds: 1_709_856_000 * Timestamp.nanosecondsPerSecond), Timestamp(nanoseconds: 1_730_332_800 * Timestamp.nanosecondsPerSecond)] {
            for minute in 0..<(5 * 24 * 60) { starts.append(first.adding(minutes: Int64(minute))) }
        }
        var random = SplitMix64(seed: 11)
        for _ in 0..<5_000 {
            starts.append(Timestamp(nanoseconds: (1_704_067_200 + Int64(random.next() % 31_536_000)) * Timestamp.nanosecondsPerSecond))
        }
        var state = VWAPScanState(capacity: 4)
        for start in starts {
            #expect(state.sessionMidnight(of: start, calendar: calendar) == agent.sessionMidnight(of: start), "\(start.iso8601)")
        }
        // Another calendar asked of the same state: its own midnights, not the kept day's.
        let other = ExchangeCalendar(session: calendar == .nyse ? .always : .nyse)
        var otherAgent = agent
        otherAgent.calendar = other
        for start in starts.prefix(3_000) {
            #expect(state.sessionMidnight(of: start, calendar: other) == otherAgent.sessionMidnight(of: start))
        }
    }
}
