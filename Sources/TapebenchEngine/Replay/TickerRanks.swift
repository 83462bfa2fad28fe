import TapebenchCore

/// Where each ticker of a growing table (`TickerInterner`'s, ids given in the order first seen) stands in name
/// order, by id: two bars of the table are put in ticker order by comparing two integers, not their texts
/// (`StepAssembler`; a string compare per bar was ≈ 0.8 % of a 500-ticker replay whose tickers did not come
/// in name order).
struct TickerRanks: Sendable {
    /// Each id's place among the table's names in name order.
    private var ranks: [Int] = []
    /// The ids in name order.
    private var ordered: [Int] = []

    /// How many ids are ranked (ids from 0 up to this).
    var count: Int { ranks.count }

    /// The table's newest id (`names.count - 1`, every earlier one ranked already) takes its place; the ids
    /// named after it move up one. A binary search among the names, then a walk over the ids after it: nothing
    /// to move when the names come in order.
    mutating func add(newestOf names: [String]) {
        let id = names.count - 1
        precondition(id == ranks.count, "ranks are added one id at a time, in the table's order")
        let name = names[id]
        var low = 0, high = ordered.count
        while low < high {
            let middle = low + (high - low) / 2
            if names[ordered[middle]] < name { low = middle + 1 } else { high = middle }
        }
        ordered.insert(id, at: low)
        ranks.append(low)
        for place in (low + 1)..<ordered.count { ranks[ordered[place]] = place }
    }

    /// The place of `id` in name order; nil for an id not ranked.
    @inline(__always)
    func rank(_ id: TickerID) -> Int? {
        guard id.isAssigned, id.index < ranks.count else { return nil }
        return ranks[id.index]
    }
}
