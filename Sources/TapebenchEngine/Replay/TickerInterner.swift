import TapebenchCore

/// Numbers the tickers of the bars a replay sees in one table of its own, so that lanes and statistics
/// keep arrays indexed by the id instead of dictionaries keyed by the ticker's text. A bar read from a
/// stream comes with the stream's id (`BarStream.tickers`): it is mapped to this table's with an array
/// index (checked against the name, so bars from another table, or made by hand, are looked up instead).
struct TickerInterner: Sendable {
    /// Every ticker seen, in the order first seen.
    private(set) var table = TickerTable()
    /// The stream's ids to this table's (`.unassigned` where not seen yet).
    private var fromStream: [TickerID] = []

    /// Gives `bar` this table's id of its ticker; returns whether the ticker is new to the table.
    @inline(__always)
    mutating func intern(_ bar: inout Bar) -> Bool {
        let streamID = bar.tickerID
        if streamID.isAssigned, streamID.index < fromStream.count {
            let local = fromStream[streamID.index]
            // The names compared in place (reading the table's name out retained and released it, every bar).
            if local.isAssigned, table.names.withUnsafeBufferPointer({ $0[local.index] == bar.ticker }) {
                bar.tickerID = local
                return false
            }
        }
        let count = table.count
        let local = table.id(for: bar.ticker)!  // an open table has an id for every name
        // Stream ids are small (a table's size); a stray large one is looked up each time instead.
        if streamID.isAssigned, streamID.index < 1 << 20 {
            if streamID.index >= fromStream.count {
                fromStream.append(contentsOf: repeatElement(.unassigned, count: streamID.index + 1 - fromStream.count))
            }
            fromStream[streamID.index] = local
        }
        bar.tickerID = local
        return table.count > count
    }
}
