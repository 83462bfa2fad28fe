import TapebenchCore
import TapebenchData

/// Parameters of the VWAP mean-reversion agent (defaults in parentheses).
public struct VWAPMeanReversionParameters: Sendable, Hashable {
    /// Bars in the rolling VWAP, same session only (30).
    public var lookbackBars = 30
    /// Buy when the close is at least this far below the VWAP, in basis points (40).
    public var entryDeviationBasisPoints: Int64 = 40
    /// Signal an exit when the close is at or above VWAP + this many basis points (0: back at the VWAP).
    public var exitDeviationBasisPoints: Int64 = 0
    /// Bars of the current session needed before any signal (15): the VWAP is noise before that.
    public var minSessionBars = 15

    public init() {}
}

/// `kind: vwap_mean_reversion`, `params: {lookback_bars, entry_deviation_bps, exit_deviation_bps, min_session_bars}`.
public struct VWAPMeanReversionKind: AgentKind {
    public let name = "vwap_mean_reversion"
    public let parameters = [
        AgentParameterDeclaration("lookback_bars", "Bars in the rolling VWAP, same session only (2 to window_bars; 30)."),
        AgentParameterDeclaration("entry_deviation_bps", "Buy when the close is at least this many bp below the VWAP (1 to 10 000; 40)."),
        AgentParameterDeclaration("exit_deviation_bps", "Exit when the close is at or above VWAP + this many bp (above -entry_deviation_bps; 0)."),
        AgentParameterDeclaration("min_session_bars", "Bars of the session needed before any signal (1 to window_bars; 15)."),
    ]

    public init() {}

    public func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        var p = VWAPMeanReversionParameters()
        guard params.isGiven else { return p }
        let window = Int64(params.windowBars)
        p.lookbackBars = Int(try params.integer("lookback_bars", range: 2...window) ?? Int64(p.lookbackBars))
        p.entryDeviationBasisPoints = try params.integer("entry_deviation_bps", range: 1...10_000) ?? p.entryDeviationBasisPoints
        p.exitDeviationBasisPoints = try params.integer("exit_deviation_bps", range: -10_000...10_000) ?? p.exitDeviationBasisPoints
        p.minSessionBars = Int(try params.integer("min_session_bars", range: 1...window) ?? Int64(p.minSessionBars))
        try params.rejectUnknownKeys(known: parameters.names)
        if p.exitDeviationBasisPoints <= -p.entryDeviationBasisPoints {
            throw params.error("exit_deviation_bps", "must be above -entry_deviation_bps (\(-p.entryDeviationBasisPoints)), or every entry is also an exit")
        }
        return p
    }
}

extension VWAPMeanReversionParameters: AgentDefinition {
    public var parameters: [ParameterEntry] {
        [ParameterEntry("lookback_bars", .integer(Int64(lookbackBars))), ParameterEntry("entry_deviation_bps", .integer(Int64(entryDeviationBasisPoints))),
         ParameterEntry("exit_deviation_bps", .integer(Int64(exitDeviationBasisPoints))), ParameterEntry("min_session_bars", .integer(Int64(minSessionBars)))]
    }
    public var parameterList: [(name: String, value: String)] { AgentParameterValue.texts(parameters) }

    public func prepare(_ context: AgentContext) throws -> PreparedAgent {
        var made = VWAPMeanReversionAgent(id: context.agentID, parameters: self)
        made.calendar = context.calendar
        let scanner = made, every = context.settings.scanEveryBars
        var prepared = PreparedAgent(makeAgent: { VWAPScanningAgent(scanning: ScanningAgent(scanner: scanner, every: every)) })
        prepared.windowBarsRead = scanner.barsRead(recent: every)
        return prepared
    }
}

/// Mean reversion to the rolling intraday VWAP: a close far below the volume-weighted average price
/// of the session's last `lookbackBars` bars is expected to revert up (buy); a close back at the
/// VWAP ends the trade (sell). Entries are signalled only when flat, exits only when holding.
/// The VWAP uses each bar's `vwap` when the source has it, else its typical price (high + low + close) / 3.
public struct VWAPMeanReversionAgent: SignalScanner {
    public typealias TickerState = VWAPScanState
    public let id: String
    public let parameters: VWAPMeanReversionParameters
    /// Whose day the session VWAP starts with (NYSE: local midnight; 24x5: 17:00 New York; 24x7: UTC midnight).
    public var calendar = ExchangeCalendar.nyse

    public init(id: String, parameters: VWAPMeanReversionParameters) {
        self.id = id
        self.parameters = parameters
    }

    /// The rule over the whole window (the reference `scan(ticker:state:...)` must agree with, bar for bar).
    public func scan(ticker: String, window: BarWindow, recent: Int, held: Int64) -> [Signal] {
        guard let newest = window.last else { return [] }
        // Today's session in the window: the bars after the start of the newest's trading day, found by walking back
        // from it. Only the last `recent` bars are judged, each over at most `lookbackBars` bars, and a judged bar
        // needs `minSessionBars` of the session up to it, so the walk stops `reach` bars back: beyond that,
        // whether an older bar is in the session changes nothing.
        let midnight = sessionMidnight(of: newest.start)
        let count = window.count
        let reach = recent + max(parameters.lookbackBars, parameters.minSessionBars)
        var sessionStart = count - 1
        while sessionStart > 0, count - sessionStart < reach, window.start(at: sessionStart - 1) >= midnight { sessionStart -= 1 }
        var signals: [Signal] = []
        for end in max(count - recent, sessionStart)..<count where end - sessionStart + 1 >= parameters.minSessionBars {
            // Summed oldest first: every run (and the incremental scan) gives the same rounding.
            var weighted = 0.0, volume = 0.0
            for i in max(sessionStart, end + 1 - parameters.lookbackBars)...end {
                let bar = window.entry(at: i)
                weighted += bar.averagePrice * bar.volume
                volume += bar.volume
            }
            guard let deviation = Self.deviationBasisPoints(close: window.close(at: end).doubleValue, weighted: weighted, volume: volume),
                  let side = side(deviation, held: held) else { continue }
            let bar = window.entry(at: end)
            signals.append(Signal(agent: id, ticker: ticker, side: side, time: bar.end, price: bar.close, reason: Self.reason(deviation)))
        }
        return signals
    }

    /// Where the newest bar's trading day starts: the session VWAP counts only bars starting at or after it.
    func sessionMidnight(of start: Timestamp) -> Timestamp {
        start.adding(nanoseconds: -calendar.day(of: start).secondOfDay * Timestamp.nanosecondsPerSecond)
    }

    /// The signal of a judged bar `deviation` bp from its VWAP: a buy when flat and far enough below, a sell
    /// when holding and back up to the exit; nil otherwise (and always when short).
    @inline(__always)
    func side(_ deviation: Double, held: Int64) -> OrderSide? {
        if held == 0, deviation <= -Double(parameters.entryDeviationBasisPoints) { return .buy }
        if held > 0, deviation >= Double(parameters.exitDeviationBasisPoints) { return .sell }
        return nil
    }

    /// (close − VWAP) / VWAP in basis points, VWAP = weighted / volume; nil without volume, or when not finite
    /// (volumes and prices within Limits keep the sums finite; a bar built beyond them gives no signal).
    @inline(__always)
    static func deviationBasisPoints(close: Double, weighted: Double, volume: Double) -> Double? {
        guard volume > 0 else { return nil }
        let vwap = weighted / volume
        let deviation = (close - vwap) / vwap * 10_000
        return deviation.isFinite ? deviation : nil
    }

    /// The signal's reason: `vwap_deviation=<whole basis points>bp`, a value (`SignalReason`), made into
    /// text only where the signal is written.
    static func reason(_ deviation: Double) -> SignalReason { .vwapDeviation(basisPoints: wholeNumberForText(deviation)) }
}

/// A ratio (basis points, a percentage) as a whole number for a signal's reason text, rounded to even; saturated at
/// ±`Int64.max` (a ratio that large only comes from a near-zero denominator, and is still readable).
func wholeNumberForText(_ value: Double) -> Int64 {
    let rounded = value.rounded(.toNearestOrEven)
    if let exact = Int64(exactly: rounded) { return exact }
    return rounded.isNaN ? 0 : rounded < 0 ? .min : .max
}
