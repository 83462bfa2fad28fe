import TapebenchCore

/// A stand-alone order's contingent stop-loss and take-profit (backtesting.py's `sl` and `tp`), placed as
/// orders of the trade it opens.
public struct BacktestingBracket: Sendable, Hashable {
    public var stopLoss: Price?
    public var takeProfit: Price?

    public init(stopLoss: Price?, takeProfit: Price?) {
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
    }

    public var isEmpty: Bool { stopLoss == nil && takeProfit == nil }

    /// backtesting.py's `new_order` check: a buy needs SL < price < TP, a sell TP < price < SL, where the
    /// price is the limit, else the stop, else (a market order) the last close adjusted by the spread. The
    /// problem in words, naming the field, or nil.
    public func problem(side: OrderSide, price: Price, what: String) -> (field: String, message: String)? {
        let buy = side == .buy
        if let sl = stopLoss, buy ? sl >= price : sl <= price {
            return ("sl", "a \(side.rawValue)'s stop-loss \(sl) must be \(buy ? "below" : "above") its \(what) \(price) (backtesting.py: \(buy ? "SL < LIMIT < TP" : "TP < LIMIT < SL"))")
        }
        if let tp = takeProfit, buy ? tp <= price : tp >= price {
            return ("tp", "a \(side.rawValue)'s take-profit \(tp) must be \(buy ? "above" : "below") its \(what) \(price) (backtesting.py: \(buy ? "SL < LIMIT < TP" : "TP < LIMIT < SL"))")
        }
        return nil
    }
}

/// backtesting.py 0.6.6's `_Broker.orders` and `_Broker.trades` for one ticker of one lane (netting,
/// `hedging=False`), by Tapebench order id: the queue in the order `_process_orders` walks it, the open trades
/// in FIFO order, and which orders are a trade's stop-loss, take-profit or `Trade.close()` order. Pure: the
/// lane places, resizes and cancels the orders this book names.
public struct BacktestingBook: Sendable, Hashable {
    public enum Leg: Sendable, Hashable {
        case stopLoss(entry: Int64)
        case takeProfit(entry: Int64)
        /// `Trade.close()`'s market order (what `exclusive_orders` places for every open trade).
        case close(entry: Int64)

        public var entry: Int64 {
            switch self { case .stopLoss(let e), .takeProfit(let e), .close(let e): e }
        }
        /// backtesting.py's `Order.is_contingent`: a trade's SL or TP order, not its close order.
        public var isContingent: Bool { if case .close = self { false } else { true } }
    }

    public struct Trade: Sendable, Hashable {
        /// The order that opened it (its id names the trade, as backtesting.py's tag does).
        public var entry: Int64
        /// Signed shares.
        public var size: Int64
        public var stopLossOrder: Int64?
        public var takeProfitOrder: Int64?
        /// The entry's purpose, to name the trade's orders after (set by the caller).
        public var purpose = ""
    }

    /// What a fill did to the trades: legs to cancel (their trade closed), legs to resize (their trade
    /// reduced: to the trade's size), and the trade it opened.
    public struct Effects: Sendable {
        public var cancel: [Int64] = []
        public var resize: [(id: Int64, quantity: Int64)] = []
        public var opened: Trade?
    }

    public private(set) var queue: [Int64] = []
    public private(set) var trades: [Trade] = []
    public private(set) var legs: [Int64: Leg] = [:]
    /// The SL and TP of stand-alone orders not filled yet.
    public var brackets: [Int64: BacktestingBracket] = [:]

    public init() {}

    /// Whether the book holds anything the plain rules do not cover (a bracket waiting, or a trade's orders).
    public var hasContingent: Bool { !brackets.isEmpty || !legs.isEmpty }

    /// A stand-alone order joins the end of the queue.
    public mutating func append(_ id: Int64) { queue.append(id) }

    /// A trade's order joins the queue: a stop-loss or close order first (`new_order` puts a trade's stop
    /// order at the front, `Trade.close()` inserts at the front), a take-profit last.
    public mutating func add(_ id: Int64, leg: Leg) {
        legs[id] = leg
        switch leg {
        case .stopLoss(let entry):
            queue.insert(id, at: 0)
            if let t = trades.firstIndex(where: { $0.entry == entry }) { trades[t].stopLossOrder = id }
        case .takeProfit(let entry):
            queue.append(id)
            if let t = trades.firstIndex(where: { $0.entry == entry }) { trades[t].takeProfitOrder = id }
        case .close:
            queue.insert(id, at: 0)
        }
    }

    /// An order left the queue (filled, cancelled, rejected): a cancelled SL or TP no longer belongs to its
    /// trade (`Order.cancel`).
    public mutating func remove(_ id: Int64) {
        if let index = queue.firstIndex(of: id) { queue.remove(at: index) }
        brackets[id] = nil
        guard let leg = legs.removeValue(forKey: id), let t = trades.firstIndex(where: { $0.entry == leg.entry }) else { return }
        if trades[t].stopLossOrder == id { trades[t].stopLossOrder = nil }
        if trades[t].takeProfitOrder == id { trades[t].takeProfitOrder = nil }
    }

    public func contains(_ id: Int64) -> Bool { queue.contains(id) }

    /// Names an open trade after its entry's purpose.
    public mutating func name(entry: Int64, purpose: String) {
        if let t = trades.firstIndex(where: { $0.entry == entry }) { trades[t].purpose = purpose }
    }

    public func trade(_ entry: Int64) -> Trade? { trades.first { $0.entry == entry } }

    /// A stand-alone order filled `size` shares (signed): netted FIFO against the opposite trades, as
    /// `_process_orders` does without hedging (whole trades closed, their SL and TP cancelled; the last one
    /// reduced, its SL and TP resized); the rest opens a trade with the order's bracket, if it has one
    /// (taken from `brackets`). The new trade's SL and TP orders are the caller's to place.
    public mutating func filled(standAlone id: Int64, size: Int64) -> (effects: Effects, bracket: BacktestingBracket?) {
        var effects = Effects()
        var need = size
        for trade in trades where (trade.size > 0) != (size > 0) && need != 0 {
            let part = abs(need) >= abs(trade.size) ? -trade.size : need
            reduce(entry: trade.entry, by: part, except: id, into: &effects)
            need -= part
        }
        let bracket = brackets.removeValue(forKey: id)
        if need != 0 {
            let trade = Trade(entry: id, size: need)
            trades.append(trade)
            effects.opened = trade
        }
        return (effects, bracket?.isEmpty == false ? bracket : nil)
    }

    /// How many shares a trade's order `id` fills now: an SL or TP order the whole trade; a close order at
    /// most what is left of its trade. Nil when its trade is closed already (a close order then just
    /// leaves the queue, as backtesting.py removes it without a fill).
    public func quantity(ofLeg id: Int64) -> Int64? {
        guard let leg = legs[id], let trade = trades.first(where: { $0.entry == leg.entry }) else { return nil }
        return abs(trade.size)
    }

    /// A trade's order `id` filled `size` shares (signed, against its trade): the trade reduced, or closed
    /// with its other orders cancelled.
    public mutating func filled(leg id: Int64, size: Int64) -> Effects {
        var effects = Effects()
        guard let leg = legs[id], let trade = trades.first(where: { $0.entry == leg.entry }) else { return effects }
        let part = size > 0 ? min(size, -trade.size) : max(size, -trade.size)
        reduce(entry: leg.entry, by: part, except: id, into: &effects)
        return effects
    }

    /// `exclusive_orders=True`, before a new stand-alone order is queued: the queued orders that are not a
    /// trade's SL or TP are cancelled (stand-alone orders and earlier close orders alike). backtesting.py
    /// cancels while iterating over the list it removes from, so the order right after each cancelled one is
    /// skipped and stays: reproduced. Returns the cancelled ids, in queue order; then the caller closes every
    /// open trade (`trades`, in order), each close order put first in the queue (`add(_:leg: .close)`).
    public mutating func exclusive() -> [Int64] {
        var cancelled: [Int64] = []
        var index = 0
        while index < queue.count {
            if legs[queue[index]]?.isContingent != true {
                cancelled.append(queue.remove(at: index))
            }
            index += 1  // past a removal too: Python's list iterator skips the next order
        }
        for id in cancelled { brackets[id] = nil; legs[id] = nil }
        return cancelled
    }

    private mutating func reduce(entry: Int64, by part: Int64, except filling: Int64, into effects: inout Effects) {
        guard let t = trades.firstIndex(where: { $0.entry == entry }) else { return }
        trades[t].size += part
        let trade = trades[t]
        let orders = [trade.stopLossOrder, trade.takeProfitOrder].compactMap { $0 }.filter { $0 != filling }
        if trade.size == 0 {
            trades.remove(at: t)
            effects.cancel += orders
        } else {
            effects.resize += orders.map { ($0, abs(trade.size)) }
        }
    }
}
