import TapebenchCore
import TapebenchData

extension VWAPMeanReversionAgent {
    /// `reach`: the walk back to the session's start stops `recent + max(lookback, min session)` bars back,
    /// and every judged bar's lookback lies inside that (`scan(ticker:window:recent:held:)`).
    public func barsRead(recent: Int) -> Int? { recent + max(parameters.lookbackBars, parameters.minSessionBars) }

    public func makeTickerState(recent: Int) -> VWAPScanState {
        // A scan reads at most `reach` bars back: the walk to the session's start stops there, and the judged
        // bars' lookbacks lie inside it (see `scan(ticker:window:recent:held:)`).
        VWAPScanState(capacity: recent + max(parameters.lookbackBars, parameters.minSessionBars))
    }

    /// The rule of `scan(ticker:window:recent:held:)` from the ticker's ring of its last bars' starts, closes
    /// and volume-weighted products, each computed once when the bar was fed (not once per sum it enters).
    /// Same sums in the same order (oldest first, from 0), so the same bits: a running sum that adds the
    /// newest and takes off the oldest would round differently and could move a signal by a basis point.
    public func scan(ticker: String, state: inout VWAPScanState, window: BarWindow, recent: Int, held: Int64, into actions: inout [AgentAction]) {
        // Short: no rule signals anything (entries only when flat, exits only when long).
        guard held >= 0, state.fed > 0, window.count > 0 else { return }
        // Positions count the bars fed since the state started; the window's bar i is position `oldest + i`.
        let fed = state.fed, oldest = fed - window.count
        // The starts and closes are the window's (its bar i is position `oldest + i`): the ring keeps only the sums' numbers.
        let midnight = state.sessionMidnight(of: window.start(at: window.count - 1), calendar: calendar)
        let reach = recent + max(parameters.lookbackBars, parameters.minSessionBars)
        let sessionStart = state.sessionStart(midnight: midnight, notBefore: max(oldest, fed - reach), window: window)
        // The judged bars: the newest `recent`, those with `minSessionBars` of the session up to them.
        var end = max(fed - recent, sessionStart, sessionStart + parameters.minSessionBars - 1)
        let lookback = parameters.lookbackBars
        while end < fed {
            // Up to four judged bars whose lookbacks lie wholly in the session (most scans: all five but the
            // session's first) summed side by side (`ScanRing.slidingSums`, the same bits as one at a time).
            let chains = min(4, fed - end)
            if chains > 1, end + 1 - lookback >= sessionStart {
                let (weighted, volume) = state.slidingSums(from: end + 1 - lookback, length: lookback, chains: chains)
                for i in 0..<chains {
                    judge(end + i, close: window.close(at: end + i - oldest).doubleValue, weighted: weighted[i], volume: volume[i], window: window, oldest: oldest, ticker: ticker,
                          held: held, into: &actions)
                }
                end += chains
            } else {
                let sums = state.sums(from: max(sessionStart, end + 1 - lookback), through: end)
                judge(end, close: window.close(at: end - oldest).doubleValue, weighted: sums.weighted, volume: sums.volume, window: window, oldest: oldest, ticker: ticker,
                      held: held, into: &actions)
                end += 1
            }
        }
    }

    /// The judged bar at position `end` (the window's bar `end - oldest`, its close `close`) with its lookback's sums: its
    /// signal, if any.
    @inline(__always)
    private func judge(_ end: Int, close: Double, weighted: Double, volume: Double, window: BarWindow, oldest: Int, ticker: String,
                       held: Int64, into actions: inout [AgentAction]) {
        guard let deviation = Self.deviationBasisPoints(close: close, weighted: weighted, volume: volume),
              let side = side(deviation, held: held) else { return }
        let bar = window.entry(at: end - oldest)
        actions.append(.signal(Signal(agent: id, ticker: ticker, side: side, time: bar.end, price: bar.close, reason: Self.reason(deviation))))
    }
}

/// One ticker's last bars as the VWAP scan reads them: a ring of `capacity` records (32 bytes each, `ScanRing`),
/// whatever the length of the replay. A bar's start and close are read from the ticker's window, which holds
/// the bars fed (the newest `window.count` of them, position `fed - window.count + i` its bar i): kept here
/// too, they took half the ring's memory, per ticker (0.28 MB at 500 tickers).
public struct VWAPScanState: ScannerTickerState {
    /// The last bar found starting before a midnight, so that a scan looks only at the bars fed since the
    /// one before it (the walk back to the session's start once a day, not every scan).
    struct Before: Sendable {
        var midnight: Timestamp
        /// The newest position up to `checked` whose bar starts before `midnight`; `Int.min` when none was
        /// at or after the bound the walk stopped at (the bound only rises, so none is still none).
        var position: Int
        var checked: Int
    }

    public struct Record: SummedRecord {
        /// The bar's average price × its volume (`BarWindow.Entry.averagePrice`).
        var weighted: Double
        var volume: Double

        var summed: (Double, Double) { (weighted, volume) }
    }

    private var ring: ScanRing<Record>
    private var before: Before?
    /// The local day of the newest scan's bar, for its session's midnight: the calendar's conversion once a day,
    /// not at every scan (≈ 1 % of a 200-ticker replay).
    private var days = SessionCache()

    public init(capacity: Int) {
        ring = ScanRing(capacity: capacity)
    }

    public var capacity: Int { ring.capacity }
    /// Bars fed since the last reset; the newest is position `fed - 1`.
    public var fed: Int { ring.fed }

    public mutating func feed(_ bar: BarWindow.Entry) {
        ring.append(Record(weighted: bar.averagePrice * bar.volume, volume: bar.volume))
    }

    public mutating func reset() {
        ring.reset()
        before = nil
    }

    /// `VWAPMeanReversionAgent.sessionMidnight(of:)` under `calendar`, from the day kept since the last scan
    /// (`SessionCache`, whose results are the calendar's).
    mutating func sessionMidnight(of start: Timestamp, calendar: ExchangeCalendar) -> Timestamp {
        // Asked in place (a copy in and out of the optional was 2 × 160 bytes a scan).
        if days.calendar != calendar { days = SessionCache(calendar: calendar) }
        let secondOfDay = days.local(start).secondOfDay
        return start.adding(nanoseconds: -secondOfDay * Timestamp.nanosecondsPerSecond)
    }

    /// The session's first position as the whole-window walk finds it: walking back from the newest bar
    /// while the bar before starts at or after `midnight`, never below `bound` (the window's oldest, or
    /// `reach` bars back). That is `max(bound, b + 1)` (at most the newest), `b` the newest position before
    /// the newest bar whose start is before `midnight`; `b` is remembered, so only bars fed since the last
    /// scan are read unless the midnight changed. The starts are `window`'s (`bound` is at or after its oldest).
    mutating func sessionStart(midnight: Timestamp, notBefore bound: Int, window: BarWindow) -> Int {
        let newest = fed - 1, oldest = fed - window.count
        precondition(bound >= oldest, "a position before the window's oldest bar")
        var below = Int.min
        var stop = bound
        // The same midnight: positions up to `checked` were read by an earlier scan (down to a bound no
        // higher than this one), so only the newer ones are read; none of them before midnight, `b` stays.
        if let before, before.midnight == midnight {
            below = before.position
            stop = max(before.checked + 1, bound)
        }
        var position = newest - 1
        while position >= stop {
            if window.start(at: position - oldest) < midnight {
                below = position
                break
            }
            position -= 1
        }
        // The newest bar starts at or after its own session's midnight (`sessionMidnight(of:calendar:)` goes
        // back by the local second of the day), which is `midnight`: a next scan with the same midnight need
        // not read it again.
        before = Before(midnight: midnight, position: below, checked: newest)
        return below < bound ? bound : min(newest, below + 1)
    }

    /// The weighted and volume sums of positions `first...last`, added oldest first from 0.
    func sums(from first: Int, through last: Int) -> (weighted: Double, volume: Double) {
        ring.sums(from: first, through: last)
    }

    /// `sums(from:through:)` of up to four runs of `length` positions, the first from `first`, side by side
    /// (`ScanRing.slidingSums`).
    func slidingSums(from first: Int, length: Int, chains: Int) -> (weighted: SIMD4<Double>, volume: SIMD4<Double>) {
        ring.slidingSums(from: first, length: length, chains: chains)
    }
}
