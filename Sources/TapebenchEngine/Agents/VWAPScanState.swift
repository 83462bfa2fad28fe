import TapebenchCore

extension VWAPMeanReversionAgent {
    public func makeTickerState(recent: Int) -> VWAPScanState {
        // A scan reads at most `reach` bars back: the walk to the session's start stops there, and the judged
        // bars' lookbacks lie inside it (see `scan(ticker:window:recent:held:)`).
        VWAPScanState(capacity: recent + max(parameters.lookbackBars, parameters.minSessionBars))
    }

    /// The rule of `scan(ticker:window:recent:held:)` from the ticker's ring of its last bars' starts, closes
    /// and volume-weighted products, each computed once when the bar was fed (not once per sum it enters).
    /// Same sums in the same order (oldest first, from 0), so the same bits: a running sum that adds the
    /// newest and takes off the oldest would round differently and could move a signal by a basis point.
    public func scan(ticker: String, state: VWAPScanState, window: BarWindow, recent: Int, held: Int64, into actions: inout [AgentAction]) {
        // Short: no rule signals anything (entries only when flat, exits only when long).
        guard held >= 0, state.fed > 0, window.count > 0 else { return }
        // Positions count the bars fed since the state started; the window's bar i is position `oldest + i`.
        let fed = state.fed, oldest = fed - window.count
        let midnight = sessionMidnight(of: state[fed - 1].start)
        let reach = recent + max(parameters.lookbackBars, parameters.minSessionBars)
        var sessionStart = fed - 1
        while sessionStart > oldest, fed - sessionStart < reach, state[sessionStart - 1].start >= midnight { sessionStart -= 1 }
        for end in max(fed - recent, sessionStart)..<fed where end - sessionStart + 1 >= parameters.minSessionBars {
            let sums = state.sums(from: max(sessionStart, end + 1 - parameters.lookbackBars), through: end)
            guard let deviation = Self.deviationBasisPoints(close: state[end].close, weighted: sums.weighted, volume: sums.volume),
                  let side = side(deviation, held: held) else { continue }
            let bar = window.entry(at: end - oldest)
            actions.append(.signal(Signal(agent: id, ticker: ticker, side: side, time: bar.end, price: bar.close, reason: Self.reason(deviation))))
        }
    }
}

/// One ticker's last bars as the VWAP scan reads them: a ring of `capacity` records (32 bytes each),
/// whatever the length of the replay.
public struct VWAPScanState: ScannerTickerState {
    public struct Record: Sendable {
        var start: Timestamp
        /// The bar's average price × its volume (`BarWindow.Entry.averagePrice`).
        var weighted: Double
        var volume: Double
        var close: Double
    }

    public let capacity: Int
    private var ring: [Record] = []
    /// Bars fed since the last reset; the newest is position `fed - 1`, in slot `(fed - 1) % capacity`.
    public private(set) var fed = 0

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public mutating func feed(_ window: BarWindow, at index: Int) {
        let bar = window.entry(at: index)
        let record = Record(start: bar.start, weighted: bar.averagePrice * bar.volume, volume: bar.volume, close: bar.close.doubleValue)
        if ring.count < capacity {
            if ring.isEmpty { ring.reserveCapacity(capacity) }
            ring.append(record)
        } else {
            ring[fed % capacity] = record
        }
        fed += 1
    }

    public mutating func reset() {
        ring.removeAll(keepingCapacity: true)
        fed = 0
    }

    /// The record at `position`, one of the last `capacity` fed.
    subscript(position: Int) -> Record {
        precondition(position < fed && fed - position <= capacity, "position out of the ring")
        return ring.withUnsafeBufferPointer { $0[position % capacity] }
    }

    /// The weighted and volume sums of positions `first...last`, added oldest first from 0.
    func sums(from first: Int, through last: Int) -> (weighted: Double, volume: Double) {
        precondition(first <= last && last < fed && fed - first <= capacity, "positions out of the ring")
        return ring.withUnsafeBufferPointer { records in
            var weighted = 0.0, volume = 0.0
            var slot = first % capacity
            for _ in first...last {
                weighted += records[slot].weighted
                volume += records[slot].volume
                slot += 1
                if slot == capacity { slot = 0 }
            }
            return (weighted, volume)
        }
    }
}
