import Testing
import TapebenchCore
import TapebenchExecution
@testable import TapebenchEngine

/// The engine's arithmetic with values no reader lets through, as a library user could build them: agents,
/// sizing, the lane's totals, sweeps and graduation texts. Never a trap.
@Suite struct ExtremeEngineTests {
    static let prices: [Int64] = [0, 1, -1, 10_000_000_000, Limits.maxPrice.raw, .max, .min, .max - 1]
    static let volumes: [Double] = [0, -1, 1, 1_000, 1e15, 9.3e19, 1.7e308, .infinity, .nan, .leastNonzeroMagnitude]

    /// A window of `count` bars whose prices and volumes cycle through the extremes, each bar a different mix.
    func window(_ count: Int, offset: Int) -> BarWindow {
        var w = BarWindow(capacity: 100)
        for i in 0..<count {
            let p = { (k: Int) in Fixed(raw: Self.prices[(i * 3 + k + offset) % Self.prices.count]) }
            w.append(Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: Int64(i)), open: p(0), high: p(1), low: p(2), close: p(3),
                         volume: Self.volumes[(i + offset) % Self.volumes.count], vwap: i % 2 == 0 ? p(4) : nil))
        }
        return w
    }

    @Test("every agent scans windows of extreme prices and volumes without a trap", arguments: 0..<40)
    func agents(offset: Int) {
        let w = window(40, offset: offset)
        var vwap = VWAPMeanReversionParameters()
        vwap.minSessionBars = 1
        let agents: [any SignalScanner] = [VWAPMeanReversionAgent(id: "v", parameters: vwap), VolumeSurgeAgent(id: "s", parameters: VolumeSurgeParameters()),
                                   BreakoutAgent(id: "b", parameters: BreakoutParameters())]
        for agent in agents {
            for held: Int64 in [0, 1] { _ = agent.scan(ticker: "AAPL", window: w, recent: 40, held: held) }
        }
        _ = PositionSizing.dailyVolatility(w)
        _ = Correlation.ofReturns(w, window(40, offset: offset + 1), minimumShared: 2)
    }

    @Test("a volume of 1.7e308 in the VWAP's lookback gives no signal (the VWAP is not a number), not a trap")
    func vwapOfHugeVolume() {
        var w = BarWindow(capacity: 100)
        for i in 0..<20 {
            w.append(Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: Int64(i)), open: Fixed(100), high: Fixed(101), low: Fixed(99),
                         close: Fixed(i == 19 ? 90 : 100), volume: i == 10 ? 1.7e308 : 1_000))
        }
        var parameters = VWAPMeanReversionParameters()
        parameters.minSessionBars = 1
        #expect(VWAPMeanReversionAgent(id: "v", parameters: parameters).scan(ticker: "AAPL", window: w, recent: 5, held: 0).isEmpty)
    }

    @Test("a surge against a vanishing baseline is written as the largest whole percentage")
    func surgeAgainstNothing() {
        var w = BarWindow(capacity: 100)
        for i in 0..<20 {
            w.append(Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: Int64(i)), open: Fixed(100), high: Fixed(100), low: Fixed(100),
                         close: Fixed(100), volume: .leastNonzeroMagnitude))
        }
        w.append(Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: 20), open: Fixed(100), high: Fixed(101), low: Fixed(100), close: Fixed(101), volume: 1e15))
        let signals = VolumeSurgeAgent(id: "s", parameters: VolumeSurgeParameters()).scan(ticker: "AAPL", window: w, recent: 1, held: 0)
        #expect(signals.map(\.reason) == ["volume_surge=9223372036854775807%"])
    }

    @Test("sizing from extreme equities and prices: never more than 10^15 shares, never a trap")
    func sizing() {
        let equities: [Int64] = [0, 1, -1, Limits.maxAmount.raw, .max, .min]
        let prices: [Int64] = [1, 2, 10_000_000_000, Limits.maxPrice.raw, .max]
        var volatility = OrchestratorSettings()
        volatility.volatilityTargetBasisPoints = 10_000
        var closes = BarWindow(capacity: 100)
        for i in 0..<20 { closes.append(minuteBar(Int64(i), open: i % 2 == 0 ? "100.00" : "100.01")) }
        for equity in equities {
            for price in prices {
                for settings in [OrchestratorSettings(), volatility] {
                    for window in [closes, window(40, offset: 3)] {
                        let shares = PositionSizing.quantity(equity: Fixed(raw: equity), price: Fixed(raw: price), window: window,
                                                             settings: settings, maxPositionBasisPoints: 10_000)
                        #expect(shares <= Limits.maxShares)
                    }
                }
            }
        }
        // $10 000 000 000 at $0.00000001 a share would be 10^26 shares: 10^15.
        #expect(PositionSizing.quantity(equity: Limits.maxAmount, price: Fixed(raw: 1), window: closes, settings: OrchestratorSettings(),
                                        maxPositionBasisPoints: 2_000) == Limits.maxShares)
    }

    func fill(_ side: OrderSide, _ quantity: Int64, at price: Fixed, commission: Fixed = .zero, ambiguous: Bool = false) -> Fill {
        var fill = Fill(orderID: 1, agent: "t", ticker: "AAPL", side: side, orderType: .market, time: sessionOpen, quantity: quantity,
                        price: price, referencePrice: price, commission: commission, rule: .marketNextOpen)
        fill.ambiguous = ambiguous
        return fill
    }

    let day = CivilDate(year: 2024, month: 3, day: 11)

    @Test("the lane's totals book each trade checked: a total past $10 000 000 000 is refused, the notional sums wide")
    func laneTotals() throws {
        var totals = LaneTotals()
        let big = Fixed(9_000_000_000)
        totals = try totals.booking(fill(.sell, 90_000_000, at: Fixed(100), commission: Fixed(1), ambiguous: true), realized: big, openingSignal: "vwap_deviation=-52bp", date: day)
        #expect(totals.perTicker["AAPL"] == LaneTotals.TickerTotals(realized: big, commissions: Fixed(1)))
        #expect(totals.perSignal["vwap_deviation"] == LaneTotals.SignalTotals(closes: 1, realized: big))
        #expect(totals.ambiguousFills == 1 && totals.ambiguousRealized == big)
        // A second $9e9 close would make the ticker's realized P&L $18e9.
        do {
            _ = try totals.booking(fill(.sell, 90_000_000, at: Fixed(100)), realized: big, openingSignal: nil, date: day)
            Issue.record("no error")
        } catch {
            #expect(error.description == "the realized P&L in AAPL is $18000000000.00, beyond the ±$10000000000.00 a run may hold")
        }
        // Turnover is only summed: 2 000 fills of $9e9 pass Int64 and stay exact.
        var turnover = LaneTotals()
        for _ in 0..<2_000 { turnover = try turnover.booking(fill(.buy, 90_000_000, at: Fixed(100)), realized: nil, openingSignal: nil, date: day) }
        #expect(turnover.tradedNotionalWide == Int128(2_000) * Int128(Fixed(9_000_000_000).raw))
    }

    @Test("sweep values beyond what a scenario allows are refused; a step as large as a Fixed does not overflow", arguments: [
        ("slippage.bps=0:90000000000:90000000000", "'slippage.bps=0:90000000000:90000000000': slippage.bps: must be between 0.00 and 10000.00, got 90000000000.00"),
        ("commission.pct=1000000", "'commission.pct=1000000': commission.pct: must be between 0.00 and 100.00, got 1000000.00"),
        ("limit.through_ticks=0,2000", "'limit.through_ticks=0,2000': limit.through_ticks: must be between 0 and 1000, got 2000"),
        ("participation.max_pct=92233720368", "'participation.max_pct=92233720368': participation.max_pct: must be between 0.00 and 100.00, got 92233720368.00"),
    ])
    func sweepBounds(text: String, message: String) {
        #expect {
            try SweepParameter(parsing: text)
        } throws: { error in
            (error as? InputError)?.description == "--param: " + message
        }
    }

    @Test("a sweep that stops short of STOP by a huge step keeps its values")
    func sweepHugeStep() throws {
        #expect(try SweepParameter(parsing: "slippage.bps=5:10:92233720368").values == [.number(Fixed(5))])
    }

    @Test("a daily bar among minute bars (its end after theirs) does not move the clock back")
    func mixedLengths() throws {
        let agent = ScriptedAgent()
        var o = orchestrator(agent)
        var daily = minuteBar(0, open: "100.00", ticker: "DAY")
        daily.duration = Timestamp.nanosecondsPerDay
        try o.process(daily)
        try o.process(minuteBar(1, open: "100.00"))
        try o.process(minuteBar(2, open: "100.00"))
        try o.finish()
        #expect(o.statistics.barsReplayed == 3)
    }

    @Test("graduation texts of absurd statistics do not trap")
    func graduationText() {
        #expect(GraduationJudge.describe(CriterionResult(name: "sharpe", met: false, value: -1e300, threshold: 2)) == "sharpe -1e+300 < 2.0")
        #expect(GraduationJudge.describe(CriterionResult(name: "return", met: false, value: .infinity, threshold: 0.05)) == "return inf% < 5.0%")
        #expect(GraduationJudge.describe(CriterionResult(name: "sharpe", met: false, value: 1.234, threshold: 2)) == "sharpe 1.23 < 2.0")
    }
}
