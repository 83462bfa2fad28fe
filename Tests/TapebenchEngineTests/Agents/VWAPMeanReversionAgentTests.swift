import Testing
import TapebenchCore
@testable import TapebenchEngine

@Suite struct VWAPMeanReversionAgentTests {
    func agent(lookback: Int = 3, entry: Int64 = 100, exit: Int64 = 0, minBars: Int = 3) -> VWAPMeanReversionAgent {
        var p = VWAPMeanReversionParameters()
        p.lookbackBars = lookback
        p.entryDeviationBasisPoints = entry
        p.exitDeviationBasisPoints = exit
        p.minSessionBars = minBars
        return VWAPMeanReversionAgent(id: "mr", parameters: p)
    }

    /// Flat bars (o = h = l = c) so the typical price is the close.
    func window(_ closes: [String], volumes: [Double]? = nil, startMinute: Int64 = 0) -> BarWindow {
        var w = BarWindow(capacity: 100)
        for (i, close) in closes.enumerated() {
            let price = Fixed(parsing: close)!
            w.append(Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: startMinute + Int64(i)), open: price, high: price,
                         low: price, close: price, volume: volumes?[i] ?? 100))
        }
        return w
    }

    @Test("buys when flat and the close is at least the entry deviation below the VWAP")
    func entry() {
        // VWAP of 100, 100, 97 with equal volume = 99; (97 − 99) / 99 = −202 bp ≤ −100 bp.
        let signals = agent().scan(ticker: "AAPL", window: window(["100", "100", "97"]), recent: 1, held: 0)
        #expect(signals.count == 1)
        #expect(signals.first?.side == .buy)
        #expect(signals.first?.reason == "vwap_deviation=-202bp")
        #expect(signals.first?.time == sessionOpen.adding(minutes: 3))
        #expect(signals.first?.price == Fixed(97))
    }

    @Test("volume weights the VWAP")
    func volumeWeighted() {
        // VWAP = (100×100 + 100×100 + 97×1000) / 1200 = 97.5; deviation −51 bp: no entry at 100 bp.
        #expect(agent().scan(ticker: "AAPL", window: window(["100", "100", "97"], volumes: [100, 100, 1000]), recent: 1, held: 0).isEmpty)
    }

    @Test("no entry while holding; an exit once the close is back at the VWAP")
    func exit() {
        #expect(agent().scan(ticker: "AAPL", window: window(["100", "100", "97"]), recent: 1, held: 10).isEmpty)
        let signals = agent().scan(ticker: "AAPL", window: window(["97", "98", "99"]), recent: 1, held: 10)
        #expect(signals.map(\.side) == [.sell])
        #expect(agent().scan(ticker: "AAPL", window: window(["97", "98", "99"]), recent: 1, held: 0).isEmpty)
    }

    @Test("nothing before min_session_bars bars of the session")
    func warmUp() {
        #expect(agent(minBars: 4).scan(ticker: "AAPL", window: window(["100", "100", "97"]), recent: 3, held: 0).isEmpty)
    }

    @Test("yesterday's bars are not part of today's VWAP")
    func sessionOnly() {
        var w = window(["50", "50", "50"], startMinute: -24 * 60)
        for bar in (0..<3).map({ window(["100", "100", "97"])[$0] }) { w.append(bar) }
        let signals = agent(lookback: 6).scan(ticker: "AAPL", window: w, recent: 1, held: 0)
        #expect(signals.first?.reason == "vwap_deviation=-202bp")
    }

    @Test("each of the recent bars is examined, oldest first")
    func recentBars() {
        let signals = agent(lookback: 2, minBars: 2).scan(ticker: "AAPL", window: window(["100", "98", "96"]), recent: 2, held: 0)
        // 98 vs VWAP 99: −101 bp; 96 vs VWAP 97: −103 bp.
        #expect(signals.map(\.reason) == ["vwap_deviation=-101bp", "vwap_deviation=-103bp"])
    }
}
