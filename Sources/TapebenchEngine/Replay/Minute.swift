import TapebenchCore

/// The bars that end at one time, in ticker order: one step of the replay (for minute bars, a minute:
/// every ticker's bar that starts at the same time). The lanes apply all of them before any decision.
public struct Minute: Sendable {
    /// When the bars end: the decision time of this step.
    public var time: Timestamp
    public var bars: [Bar]

    public init(time: Timestamp, bars: [Bar]) {
        self.time = time
        self.bars = bars
    }

    /// The first bar's start, read in place (`bars.first?.start` copied the whole bar, its ticker's text
    /// retained and released, at every step); nil when the step has no bar.
    var firstStart: Timestamp? {
        // Not from the address alone: an empty array may still have one (its storage kept).
        bars.withUnsafeBufferPointer { bars in bars.isEmpty ? nil : bars.baseAddress.map { $0.pointee.start } }
    }

    /// The index of the first bar carrying ticker id `id`, the ids compared in place (`firstIndex` on the array
    /// copied each bar out to test it, its ticker's text retained and released).
    func index(of id: TickerID) -> Int? {
        bars.withUnsafeBufferPointer { bars in
            guard let first = bars.baseAddress else { return nil }
            return bars.indices.first { (first + $0).pointee.tickerID == id }
        }
    }
}

/// Where each ticker id's bar is in one step's bars, made once per step when a lane first needs a bar by its
/// ticker (its open orders' first minutes, an order's decision bar): `Minute.index(of:)` walked the step's
/// bars (500 at 500 tickers) for each such order.
struct StepBarIndex: Sendable {
    /// By ticker id: 1 + the index of the id's first bar in the step; 0 when the step has none.
    private var places: [Int32] = []
    /// The step the places are for (its time and bar count), nil before the first or after `forget()`.
    private var step: (time: Timestamp, count: Int)?

    /// Ids from 0 up to this are placed (and steps of fewer bars).
    private static var idsIndexed: Int { 1 << 22 }

    /// At a step's start: the places are for no step until `prepare(_:)`. (A step is known by its time and bar
    /// count: the lane forgets at every step, for two steps at one time.)
    mutating func forget() { step = nil }

    /// Makes the places of `minute`'s bars (once per step; then nothing).
    mutating func prepare(_ minute: Minute) {
        if let step, step.time == minute.time, step.count == minute.bars.count { return }
        step = nil
        let made = minute.bars.withUnsafeBufferPointer { bars -> Bool in
            guard let first = bars.baseAddress else { return true }
            guard bars.count < Self.idsIndexed else { return false }
            // The highest id, for the places' length; an id far beyond any table's (a bar numbered by hand):
            // walked for instead.
            var highest = -1
            for index in bars.indices {
                let id = (first + index).pointee.tickerID
                guard id.isAssigned else { continue }
                guard id.index < Self.idsIndexed else { return false }
                highest = max(highest, id.index)
            }
            if highest >= places.count { places.append(contentsOf: repeatElement(0, count: highest + 1 - places.count)) }
            places.withUnsafeMutableBufferPointer { places in
                places.update(repeating: 0)
                // Newest index first, so that the first bar of an id (as `Minute.index(of:)` finds) is the one kept.
                for index in bars.indices.reversed() {
                    let id = (first + index).pointee.tickerID
                    if id.isAssigned { places[id.index] = Int32(truncatingIfNeeded: index + 1) }
                }
            }
            return true
        }
        step = made ? (minute.time, minute.bars.count) : nil
    }

    /// `minute.index(of: id)`: from the places when they were made for `minute`, else by walking its bars.
    func index(of id: TickerID, in minute: Minute) -> Int? {
        guard let step, step.time == minute.time, step.count == minute.bars.count, id.isAssigned else { return minute.index(of: id) }
        guard id.index < places.count else { return nil }
        let place = places[id.index]
        return place == 0 ? nil : Int(place) - 1
    }
}
