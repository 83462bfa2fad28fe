import TapebenchCore

extension VolumeSurgeAgent {
    /// The `recent` judged bars and the `lookbackBars` before the oldest of them.
    public func barsRead(recent: Int) -> Int? { recent + parameters.lookbackBars }

    public func makeTickerState(recent: Int) -> VolumeSurgeScanState {
        VolumeSurgeScanState(capacity: parameters.lookbackBars + recent)
    }

    /// The rule of `scan(ticker:window:recent:held:)` from a ring of the last bars' volumes and closes. The
    /// baseline and the average are summed over the `lookbackBars` before each judged bar oldest first from 0,
    /// as the whole-window rule does, so they have its bits; each is summed only when the rule reads it (the
    /// baseline when flat and the bar moved enough, the average when holding).
    public func scan(ticker: String, state: inout VolumeSurgeScanState, window: BarWindow, recent: Int, held: Int64, into actions: inout [AgentAction]) {
        guard held >= 0 else { return }
        let n = parameters.lookbackBars
        let fed = state.fed, oldest = fed - window.count
        let first = max(oldest + n, fed - recent)
        guard first < fed else { return }
        for end in first..<fed {
            let bar = window.entry(at: end - oldest)
            if held == 0 {
                let move = (bar.close.doubleValue - bar.open.doubleValue) / bar.open.doubleValue * 10_000
                guard move >= Double(parameters.minMoveBasisPoints) else { continue }
                let baseline = state.sums(from: end - n, through: end - 1).volume / Double(n)
                guard baseline > 0, bar.volume * 100 >= baseline * Double(parameters.surgeMultiplePercent) else { continue }
                let multiple = wholeNumberForText(bar.volume / baseline * 100)
                actions.append(.signal(Signal(agent: id, ticker: ticker, side: .buy, time: bar.end, price: bar.close, reason: .volumeSurge(percent: multiple))))
            } else {
                let average = state.sums(from: end - n, through: end - 1).close / Double(n)
                guard bar.close.doubleValue < average else { continue }
                actions.append(.signal(Signal(agent: id, ticker: ticker, side: .sell, time: bar.end, price: bar.close, reason: .volumeSurgeFade)))
            }
        }
    }
}

/// One ticker's last `capacity` volumes and closes (as `Double`s), in a ring.
public struct VolumeSurgeScanState: ScannerTickerState {
    struct Record: SummedRecord {
        var volume: Double
        var close: Double

        var summed: (Double, Double) { (volume, close) }
    }

    private var ring: ScanRing<Record>

    public init(capacity: Int) {
        ring = ScanRing(capacity: capacity)
    }

    public var capacity: Int { ring.capacity }
    public var fed: Int { ring.fed }

    public mutating func feed(_ bar: BarWindow.Entry) {
        ring.append(Record(volume: bar.volume, close: bar.close.doubleValue))
    }

    public mutating func reset() { ring.reset() }

    /// The sums of volumes and of closes at positions `first...last`, each added oldest first from 0.
    func sums(from first: Int, through last: Int) -> (volume: Double, close: Double) {
        ring.sums(from: first, through: last)
    }
}
