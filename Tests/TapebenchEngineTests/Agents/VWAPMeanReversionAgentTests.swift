import Testing
import TapebenchCore
import TapebenchData
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

    @Test("the session VWAP starts with the scenario's day: UTC midnight under 24x7, New York midnight under NYSE")
    func sessionOfTheCalendar() {
        // 2024-03-11 23:58Z to 2024-03-12 00:02Z (19:58–20:02 New York, one NYSE day): 50, 50, then 100, 100, 97.
        var w = BarWindow(capacity: 100)
        let first = Timestamp(seconds: CivilDate(iso: "2024-03-11")!.daysSinceEpoch * 86_400 + 23 * 3600 + 58 * 60)
        for (i, close) in ["50", "50", "100", "100", "97"].enumerated() {
            let price = Fixed(parsing: close)!
            w.append(Bar(ticker: "AAPL", start: first.adding(minutes: Int64(i)), open: price, high: price, low: price, close: price, volume: 100))
        }
        var crypto = agent(lookback: 5)
        crypto.calendar = ExchangeCalendar(session: .always)
        // UTC day: VWAP of 100, 100, 97 = 99; 97 is 202 bp below it.
        #expect(crypto.scan(ticker: "AAPL", window: w, recent: 1, held: 0).map(\.reason) == ["vwap_deviation=-202bp"])
        // New York day: VWAP of all five = 79.4; 97 is above it.
        #expect(agent(lookback: 5).scan(ticker: "AAPL", window: w, recent: 1, held: 0).isEmpty)
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

    @Test("the scan over the window gives what a copy of the session's bars gave, across day changes and full windows",
          arguments: [(30, 15, 5), (3, 3, 1), (2, 40, 5), (30, 1, 7), (100, 100, 5)])
    func sameAsCopyingTheSession(lookback: Int, minBars: Int, recent: Int) {
        // Given random bars over three days (some days' sessions longer than the window), scanned after each bar
        var rng = Xoshiro256(seed: 11, key: "vwap-\(lookback)-\(minBars)-\(recent)")
        let scanner = agent(lookback: lookback, entry: 20, exit: -10, minBars: minBars)
        var w = BarWindow(capacity: 100)
        var scans = 0, signals = 0
        for day in 0..<3 {
            for minute in 0..<(day == 1 ? 60 : 160) {
                let close = 10_000 + Int64(rng.next() % 400)
                let high = close + Int64(rng.next() % 50), low = close - Int64(rng.next() % 50)
                w.append(Bar(ticker: "AAPL", start: sessionOpen.adding(minutes: Int64(day * 1_440 + minute)), open: Fixed(raw: close * 1_000_000),
                             high: Fixed(raw: high * 1_000_000), low: Fixed(raw: low * 1_000_000), close: Fixed(raw: close * 1_000_000),
                             volume: Double(1 + rng.next() % 5_000)))
                for held: Int64 in [0, 10] {
                    // Then every signal, reason and time is the old algorithm's
                    let expected = Self.copyingScan(scanner, window: w, recent: recent, held: held)
                    let got = scanner.scan(ticker: "AAPL", window: w, recent: recent, held: held)
                    #expect(got == expected, "day \(day) minute \(minute) held \(held)")
                    scans += 1
                    signals += got.count
                }
            }
        }
        #expect(scans == 760)
        #expect(signals > 0)
    }

    /// The scan as it was written before it read the window in place: the session's bars copied out, then each
    /// recent bar's VWAP over a slice of the copy.
    static func copyingScan(_ scanner: VWAPMeanReversionAgent, window: BarWindow, recent: Int, held: Int64) -> [Signal] {
        guard let newest = window.last else { return [] }
        let p = scanner.parameters
        let (_, secondOfDay) = EasternTime.local(newest.start)
        let midnight = newest.start.adding(nanoseconds: -secondOfDay * Timestamp.nanosecondsPerSecond)
        var bars: [Bar] = []
        var i = window.count - 1
        while i >= 0, window[i].start >= midnight {
            bars.append(window[i])
            i -= 1
        }
        bars.reverse()
        var signals: [Signal] = []
        for end in max(bars.count - recent, 0)..<bars.count where end + 1 >= p.minSessionBars {
            var weighted = 0.0, volume = 0.0
            for bar in bars[max(0, end + 1 - p.lookbackBars)...end] {
                let price = bar.vwap?.doubleValue ?? (bar.high.doubleValue + bar.low.doubleValue + bar.close.doubleValue) / 3
                weighted += price * bar.volume
                volume += bar.volume
            }
            guard volume > 0 else { continue }
            let vwap = weighted / volume
            let deviation = (bars[end].close.doubleValue - vwap) / vwap * 10_000
            guard deviation.isFinite else { continue }
            let bar = bars[end]
            let reason = "vwap_deviation=\(wholeNumberForText(deviation))bp"
            if held == 0, deviation <= -Double(p.entryDeviationBasisPoints) {
                signals.append(Signal(agent: scanner.id, ticker: "AAPL", side: .buy, time: bar.end, price: bar.close, reason: .text(reason)))
            } else if held > 0, deviation >= Double(p.exitDeviationBasisPoints) {
                signals.append(Signal(agent: scanner.id, ticker: "AAPL", side: .sell, time: bar.end, price: bar.close, reason: .text(reason)))
            }
        }
        return signals
    }
}
