import TapebenchCore

/// A pattern matcher in the reference system's shape (its agents' "scan"): signals for one ticker from
/// that ticker's window. No clock, no I/O, no randomness.
///
/// Two ways to the same signals: `scan(ticker:window:recent:held:)` computes them from the whole window
/// (the rule as written, and the reference the tests compare with); a scanner with a `TickerState` keeps,
/// per ticker, what its rule needs of the bars already seen (running extremes, each bar's products, a
/// ring of the last few bars), fed with each new bar once, and `scan(ticker:state:window:recent:held:into:)`
/// answers from it. A scanner without one (`TickerState == WholeWindow`) is asked the whole-window way.
public protocol SignalScanner: Sendable {
    associatedtype TickerState: ScannerTickerState = WholeWindow

    /// Signals for `ticker` from the newest `recent` bars of `window` (the bars since the last scan).
    /// `held` is the agent's position in the ticker (shares), so it signals entries only when flat and
    /// exits only when holding.
    func scan(ticker: String, window: BarWindow, recent: Int, held: Int64) -> [Signal]

    /// A ticker's empty state, for scans of the newest `recent` bars.
    func makeTickerState(recent: Int) -> TickerState

    /// The same signals as `scan(ticker:window:recent:held:)`, appended to `actions`, from `state` fed
    /// with every bar of `window` up to its newest (the window is read for a signal's time and price); the
    /// scan may keep what it found in `state` for the next one.
    func scan(ticker: String, state: inout TickerState, window: BarWindow, recent: Int, held: Int64, into actions: inout [AgentAction])

    /// The most bars, counting the newest, that a scan of the newest `recent` bars reads back from the
    /// window: a window keeping that many (or more) gives the same signals as a longer one, so a lane keeps
    /// no more (`PreparedAgent.windowBarsRead`). Nil (the default): any bar of the window.
    func barsRead(recent: Int) -> Int?
}

extension SignalScanner {
    public func barsRead(recent: Int) -> Int? { nil }
}

/// What a scanner keeps of one ticker between scans, fed the ticker's bars in order.
public protocol ScannerTickerState: Sendable {
    /// The ticker's next bar (one of its window's entries).
    mutating func feed(_ bar: BarWindow.Entry)
    /// Forgets every bar (the window's bars are fed again, oldest first).
    mutating func reset()
}

/// The state of a scanner that reads the whole window each time: nothing.
public struct WholeWindow: ScannerTickerState {
    public init() {}
    public func feed(_ bar: BarWindow.Entry) {}
    public func reset() {}
}

extension SignalScanner where TickerState == WholeWindow {
    public func makeTickerState(recent: Int) -> WholeWindow { WholeWindow() }

    public func scan(ticker: String, state: inout WholeWindow, window: BarWindow, recent: Int, held: Int64, into actions: inout [AgentAction]) {
        for signal in scan(ticker: ticker, window: window, recent: recent, held: held) { actions.append(.signal(signal)) }
    }
}

/// The reference orchestrator's cadence: a scanner runs on every `every`-th regular-hours bar of each
/// ticker (5 by default, `orchestrator.scan_every_bars`), over the bars since its last scan.
///
/// Made as `any Agent`, a generic type is called through its conformance's generic witness: the scanner's
/// code then ran unspecialized (run-time metadata for each ticker's state, a witness call per bar fed). The
/// built-in kinds hand the lane a concrete wrapper instead (`VWAPScanningAgent`, …), whose calls are
/// specialized.
public struct ScanningAgent<Scanner: SignalScanner>: Agent {
    public var scanner: Scanner
    public let every: Int
    /// Each ticker's state and how far it has followed the window, by the view's ticker id (made empty for
    /// every id up to the highest seen; an empty state holds no buffer until it is fed).
    private var states: [Scanner.TickerState] = []
    private var followers: [WindowFollower] = []
    /// The last minute's actions, kept for their storage: the lane lets go of the returned array by the
    /// next minute, so emptying it then keeps its buffer instead of allocating one per signalling minute
    /// (an array the caller still holds is copied on write, as ever).
    private var actions: [AgentAction] = []

    public init(scanner: Scanner, every: Int) {
        precondition(every > 0)
        self.scanner = scanner
        self.every = every
    }

    public mutating func decide(_ view: AgentView) -> [AgentAction] {
        var actions: [AgentAction] = []
        swap(&actions, &self.actions)
        // Most minutes leave it empty: emptying an empty array still went through the generic replaceSubrange.
        if !actions.isEmpty { actions.removeAll(keepingCapacity: true) }
        defer { self.actions = actions }
        // A state and a follower for every id the view's table has (a bar's id is one of them, `TickerWindows.id(of:)`),
        // made before the minute's bars: then each bar's are reached in place, the two arrays checked for a
        // unique owner once a minute instead of at every bar.
        let ids = view.windows.tickers.count
        if states.count < ids {
            states.reserveCapacity(ids)
            followers.reserveCapacity(ids)
            while states.count < ids {
                states.append(scanner.makeTickerState(recent: every))
                followers.append(WindowFollower())
            }
        }
        let scanner = self.scanner, every = self.every
        // By the bars' ticker ids: no look-up by the ticker's text for the four bars in five not scanned.
        // Each bar read in place through its address: a `for bar in` copied every `Bar`, and so did passing
        // `bars[index]` on (≈ 2 % of a 200-ticker replay: the copy, its ticker's text retained and released).
        states.withUnsafeMutableBufferPointer { states in
            followers.withUnsafeMutableBufferPointer { followers in
                view.bars.withUnsafeBufferPointer { bars in
                    guard let first = bars.baseAddress else { return }
                    for index in bars.indices {
                        let bar = first + index
                        guard let id = view.windows.id(of: bar) else { continue }
                        precondition(id.index < states.count, "a ticker id beyond the view's table")
                        let count = view.windows.count(id)
                        Self.follow(bar, id: id, windows: view.windows, barCount: count, state: &states[id.index], follower: &followers[id.index])
                        // Unsigned (a count is at least 0, `every` above 0): no checks for a remainder that could trap.
                        guard UInt(bitPattern: count) % UInt(bitPattern: every) == 0, let window = view.windows.window(id) else { continue }
                        let held = view.heldQuantity(of: bar, id: id)
                        scanner.scan(ticker: bar.pointee.ticker, state: &states[id.index], window: window, recent: every, held: held, into: &actions)
                    }
                }
            }
        }
        return actions
    }

    /// Brings the ticker's state up to its window's newest bar, every minute the agent is asked (not only at
    /// its scans): the bar was appended to the window this minute, so it is read while still in the cache,
    /// where the bars of five minutes ago, read at the scan, were mostly not. The window again, oldest first,
    /// when the state cannot tell which bars are new (`WindowFollower`).
    /// `bar` is the minute's bar of the ticker, read in place for its ticker's text.
    @inline(__always)
    private static func follow(_ bar: UnsafePointer<Bar>, id: TickerID, windows: TickerWindows, barCount: Int, state: inout Scanner.TickerState,
                               follower: inout WindowFollower) {
        if let newest = follower.newestOnly(ticker: bar, windows: windows, id: id, barCount: barCount) {
            state.feed(newest)
            return
        }
        guard let window = windows.window(id) else { return }
        let first = follower.firstNew(ticker: bar.pointee.ticker, window: window, barCount: barCount)
        if first == 0 { state.reset() }
        for i in first..<window.count { state.feed(window.entry(at: i)) }
    }
}

/// How far a ticker's scanner state has followed its window: the ticker's bar count then, and the newest
/// bar it was fed (to check that the window still holds it where the counts say).
struct WindowFollower: Sendable {
    private var ticker: String? {
        // Its two words and where a `Bar` keeps its text, for `follows(_:)` (valid while `ticker` holds the
        // text). The place is asked here, when the ticker changes, and kept: a static constant would be checked
        // for its one-time set-up at every bar (`Bar` is laid out in another module, so it is not folded).
        didSet {
            tickerWords = ticker.flatMap { ticker in
                MemoryLayout<Bar>.offset(of: \Bar.ticker).map { (unsafeBitCast(ticker, to: (UInt64, UInt64).self), $0) }
            }
        }
    }
    private var tickerWords: (words: (UInt64, UInt64), offset: Int)?
    private var barCount = 0
    /// The newest bar fed: its start and close.
    private var newest: (start: Timestamp, close: Price)?

    /// The window's newest bar when it is the only one the state has not been fed (the agent asked every minute:
    /// one bar more than last time, the same ticker, the newest fed now the window's bar before its newest), read
    /// in place; records it as fed. Nil otherwise, changing nothing (`firstNew` then tells).
    /// `bar` is the minute's bar of the ticker, its text read in place.
    @inline(__always)
    mutating func newestOnly(ticker bar: UnsafePointer<Bar>, windows: TickerWindows, id: TickerID, barCount: Int) -> BarWindow.Entry? {
        guard barCount == self.barCount + 1, let newest, let entries = windows.newestTwo(id), let before = entries.before,
              before.start == newest.start, before.close == newest.close, follows(bar) else { return nil }
        self.barCount = barCount
        self.newest = (entries.newest.start, entries.newest.close)
        return entries.newest
    }

    /// Whether the ticker followed is `bar`'s. Its text's two words first, read in place: the replay's bars of a
    /// ticker share one text's storage, so equal words are the answer, with no copy of the text (retained and
    /// released at every bar); texts in other storage are compared as texts.
    @inline(__always)
    private func follows(_ bar: UnsafePointer<Bar>) -> Bool {
        if let tickerWords,
           (UnsafeRawPointer(bar) + tickerWords.offset).loadUnaligned(as: (UInt64, UInt64).self) == tickerWords.words { return true }
        guard let ticker else { return false }
        return bar.pointee.ticker == ticker
    }

    /// The index of the window's first bar the state has not been fed; 0 means the state must start again
    /// from the window's oldest bar (the first scan, the ticker's window replaced, or more new bars than the
    /// window holds, e.g. after the account was paused). Records the window's newest bar as fed.
    mutating func firstNew(ticker: String, window: BarWindow, barCount: Int) -> Int {
        let added = barCount - self.barCount
        var first = 0
        // The newest bar fed must be the one `added` bars before the window's newest.
        if let newest, self.ticker == ticker, added >= 0, added < window.count {
            let fed = window.entry(at: window.count - 1 - added)
            if fed.start == newest.start, fed.close == newest.close { first = window.count - added }
        }
        if first == 0, self.ticker != ticker { self.ticker = ticker }
        self.barCount = barCount
        if window.count > 0 {
            let last = window.entry(at: window.count - 1)
            newest = (last.start, last.close)
        } else {
            newest = nil
        }
        return first
    }
}
