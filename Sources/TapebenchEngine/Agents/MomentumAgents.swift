import TapebenchCore

/// Parameters of the volume-surge agent (defaults in parentheses).
public struct VolumeSurgeParameters: Sendable, Hashable {
    /// Bars whose mean volume is the baseline (20).
    public var lookbackBars = 20
    /// A surge is a bar with at least this multiple of the baseline volume, in hundredths (300 = 3×).
    public var surgeMultiplePercent: Int64 = 300
    /// …that closes at least this many basis points above its open (10).
    public var minMoveBasisPoints: Int64 = 10
    public init() {}
}

/// Buys a surge of volume on an up bar — someone is buying in size — and exits when the close falls back
/// below the simple moving average of the last `lookbackBars` closes (the push has faded).
public struct VolumeSurgeAgent: Agent {
    public let id: String
    public let parameters: VolumeSurgeParameters

    public init(id: String, parameters: VolumeSurgeParameters) {
        self.id = id
        self.parameters = parameters
    }

    public func scan(ticker: String, window: BarWindow, recent: Int, held: Int64) -> [Signal] {
        let n = parameters.lookbackBars
        guard window.count > n else { return [] }
        var signals: [Signal] = []
        for end in max(n, window.count - recent)..<window.count {
            let bar = window[end]
            let prior = (end - n..<end).map { window[$0] }
            let baseline = prior.reduce(0.0) { $0 + $1.volume } / Double(n)
            let average = prior.reduce(0.0) { $0 + $1.close.doubleValue } / Double(n)
            let move = (bar.close.doubleValue - bar.open.doubleValue) / bar.open.doubleValue * 10_000
            if held == 0, baseline > 0, bar.volume * 100 >= baseline * Double(parameters.surgeMultiplePercent),
               move >= Double(parameters.minMoveBasisPoints) {
                let multiple = wholeNumberForText(bar.volume / baseline * 100)
                signals.append(Signal(agent: id, ticker: ticker, side: .buy, time: bar.end, price: bar.close, reason: "volume_surge=\(multiple)%"))
            } else if held > 0, bar.close.doubleValue < average {
                signals.append(Signal(agent: id, ticker: ticker, side: .sell, time: bar.end, price: bar.close, reason: "volume_surge_fade"))
            }
        }
        return signals
    }
}

/// Parameters of the breakout agent (defaults in parentheses).
public struct BreakoutParameters: Sendable, Hashable {
    /// The range to break: the highest high of the previous `lookbackBars` bars (30).
    public var lookbackBars = 30
    /// The close must clear that high by this many basis points (5).
    public var breakoutBasisPoints: Int64 = 5
    /// Exit when the close breaks below the lowest low of the previous `exitLookbackBars` bars (15).
    public var exitLookbackBars = 15
    public init() {}
}

/// Buys a close above the recent range's high; exits on a close below the shorter range's low.
public struct BreakoutAgent: Agent {
    public let id: String
    public let parameters: BreakoutParameters

    public init(id: String, parameters: BreakoutParameters) {
        self.id = id
        self.parameters = parameters
    }

    public func scan(ticker: String, window: BarWindow, recent: Int, held: Int64) -> [Signal] {
        let n = max(parameters.lookbackBars, parameters.exitLookbackBars)
        guard window.count > n else { return [] }
        var signals: [Signal] = []
        for end in max(n, window.count - recent)..<window.count {
            let bar = window[end]
            let high = (end - parameters.lookbackBars..<end).map { window[$0].high }.max()!
            let low = (end - parameters.exitLookbackBars..<end).map { window[$0].low }.min()!
            // Wide: a price near the top of the range, raised by the breakout margin, is beyond any close.
            let threshold = Fixed.divideRoundingHalfEvenWide(high.wide * (10_000 + Int128(parameters.breakoutBasisPoints)), 10_000)
            if held == 0, bar.close.wide > threshold {
                signals.append(Signal(agent: id, ticker: ticker, side: .buy, time: bar.end, price: bar.close, reason: "breakout=\(high)"))
            } else if held > 0, bar.close < low {
                signals.append(Signal(agent: id, ticker: ticker, side: .sell, time: bar.end, price: bar.close, reason: "breakdown=\(low)"))
            }
        }
        return signals
    }
}
