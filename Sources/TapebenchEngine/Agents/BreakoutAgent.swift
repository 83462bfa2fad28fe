import TapebenchCore

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
public struct BreakoutAgent: SignalScanner {
    public typealias TickerState = BreakoutScanState
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
                signals.append(Signal(agent: id, ticker: ticker, side: .buy, time: bar.end, price: bar.close, reason: .breakout(high)))
            } else if held > 0, bar.close < low {
                signals.append(Signal(agent: id, ticker: ticker, side: .sell, time: bar.end, price: bar.close, reason: .breakdown(low)))
            }
        }
        return signals
    }
}

/// `kind: breakout`, `params: {lookback_bars, breakout_bps, exit_lookback_bars}`.
public struct BreakoutKind: AgentKind {
    public let name = "breakout"
    public let parameters = [
        AgentParameterDeclaration("lookback_bars", "The range to break: the highest high of this many previous bars (2 to window_bars − 1; 30)."),
        AgentParameterDeclaration("breakout_bps", "The close must clear that high by this many bp (0 to 10 000; 5)."),
        AgentParameterDeclaration("exit_lookback_bars", "Exit on a close below the lowest low of this many previous bars (2 to window_bars − 1; 15)."),
    ]

    public init() {}

    public func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        var p = BreakoutParameters()
        guard params.isGiven else { return p }
        p.lookbackBars = Int(try params.integer("lookback_bars", range: 2...Int64(params.windowBars - 1)) ?? Int64(p.lookbackBars))
        p.breakoutBasisPoints = try params.integer("breakout_bps", range: 0...10_000) ?? p.breakoutBasisPoints
        p.exitLookbackBars = Int(try params.integer("exit_lookback_bars", range: 2...Int64(params.windowBars - 1)) ?? Int64(p.exitLookbackBars))
        try params.rejectUnknownKeys(known: parameters.names)
        return p
    }
}

extension BreakoutParameters: AgentDefinition {
    public var parameters: [ParameterEntry] {
        [ParameterEntry("lookback_bars", .integer(Int64(lookbackBars))), ParameterEntry("breakout_bps", .integer(Int64(breakoutBasisPoints))),
         ParameterEntry("exit_lookback_bars", .integer(Int64(exitLookbackBars)))]
    }
    public var parameterList: [(name: String, value: String)] { AgentParameterValue.texts(parameters) }

    public func prepare(_ context: AgentContext) throws -> PreparedAgent {
        let scanner = BreakoutAgent(id: context.agentID, parameters: self), every = context.settings.scanEveryBars
        var prepared = PreparedAgent(makeAgent: { BreakoutScanningAgent(scanning: ScanningAgent(scanner: scanner, every: every)) })
        prepared.windowBarsRead = scanner.barsRead(recent: every)
        return prepared
    }
}
