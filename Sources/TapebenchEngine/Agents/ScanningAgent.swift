import TapebenchCore

/// A pattern matcher in the reference system's shape (its agents' "scan"): signals for one ticker from
/// that ticker's window. No clock, no I/O, no randomness.
public protocol SignalScanner: Sendable {
    /// Signals for `ticker` from the newest `recent` bars of `window` (the bars since the last scan).
    /// `held` is the agent's position in the ticker (shares), so it signals entries only when flat and
    /// exits only when holding.
    func scan(ticker: String, window: BarWindow, recent: Int, held: Int64) -> [Signal]
}

/// The reference orchestrator's cadence: a scanner runs on every `every`-th regular-hours bar of each
/// ticker (5 by default, `orchestrator.scan_every_bars`), over the bars since its last scan.
public struct ScanningAgent<Scanner: SignalScanner>: Agent {
    public var scanner: Scanner
    public let every: Int

    public init(scanner: Scanner, every: Int) {
        precondition(every > 0)
        self.scanner = scanner
        self.every = every
    }

    public mutating func decide(_ view: AgentView) -> [AgentAction] {
        var actions: [AgentAction] = []
        // By the bars' ticker ids: no look-up by the ticker's text for the four bars in five not scanned.
        for bar in view.bars where view.barCount(of: bar) % every == 0 {
            guard let window = view.window(of: bar) else { continue }
            let held = view.position(bar.ticker)?.quantity ?? 0
            for signal in scanner.scan(ticker: bar.ticker, window: window, recent: every, held: held) { actions.append(.signal(signal)) }
        }
        return actions
    }
}
