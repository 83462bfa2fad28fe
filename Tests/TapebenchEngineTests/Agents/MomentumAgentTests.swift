import Testing
import TapebenchCore
@testable import TapebenchEngine

/// Windows of flat bars with one event at the end, built to trigger (or not) each agent.
func flatWindow(_ count: Int, price: String = "100.00") -> BarWindow {
    var w = BarWindow(capacity: 100)
    for i in 0..<count { w.append(minuteBar(Int64(i), open: price)) }  // volume 1 000 each
    return w
}

func withBar(_ window: BarWindow, _ bar: Bar) -> BarWindow {
    var w = window
    w.append(bar)
    return w
}

@Suite struct VolumeSurgeAgentTests {
    let agent = VolumeSurgeAgent(id: "vs", parameters: VolumeSurgeParameters())

    func surge(volume: Double, close: String) -> Bar {
        Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: 20), open: Fixed(100), high: Fixed(parsing: close)!, low: Fixed(100),
            close: Fixed(parsing: close)!, volume: volume)
    }

    @Test("3× the mean volume on a bar up 20 bp is a buy")
    func buys() {
        let signals = agent.scan(ticker: "AAPL", window: withBar(flatWindow(20), surge(volume: 3_000, close: "100.20")), recent: 1, held: 0)
        #expect(signals.map(\.side) == [.buy])
        #expect(signals.first?.reason == "volume_surge=300%")
    }

    @Test("no buy below the multiple, on a down bar, or while holding")
    func quiet() {
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(20), surge(volume: 2_900, close: "100.20")), recent: 1, held: 0).isEmpty)
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(20), surge(volume: 5_000, close: "100.05")), recent: 1, held: 0).isEmpty)
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(20), surge(volume: 5_000, close: "100.20")), recent: 1, held: 10).isEmpty)
    }

    @Test("holding, a close below the 20-bar average is an exit")
    func exits() {
        let down = Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: 20), open: Fixed(100), high: Fixed(100), low: Fixed(parsing: "99.90")!,
                       close: Fixed(parsing: "99.90")!, volume: 1_000)
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(20), down), recent: 1, held: 10).map(\.side) == [.sell])
    }
}

@Suite struct BreakoutAgentTests {
    let agent = BreakoutAgent(id: "bo", parameters: BreakoutParameters())

    func bar(close: String, minute: Int64 = 30) -> Bar {
        let c = Fixed(parsing: close)!
        return Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: minute), open: Fixed(100), high: max(c, Fixed(100)), low: min(c, Fixed(100)), close: c, volume: 1_000)
    }

    @Test("a close 5 bp above the 30-bar high is a buy; at 4 bp it is not")
    func buys() {
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(30), bar(close: "100.06")), recent: 1, held: 0).map(\.reason) == ["breakout=100.00"])
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(30), bar(close: "100.04")), recent: 1, held: 0).isEmpty)
    }

    @Test("holding, a close under the 15-bar low is an exit")
    func exits() {
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(30), bar(close: "99.99")), recent: 1, held: 5).map(\.side) == [.sell])
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(30), bar(close: "100.00")), recent: 1, held: 5).isEmpty)
    }

    @Test("too few bars: no signal")
    func warmUp() {
        #expect(agent.scan(ticker: "AAPL", window: withBar(flatWindow(10), bar(close: "105", minute: 10)), recent: 1, held: 0).isEmpty)
    }
}

@Suite struct PositionSizingTests {
    @Test("the reference sizes a position at 10 % of equity")
    func fixed() {
        #expect(PositionSizing.quantity(equity: Fixed(100_000), price: Fixed(parsing: "33.33")!, window: flatWindow(20),
                                        settings: OrchestratorSettings(), maxPositionBasisPoints: 2_000) == 300)
    }

    @Test("volatility sizing: equity × target / (price × σ of one day), capped at the largest position allowed")
    func volatility() {
        // Closes alternate 100 and 101: log returns ±0.00995, σ ≈ 0.01021 a minute → ×√390 ≈ 0.2017 a day.
        var w = BarWindow(capacity: 100)
        for i in 0..<21 { w.append(minuteBar(Int64(i), open: i % 2 == 0 ? "100.00" : "101.00")) }
        let sigma = PositionSizing.dailyVolatility(w)!
        var settings = OrchestratorSettings()
        settings.volatilityTargetBasisPoints = 100  // 1 % of equity
        let expected = Int64((1_000.0 / (100 * sigma)).rounded(.down))
        #expect(PositionSizing.quantity(equity: Fixed(100_000), price: Fixed(100), window: w, settings: settings, maxPositionBasisPoints: 2_000) == expected)
        #expect(expected == 49)
        // A flat window has no measurable volatility: no position rather than an unbounded one.
        #expect(PositionSizing.quantity(equity: Fixed(100_000), price: Fixed(100), window: flatWindow(20), settings: settings, maxPositionBasisPoints: 2_000) == 0)
        // A tiny σ is capped at the 20 % position limit.
        settings.volatilityTargetBasisPoints = 10_000
        #expect(PositionSizing.quantity(equity: Fixed(100_000), price: Fixed(100), window: w, settings: settings, maxPositionBasisPoints: 2_000) == 200)
    }
}

@Suite struct CorrelationTests {
    func window(_ closes: [Double], ticker: String = "AAPL") -> BarWindow {
        var w = BarWindow(capacity: 100)
        for (i, c) in closes.enumerated() {
            let p = Fixed(rounding: c)!
            w.append(Bar(ticker: ticker, start: sessionOpen.adding(minutes: Int64(i)), open: p, high: p, low: p, close: p, volume: 1))
        }
        return w
    }

    @Test("returns that move together correlate at 1, mirrored ones at −1; too few shared bars give nothing")
    func correlation() throws {
        let zigzag: [Double] = (0..<40).map { (i: Int) -> Double in
            let step: Double = i % 2 == 0 ? 0 : 1
            return 100 + step + Double(i) * 0.01
        }
        let mirrored: [Double] = (0..<40).map { (i: Int) -> Double in i % 2 == 0 ? 100 : 99 }
        let same = try #require(Correlation.ofReturns(window(zigzag), window(zigzag, ticker: "B"), minimumShared: 30))
        #expect(abs(same - 1) < 1e-12)
        let opposite = try #require(Correlation.ofReturns(window(zigzag), window(mirrored, ticker: "B"), minimumShared: 30))
        #expect(opposite < -0.99)
        #expect(Correlation.ofReturns(window(zigzag), window(zigzag, ticker: "B"), minimumShared: 40) == nil)
    }
}
