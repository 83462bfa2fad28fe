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
public struct VolumeSurgeAgent: SignalScanner {
    public typealias TickerState = VolumeSurgeScanState
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
                signals.append(Signal(agent: id, ticker: ticker, side: .buy, time: bar.end, price: bar.close, reason: .volumeSurge(percent: multiple)))
            } else if held > 0, bar.close.doubleValue < average {
                signals.append(Signal(agent: id, ticker: ticker, side: .sell, time: bar.end, price: bar.close, reason: .volumeSurgeFade))
            }
        }
        return signals
    }
}

/// `kind: volume_surge`, `params: {lookback_bars, surge_multiple_pct, min_move_bps}`.
public struct VolumeSurgeKind: AgentKind {
    public let name = "volume_surge"
    public let parameters = [
        AgentParameterDeclaration("lookback_bars", "Bars whose mean volume is the baseline (2 to window_bars − 1; 20)."),
        AgentParameterDeclaration("surge_multiple_pct", "A surge is at least this multiple of the baseline volume, in hundredths (100 to 100 000; 300 = 3×)."),
        AgentParameterDeclaration("min_move_bps", "…on a bar closing at least this many bp above its open (−10 000 to 10 000; 10)."),
    ]

    public init() {}

    public func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        var p = VolumeSurgeParameters()
        guard params.isGiven else { return p }
        p.lookbackBars = Int(try params.integer("lookback_bars", range: 2...Int64(params.windowBars - 1)) ?? Int64(p.lookbackBars))
        p.surgeMultiplePercent = try params.integer("surge_multiple_pct", range: 100...100_000) ?? p.surgeMultiplePercent
        p.minMoveBasisPoints = try params.integer("min_move_bps", range: -10_000...10_000) ?? p.minMoveBasisPoints
        try params.rejectUnknownKeys(known: parameters.names)
        return p
    }
}

extension VolumeSurgeParameters: AgentDefinition {
    public var parameters: [ParameterEntry] {
        [ParameterEntry("lookback_bars", .integer(Int64(lookbackBars))), ParameterEntry("surge_multiple_pct", .integer(Int64(surgeMultiplePercent))),
         ParameterEntry("min_move_bps", .integer(Int64(minMoveBasisPoints)))]
    }
    public var parameterList: [(name: String, value: String)] { AgentParameterValue.texts(parameters) }

    public func prepare(_ context: AgentContext) throws -> PreparedAgent {
        let scanner = VolumeSurgeAgent(id: context.agentID, parameters: self), every = context.settings.scanEveryBars
        var prepared = PreparedAgent(makeAgent: { VolumeSurgeScanningAgent(scanning: ScanningAgent(scanner: scanner, every: every)) })
        prepared.windowBarsRead = scanner.barsRead(recent: every)
        return prepared
    }
}
