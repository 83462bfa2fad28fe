/// A ticker as a small integer, assigned when bars are read: arrays indexed by it replace dictionaries
/// keyed by the ticker's text. Ids come from a `TickerTable`; a table made from a known list of tickers
/// numbers them in sorted order, so comparing ids compares the tickers and a run's ids are the same on
/// every run.
public struct TickerID: Sendable, Hashable, Comparable {
    public var raw: UInt32

    @inlinable public init(raw: UInt32) { self.raw = raw }

    /// The id of a bar made without a table (by hand, in tests): it names no ticker.
    public static let unassigned = TickerID(raw: .max)

    @inlinable public var index: Int { Int(raw) }
    @inlinable public var isAssigned: Bool { raw != .max }

    @inlinable public static func < (a: TickerID, b: TickerID) -> Bool { a.raw < b.raw }
}

/// Ticker names and their ids. Made from the tickers a run selects (`init(sorted:)`, closed: ids in sorted
/// order, other names have none), or open (`init()`): ids in the order names are first seen, and
/// `sortedOrder` tells their order by name.
public struct TickerTable: Sendable {
    public private(set) var names: [String] = []
    private var ids: [String: TickerID] = [:]
    /// Whether names not in the table are refused (a run's selection) rather than added.
    public let isClosed: Bool
    /// Whether ids are in the order of the names (always for a closed table).
    public private(set) var isSorted = true
    /// The last name looked up and its id: bars of one ticker come in runs, so most look-ups are a
    /// compare of two short strings, not a hash.
    private var lastName = ""
    private var lastID: TickerID?

    /// An open table: every name read gets an id.
    public init() { isClosed = false }

    /// A closed table of these tickers, numbered in sorted order.
    public init<S: Sequence>(sorted tickers: S) where S.Element == String {
        isClosed = true
        for name in Set(tickers).sorted() { append(name) }
    }

    public var count: Int { names.count }

    /// The name of an id of this table.
    @inlinable public func name(_ id: TickerID) -> String { names[id.index] }

    /// The id of `name`: its own, a new one (open table), or nil (a closed table without it).
    @inline(__always)
    public mutating func id(for name: String) -> TickerID? {
        if name == lastName, !name.isEmpty || lastID != nil { return lastID }
        let found = lookUp(name)
        lastName = name
        lastID = found
        return found
    }

    /// The id `name` has in the table, nil when it has none (a look-up that adds nothing, for readers of
    /// a table another owns).
    public func existingID(for name: String) -> TickerID? {
        // A table of a few names is searched by comparing them: equal names that are the same text compare as
        // two words, where hashing one cost ≈ 310 instructions (four look-ups an order on a one-ticker tape).
        if names.count <= TickerTable.scannedCount {
            for index in names.indices where names[index] == name { return TickerID(raw: UInt32(index)) }
            return nil
        }
        return ids[name]
    }

    /// Tables up to this many names are searched name by name (`existingID`).
    static let scannedCount = 4

    private mutating func lookUp(_ name: String) -> TickerID? {
        if let id = ids[name] { return id }
        guard !isClosed else { return nil }
        if let last = names.last, name < last { isSorted = false }
        return append(name)
    }

    @discardableResult
    private mutating func append(_ name: String) -> TickerID {
        let id = TickerID(raw: UInt32(names.count))
        names.append(name)
        ids[name] = id
        return id
    }

    /// Each id's position in name order (the identity when `isSorted`).
    public func sortedOrder() -> [UInt32] {
        var order = [UInt32](repeating: 0, count: names.count)
        if isSorted {
            for i in order.indices { order[i] = UInt32(i) }
        } else {
            for (position, index) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { order[index] = UInt32(position) }
        }
        return order
    }
}
