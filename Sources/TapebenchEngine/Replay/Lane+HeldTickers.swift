import TapebenchCore
import TapebenchLedger

/// What a lane keeps by ticker id about the account's positions, so that a held bar (every bar of a held
/// ticker) costs array reads, not look-ups by the ticker's text: whether it is held, whether its exits are
/// watched, where its position lies, and its newest round-trip lot's range. Each fill brings them up to date
/// (`noteHeld`). The bars carry ids of the replay's table (`Orchestrator` numbers every bar).
extension LaneState {
    /// Whether the account holds `bar`'s ticker (`bar.tickerID` an id of the replay's table).
    @inline(__always)
    func holds(_ bar: Bar) -> Bool { holds(bar.tickerID) }

    /// Whether the account holds the ticker `id` (an id of the replay's table).
    @inline(__always)
    func holds(_ id: TickerID) -> Bool {
        let index = id.index
        return index < held.count && held[index]
    }

    /// Keeps `held` true for `ticker` exactly when the account has a position in it (after a fill booked),
    /// and forgets the range of its newest round-trip lot (the fill may have opened or closed lots) and where
    /// the positions lie (`markHeld`).
    mutating func noteHeld(_ ticker: String) {
        // A fill may add or remove a position, which moves the others in the account's dictionary.
        if !positionSlots.isEmpty { positionSlots.removeAll(keepingCapacity: true) }
        guard let id = windows.tickers.existingID(for: ticker) else { return }
        if id.index >= held.count { held.append(contentsOf: repeatElement(false, count: id.index + 1 - held.count)) }
        let position = account.position(ticker)
        held[id.index] = position != nil
        if id.index >= exitWatched.count { exitWatched.append(contentsOf: repeatElement(false, count: id.index + 1 - exitWatched.count)) }
        exitWatched[id.index] = position.map { $0.quantity > 0 && $0.signal != nil } ?? false
        if id.index < lotRanges.count { lotRanges[id.index] = nil }
    }

    /// Marks the account's position in a held bar's ticker at the bar's close, found by the index kept for
    /// its ticker id since the last fill (`Account.positionIndex`): a look-up by text once per fill, not per bar.
    /// The bar is read in place, through its address (no copy of the `Bar` and its ticker's text).
    @inline(__always)
    mutating func markHeld(_ bar: UnsafePointer<Bar>) throws(AmountOutOfRange) {
        let id = bar.pointee.tickerID.index
        if id < positionSlots.count, let slot = positionSlots[id] { return try account.mark(at: slot, bar.pointee.close) }
        guard let slot = account.positionIndex(bar.pointee.ticker) else { return }
        if id >= positionSlots.count { positionSlots.append(contentsOf: repeatElement(nil, count: id + 1 - positionSlots.count)) }
        positionSlots[id] = slot
        try account.mark(at: slot, bar.pointee.close)
    }

    /// The account's position in `bar`'s ticker: read where `markHeld` found it for the ticker's id since the
    /// last fill (a held bar of this step was marked), else looked up by the ticker's text.
    @inline(__always)
    func heldPosition(_ bar: Bar) -> Position? {
        let id = bar.tickerID.index
        if id < positionSlots.count, let slot = positionSlots[id] {
            let entry = account.positions[slot]
            if entry.key == bar.ticker {
                // Debug builds (the tests) check the slot against the look-up.
                assert(entry.value == account.position(bar.ticker), "the kept slot of \(bar.ticker) holds another position")
                return entry.value
            }
        }
        return account.position(bar.ticker)
    }

    /// Whether the orchestrator's stop-loss and take-profit watch `bar`'s ticker: a long the lane opened from
    /// a signal (`monitorExits` judges nothing else), as of the last fill in it.
    @inline(__always)
    func watchesExits(_ bar: Bar) -> Bool {
        let index = bar.tickerID.index
        return index < exitWatched.count && exitWatched[index]
    }

    /// A held bar to the round-trip book (`RoundTripBook.see`), unless it lies inside the range of its
    /// ticker's newest lot as the book last told it (most bars): a look-up by the ticker's text less per bar.
    /// The range changes only through `see` and through fills, which forget it (`noteHeld`).
    /// The bar is read in place, through its address.
    @inline(__always)
    mutating func seeRoundTrip(_ bar: UnsafePointer<Bar>) {
        let index = bar.pointee.tickerID.index
        let high = bar.pointee.high, low = bar.pointee.low
        if index < lotRanges.count, let range = lotRanges[index], high <= range.high, low >= range.low { return }
        let range = roundTrips.see(ticker: bar.pointee.ticker, high: high, low: low)
        if index >= lotRanges.count { lotRanges.append(contentsOf: repeatElement(nil, count: index + 1 - lotRanges.count)) }
        lotRanges[index] = range
    }
}
