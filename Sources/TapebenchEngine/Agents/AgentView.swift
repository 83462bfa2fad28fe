import TapebenchCore
import TapebenchLedger

/// What an agent may read when it decides: the minute's bars, each ticker's window of past bars, the
/// lane's positions, account facts and open orders. Read-only values, taken when the minute is applied.
public struct AgentView: Sendable {
    /// The minute's end: the decision time (orders are stamped with it), the same for every bar in `bars`.
    public let time: Timestamp
    /// The bars of this minute, regular hours only, in ticker order; each has ended by `time`.
    public let bars: [Bar]
    public let account: AccountFacts
    /// The lane's open orders, in id order.
    public let openOrders: [Order]
    /// The fills booked since the agent was last asked, in the order they happened (a fill of an order
    /// placed in the last minute under same-bar timing comes with the next minute's view).
    public let fills: [Trade]
    let windows: TickerWindows
    let positions: [String: Position]
    let orderClients: [Int64: String]
    /// The lane's `held`: whether the account holds each ticker, by the ids of `windows` (true exactly when
    /// `positions` has the ticker); nil in a view made by hand, which asks `positions`.
    let held: [Bool]?

    public init(time: Timestamp, bars: [Bar], account: AccountFacts, openOrders: [Order], windows: [String: BarWindow],
                barCounts: [String: Int], positions: [String: Position], fills: [Trade] = [], orderClients: [Int64: String] = [:]) {
        self.init(time: time, bars: bars, account: account, openOrders: openOrders, windows: TickerWindows(windows: windows, counts: barCounts),
                  positions: positions, fills: fills, orderClients: orderClients)
    }

    /// The lane's view: windows and counts by the replay's ticker ids (no copy of them).
    init(time: Timestamp, bars: [Bar], account: AccountFacts, openOrders: [Order], windows: TickerWindows,
         positions: [String: Position], fills: [Trade], orderClients: [Int64: String], held: [Bool]? = nil) {
        self.time = time
        self.bars = bars
        self.account = account
        self.openOrders = openOrders
        self.windows = windows
        self.positions = positions
        self.fills = fills
        self.orderClients = orderClients
        self.held = held
    }

    /// The client id the agent gave the order `id` (`OrderRequest.clientID`), nil for orders it did not name.
    public func clientID(ofOrder id: Int64) -> String? { orderClients[id] }

    /// The last `window_bars` bars of `ticker` up to this minute's, oldest first; nil before its first bar.
    public func window(_ ticker: String) -> BarWindow? { windows.window(ticker) }

    /// The window of the ticker of `bar`, one of this minute's `bars` (found by the bar's ticker id).
    public func window(of bar: Bar) -> BarWindow? { windows.window(of: bar) }

    /// How many regular-hours bars of `ticker` have been replayed, this minute's included.
    public func barCount(_ ticker: String) -> Int { windows.count(ticker) }

    /// `barCount` of the ticker of `bar`, one of this minute's `bars` (found by the bar's ticker id).
    public func barCount(of bar: Bar) -> Int { windows.count(of: bar) }

    /// The position in `ticker` (signed shares), nil when flat.
    public func position(_ ticker: String) -> Position? { positions.isEmpty ? nil : positions[ticker] }

    /// The position's shares in the ticker of `bar`, one of this minute's `bars` whose id in `windows` is `id`
    /// (0 when flat): a ticker the lane does not hold (most) costs no look-up by its text.
    @inline(__always)
    func heldQuantity(of bar: Bar, id: TickerID) -> Int64 {
        withUnsafePointer(to: bar) { heldQuantity(of: $0, id: id) }
    }

    /// `heldQuantity(of:id:)` of the bar at `bar`, read in place (no copy of the `Bar` and its ticker's text).
    @inline(__always)
    func heldQuantity(of bar: UnsafePointer<Bar>, id: TickerID) -> Int64 {
        if let held, id.index >= held.count || !held[id.index] {
            // Debug builds (the tests) check the skip against the positions themselves.
            assert(position(bar.pointee.ticker) == nil, "the lane's held flags missed a position in \(bar.pointee.ticker)")
            return 0
        }
        return position(bar.pointee.ticker)?.quantity ?? 0
    }

    /// Every open position, in ticker order.
    public var sortedPositions: [Position] { positions.keys.sorted().compactMap { positions[$0] } }
}
