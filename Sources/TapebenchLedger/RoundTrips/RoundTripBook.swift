import TapebenchCore

/// Turns a lane's fills into round trips as they happen, keeping only the open entry lots.
///
/// **The matching rule (first in, first out, one trip per closing fill).** Every fill that opens or adds to a
/// position is an entry lot (its time, price, shares and commission). A fill on the other side closes shares
/// of the oldest lots first; the shares it closes are *one* round trip: its quantity, the lots' average
/// entry price, the oldest closed lot's entry time, the fill's price and time. A lot partly closed keeps its
/// remaining shares (and the rest of its commission) at the head of the queue. A fill larger than the position
/// reverses it: the trip takes the shares the position held, the remainder opens a lot on the other side.
/// This is pyfolio's `extract_round_trips` convention; the sum of the trips' gross P&L equals the ledger's
/// realized P&L whenever the position is flat (the ledger releases average cost, which differs from FIFO
/// only while shares remain open).
///
/// **Excursions.** MAE and MFE are measured per share from the trip's average entry price over the highs and
/// lows of the ticker's bars seen (`see`) from the oldest closed lot's entry on: the entry bar's whole range
/// (a bar the entry filled in), each later bar before the closing fill's bar, and the entry and exit prices
/// themselves. The closing bar's range is left out: what it did after the exit is no part of the trip.
public struct RoundTripBook: Sendable {
    /// An entry lot: its remaining shares and commission, and the extremes of the bars seen from its entry
    /// until the next lot's entry (a segment: the oldest lot's window is the extremes of all segments, so a
    /// bar updates one segment, not every lot).
    struct Lot: Sendable, Hashable {
        var time: Timestamp
        var price: Price
        var quantity: Int64
        var commission: Money
        var high: Price
        var low: Price
    }

    /// The open lots of one ticker, oldest first, all on one side.
    struct Position: Sendable, Hashable {
        var side: RoundTripSide
        var lots: [Lot]

        /// Widens the newest lot's segment.
        mutating func widen(high: Price, low: Price) {
            guard let last = lots.indices.last else { return }
            if high > lots[last].high { lots[last].high = high }
            if low < lots[last].low { lots[last].low = low }
        }
    }

    private var positions: [String: Position] = [:]
    /// The last ticker `see` looked up and where its position is: valid until a fill adds or removes a position
    /// (`book` forgets it), as a dictionary's index is while only its values change.
    private var lastSeen: (ticker: String, index: Dictionary<String, Position>.Index)?
    /// The emptied lot lists of positions that closed, kept for their storage: a position opening takes one
    /// instead of a new array (a malloc per round trip, half a malloc per fill on the peers tape). At most one
    /// per ticker that was ever open at once.
    private var spareLots: [[Lot]] = []

    public init() {}

    /// Open lots of `ticker` (for tests).
    public func openLots(_ ticker: String) -> Int { positions[ticker]?.lots.count ?? 0 }

    /// A bar of `ticker` replayed after its fills were booked: widens the newest lot's segment. Returns the
    /// segment's range after it (nil when `ticker` has no open lot): until the next fill in `ticker`, a bar
    /// inside that range would change nothing, so a caller may skip `see` for it (the lane does, by ticker id).
    @discardableResult
    public mutating func see(ticker: String, high: Price, low: Price) -> (high: Price, low: Price)? {
        // One hash: found by key, read, and widened where it lies through its index (the dictionary's modify
        // accessor by key allocated its coroutine frame on every call, 1.4 mallocs a bar on a one-ticker order
        // tape; taking the position out and putting it back hashed the ticker three times).
        // The ticker `see` found last is found again without hashing: the bars of a ticker holding a position
        // come one after another (a one-ticker tape: every one; ≈ 310 instructions a hash, 54 k bars there).
        let index: Dictionary<String, Position>.Index
        if let last = lastSeen, last.ticker == ticker {
            index = last.index
        } else {
            guard let found = positions.index(forKey: ticker) else { return nil }
            index = found
            lastSeen = (ticker, found)
        }
        guard let lot = positions.values[index].lots.last else { return nil }
        guard high > lot.high || low < lot.low else { return (lot.high, lot.low) }
        positions.values[index].widen(high: high, low: low)
        return (max(high, lot.high), min(low, lot.low))
    }

    /// Books a fill; returns the round trip it closes, when it closes shares.
    public mutating func book(_ fill: Fill) -> RoundTrip? {
        lastSeen = nil
        let side: RoundTripSide = fill.side == .buy ? .long : .short
        guard var position = positions[fill.ticker], position.side != side else {
            add(Lot(time: fill.time, price: fill.price, quantity: fill.quantity, commission: fill.commission, high: fill.price, low: fill.price),
                side: side, ticker: fill.ticker)
            return nil
        }
        positions[fill.ticker] = nil
        let held = position.lots.reduce(Int64(0)) { $0 + $1.quantity }
        let closing = min(fill.quantity, held)
        let exitCommission = fill.commission.scaled(by: closing, over: fill.quantity)
        var high = fill.price, low = fill.price
        for lot in position.lots {
            high = max(high, lot.high)
            low = min(low, lot.low)
        }
        let entryTime = position.lots[0].time
        var entryCost: Int128 = 0, commissions = exitCommission.wide, left = closing, consumed = 0
        while left > 0 {
            var lot = position.lots[consumed]
            let take = min(left, lot.quantity)
            let share = lot.commission.scaled(by: take, over: lot.quantity)
            entryCost += lot.price.wideProduct(take)
            commissions += share.wide
            lot.quantity -= take
            lot.commission -= share
            left -= take
            if lot.quantity == 0 {
                consumed += 1
            } else {
                position.lots[consumed] = lot
            }
        }
        position.lots.removeFirst(consumed)
        if position.lots.isEmpty {
            // Let go here too, so the spare list is unique when a reversal below takes it back.
            spareLots.append(position.lots)
            position.lots = []
        } else {
            positions[fill.ticker] = position
        }
        let exitValue = fill.price.wideProduct(closing)
        let gross = position.side == .long ? exitValue - entryCost : entryCost - exitValue
        let entryPrice = Fixed(raw: Int64(Fixed.divideRoundingHalfEvenWide(entryCost, Int128(closing))))
        let (adverse, favourable) = position.side == .long ? (low - entryPrice, high - entryPrice) : (entryPrice - high, entryPrice - low)
        if fill.quantity > closing {
            let rest = fill.quantity - closing
            add(Lot(time: fill.time, price: fill.price, quantity: rest, commission: fill.commission - exitCommission, high: fill.price, low: fill.price),
                side: side, ticker: fill.ticker)
        }
        // Bounded by the account's checks: a position's cost and a fill's notional are each within Limits.maxAmount.
        return RoundTrip(ticker: fill.ticker, side: position.side, quantity: closing, entryTime: entryTime, exitTime: fill.time,
                         entryPrice: entryPrice, exitPrice: fill.price, entryNotional: Fixed(raw: Int64(entryCost)), grossPnL: Fixed(raw: Int64(gross)),
                         commissions: Fixed(raw: Int64(commissions)), adverseExcursion: adverse, favourableExcursion: favourable)
    }

    private mutating func add(_ lot: Lot, side: RoundTripSide, ticker: String) {
        if let index = positions.index(forKey: ticker) {
            positions.values[index].lots.append(lot)
        } else {
            var lots = spareLots.popLast() ?? []
            lots.append(lot)
            positions[ticker] = Position(side: side, lots: lots)
        }
    }

    /// Forgets the ticker `see` found last (for tests: a book looking each ticker up must answer the same).
    mutating func forgetLastSeen() { lastSeen = nil }

    /// Where `ticker`'s open lots are stored (for tests of the storage's reuse).
    func lotStorage(_ ticker: String) -> UnsafeRawPointer? {
        positions[ticker]?.lots.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }
}
