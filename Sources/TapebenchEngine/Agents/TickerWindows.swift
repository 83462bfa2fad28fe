import TapebenchCore
import TapebenchExecution

/// Each ticker's window of its last bars and its number of bars replayed, by ticker id: the replay
/// numbers every bar's ticker once (`Orchestrator`), so a lane keeps arrays indexed by that id and a bar
/// costs no look-up by the ticker's text. `tickers` answers look-ups by name (signals, process agents).
struct TickerWindows: Sendable {
    /// The ids' names: the replay's table (bars carry its ids), or one made from names (`init(windows:counts:)`).
    var tickers: TickerTable
    /// Each id's window (nil before its first bar) and bar count, side by side: a bar appended reaches both
    /// through one array, its owner checked once (two arrays were two checks and two bounds checks a bar).
    private var slots: [Slot] = []
    /// The most bars a window keeps, below `window_bars` when nothing the lane runs reads that far back
    /// (`barsKept(agentReads:settings:risk:)`): a window's memory is per ticker and per lane.
    var barsKept = Int.max

    init(tickers: TickerTable = TickerTable()) { self.tickers = tickers }

    /// How many bars of each ticker a lane keeps: what its agent reads (`PreparedAgent.windowBarsRead`, nil
    /// for all), and all `window_bars` when the lane's own rules read the whole window (volatility sizing,
    /// correlation groups); at least 2 (exits and contingent orders read the last bar, backtesting.py's
    /// queue the one before it).
    static func barsKept(agentReads: Int?, settings: OrchestratorSettings, risk: RiskLimits) -> Int {
        guard let agentReads, settings.volatilityTargetBasisPoints == nil, risk.minCorrelation == nil else { return settings.windowBars }
        return min(settings.windowBars, max(2, agentReads))
    }

    /// From windows and counts by name (a view made by hand): numbered in name order.
    init(windows: [String: BarWindow], counts: [String: Int]) {
        tickers = TickerTable(sorted: Set(windows.keys).union(counts.keys))
        slots = Array(repeating: Slot(), count: tickers.count)
        for (name, window) in windows {
            let index = tickers.existingID(for: name)!.index
            slots[index].window = window
            if window.count > 0 { slots[index].newest = Mark(window.entry(at: window.count - 1)) }
            if window.count > 1 { slots[index].before = Mark(window.entry(at: window.count - 2)) }
        }
        for (name, count) in counts { slots[tickers.existingID(for: name)!.index].count = count }
    }

    /// Appends a bar whose `tickerID` is an id of `tickers` to its ticker's window, and counts it.
    @inline(__always)
    mutating func append(_ bar: Bar, capacity: Int) {
        withUnsafePointer(to: bar) { append($0, capacity: capacity) }
    }

    /// `append(_:capacity:)` of the bar at `bar`, read in place (no copy of the `Bar` and its ticker's text).
    @inline(__always)
    mutating func append(_ bar: UnsafePointer<Bar>, capacity: Int) {
        let index = bar.pointee.tickerID.index
        if index >= slots.count { slots.append(contentsOf: repeatElement(Slot(), count: index + 1 - slots.count)) }
        let kept = min(capacity, barsKept)
        slots.withUnsafeMutableBufferPointer { slots in
            if slots[index].window == nil { slots[index].window = BarWindow(capacity: kept) }
            slots[index].window!.append(bar)
            slots[index].count += 1
            slots[index].before = slots[index].newest
            slots[index].newest = Mark(start: bar.pointee.start, close: bar.pointee.close)
        }
    }

    /// The id of `bar`'s ticker in `tickers`: its own when it is one (checked by name), else looked up.
    @inline(__always)
    func id(of bar: Bar) -> TickerID? {
        withUnsafePointer(to: bar) { id(of: $0) }
    }

    /// `id(of:)` of the bar at `bar`, read in place (no copy of the `Bar` and its ticker's text).
    @inline(__always)
    func id(of bar: UnsafePointer<Bar>) -> TickerID? {
        let id = bar.pointee.tickerID
        // The texts compared in place (reading the name out retained and released it, at every bar an agent reads);
        // the names' count read from their buffer (`TickerTable.count`, in another module, was a call per bar).
        if id.isAssigned, tickers.names.withUnsafeBufferPointer({ id.index < $0.count && $0[id.index] == bar.pointee.ticker }) { return id }
        return tickers.existingID(for: bar.pointee.ticker)
    }

    func window(_ id: TickerID) -> BarWindow? { id.index < slots.count ? slots[id.index].window : nil }
    func count(_ id: TickerID) -> Int { id.index < slots.count ? slots[id.index].count : 0 }

    // `if let`, not `.map(count)`: a method passed as a closure boxes `self`, a malloc per call.
    func window(_ ticker: String) -> BarWindow? {
        if let id = tickers.existingID(for: ticker) { return window(id) }
        return nil
    }
    func window(of bar: Bar) -> BarWindow? {
        if let id = id(of: bar) { return window(id) }
        return nil
    }
    func count(of bar: Bar) -> Int {
        if let id = id(of: bar) { return count(id) }
        return 0
    }
    func count(_ ticker: String) -> Int {
        if let id = tickers.existingID(for: ticker) { return count(id) }
        return 0
    }
}

extension TickerWindows {
    /// One id's window and bar count, and the start and close of the window's newest two bars as they were
    /// appended (`newestTwo(_:)`; those of an empty window's or a window of one bar's missing ones are zero).
    struct Slot: Sendable {
        var window: BarWindow?
        var count = 0
        var newest = Mark()
        var before = Mark()
    }

    /// A bar's start and close.
    struct Mark: Sendable, Equatable {
        var start: Timestamp
        var close: Price

        init(start: Timestamp = Timestamp(nanoseconds: 0), close: Price = Price(raw: 0)) {
            self.start = start
            self.close = close
        }

        init(_ entry: BarWindow.Entry) { self.init(start: entry.start, close: entry.close) }
    }

    /// The newest entry of the ticker's window, read in place (no copy of the window, its storage and ticker
    /// retained and released), and the start and close of the one before it (nil when it holds one bar). The
    /// one before is read from the slot: it is the newest of a minute ago, whose entry in the window is mostly out
    /// of the cache by now (≈ 14 % of a 500-ticker scan's time was that read), where the slot was just written.
    @inline(__always)
    func newestTwo(_ id: TickerID) -> (newest: BarWindow.Entry, before: Mark?)? {
        guard id.index < slots.count else { return nil }
        return slots.withUnsafeBufferPointer { slots in
            let slot = slots.baseAddress! + id.index
            let count = slot.pointee.window?.count ?? 0
            guard count > 0, let newest = slot.pointee.window?.entry(at: count - 1) else { return nil }
            return (newest, count > 1 ? slot.pointee.before : nil)
        }
    }
}
