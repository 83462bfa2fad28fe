import TapebenchCore

extension BreakoutAgent {
    /// The `recent` judged bars and the longer of the two ranges before the oldest of them; a window
    /// holding no more still has a judged bar's `max(lookback, exit lookback)` bars before each.
    public func barsRead(recent: Int) -> Int? { recent + max(parameters.lookbackBars, parameters.exitLookbackBars) }

    public func makeTickerState(recent: Int) -> BreakoutScanState {
        BreakoutScanState(lookback: parameters.lookbackBars, exitLookback: parameters.exitLookbackBars, recent: recent)
    }

    /// The rule of `scan(ticker:window:recent:held:)` from each bar's range high and low, taken from running
    /// extremes when the bar was fed (the same values: a highest or lowest is exact, whatever the order).
    public func scan(ticker: String, state: inout BreakoutScanState, window: BarWindow, recent: Int, held: Int64, into actions: inout [AgentAction]) {
        guard held >= 0 else { return }
        // A judged bar needs `n` bars before it in the window, as in the whole-window rule.
        let n = max(parameters.lookbackBars, parameters.exitLookbackBars)
        let fed = state.fed, oldest = fed - window.count
        let first = max(oldest + n, fed - recent)
        guard first < fed else { return }
        for end in first..<fed {
            let range = state.range(at: end)
            let bar = window.entry(at: end - oldest)
            if held == 0 {
                // Wide: a price near the top of the range, raised by the breakout margin, is beyond any close.
                let threshold = Fixed.divideRoundingHalfEvenWide(range.high.wide * (10_000 + Int128(parameters.breakoutBasisPoints)), 10_000)
                guard bar.close.wide > threshold else { continue }
                actions.append(.signal(Signal(agent: id, ticker: ticker, side: .buy, time: bar.end, price: bar.close, reason: .breakout(range.high))))
            } else if bar.close < range.low {
                actions.append(.signal(Signal(agent: id, ticker: ticker, side: .sell, time: bar.end, price: bar.close, reason: .breakdown(range.low))))
            }
        }
    }
}

/// One ticker's running highest high of the last `lookback` bars and lowest low of the last `exitLookback`,
/// and, for each of the last `recent` bars fed, those of the bars before it.
public struct BreakoutScanState: ScannerTickerState {
    private var highs: RunningExtreme
    private var lows: RunningExtreme
    /// Each recent bar's range (the bars before it), by position modulo `recent`; `Fixed.zero` where the
    /// state had fewer bars then (such a bar is never judged: it has too few bars before it).
    private var ranges: [(high: Price, low: Price)]
    public private(set) var fed = 0

    public init(lookback: Int, exitLookback: Int, recent: Int) {
        highs = RunningExtreme(.highest, length: lookback)
        lows = RunningExtreme(.lowest, length: exitLookback)
        ranges = Array(repeating: (Fixed.zero, Fixed.zero), count: recent)
    }

    public mutating func feed(_ bar: BarWindow.Entry) {
        ranges[fed % ranges.count] = (Fixed(raw: highs.extreme ?? 0), Fixed(raw: lows.extreme ?? 0))
        highs.push(bar.high.raw)
        lows.push(bar.low.raw)
        fed += 1
    }

    public mutating func reset() {
        highs.reset()
        lows.reset()
        fed = 0
    }

    /// The highest high and lowest low before the bar at `position`, one of the last `recent` fed.
    func range(at position: Int) -> (high: Price, low: Price) {
        precondition(position < fed && fed - position <= ranges.count, "position out of the ring")
        return ranges[position % ranges.count]
    }
}
