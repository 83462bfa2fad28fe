import TapebenchCore

/// One open trade of backtesting.py 0.6.6's `_Broker` (one ticker, netting: `hedging=False`): the entry that
/// opened it, its signed size, and its contingent exits. Its stop-loss and take-profit orders are always sized
/// −size (`_reduce_trade` resizes them when the trade is partly closed; `_close_trade` removes them).
public struct BacktestingTrade: Sendable, Hashable {
    /// The entry order's id (backtesting.py's tag), which its SL, TP and close orders carry too.
    public var entry: Int64
    public var size: Int64
    public var stopLoss: Price?
    public var takeProfit: Price?

    public init(entry: Int64, size: Int64, stopLoss: Price? = nil, takeProfit: Price? = nil) {
        self.entry = entry
        self.size = size
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
    }
}

/// What sits in `_Broker.orders`, in the order it is processed on a bar.
public enum BacktestingQueued: Sendable, Hashable {
    /// A stand-alone order (an entry, or any order that nets against open trades).
    case order(Int64)
    case stopLoss(entry: Int64)
    case takeProfit(entry: Int64)
    /// `Trade.close()`'s market order (what `exclusive_orders` places for every open trade).
    case close(entry: Int64, size: Int64)
}

/// backtesting.py 0.6.6's contingent orders (`_Broker._process_orders`, `_reduce_trade`, `_close_trade`,
/// `Trade.__set_contingent`, `new_order`), as pure functions on one ticker's trades and queue.
public enum BacktestingContingent {
    public enum Leg: Sendable, Hashable { case stopLoss, takeProfit }

    /// A trade's exit on `bar`: the SL (a stop at the worse of the open and its price) is tried before the TP
    /// (a limit at the better of the open and its price), so a bar reaching both fills the SL, even when it
    /// opened beyond the TP. Contingent orders fill at the open's side of the bar even under `trade_on_close`.
    public static func exit(of trade: BacktestingTrade, on bar: Bar) -> (leg: Leg, price: Price)? {
        let long = trade.size > 0
        if let sl = trade.stopLoss, long ? bar.low <= sl : bar.high >= sl {
            return (.stopLoss, long ? min(bar.open, sl) : max(bar.open, sl))
        }
        if let tp = trade.takeProfit, long ? bar.high >= tp : bar.low <= tp {
            return (.takeProfit, long ? max(bar.open, tp) : min(bar.open, tp))
        }
        return nil
    }

    /// Whether a new trade's SL and TP are tried on the bar its entry filled on (`reprocess_orders`): after a
    /// market entry, always; after a stop entry, only when the bar reached the TP and not the SL (the stop
    /// and the TP lie in one direction, so the path is not in doubt); after a limit or stop-limit entry, never
    /// (they wait for the next bar; backtesting.py warns).
    public static func triedOnEntryBar(entry type: OrderType, side: OrderSide, stopLoss: Price?, takeProfit: Price?, bar: Bar) -> Bool {
        guard stopLoss != nil || takeProfit != nil else { return false }
        switch type {
        case .market: return true
        case .stop:
            guard let tp = takeProfit else { return false }
            return side == .buy ? tp <= bar.high && stopLoss.map { $0 < bar.low } ?? true
                : tp >= bar.low && stopLoss.map { $0 > bar.high } ?? true
        case .limit, .stopLimit: return false
        }
    }

    /// A stand-alone fill of `size` (signed) netted FIFO against the opposite trades, as `_process_orders`
    /// does without hedging: whole trades closed (with their SL and TP), the last one reduced (its SL and TP
    /// resized), the rest opening a trade with the order's SL and TP. Returns the closed parts (entry, signed size closed).
    @discardableResult
    public static func fill(_ trades: inout [BacktestingTrade], queue: inout [BacktestingQueued], entry: Int64, size: Int64,
                            stopLoss: Price?, takeProfit: Price?) -> [(entry: Int64, size: Int64)] {
        var need = size
        var closed: [(entry: Int64, size: Int64)] = []
        for trade in trades where (trade.size > 0) != (size > 0) && need != 0 {
            let part = abs(need) >= abs(trade.size) ? -trade.size : need
            reduce(&trades, queue: &queue, entry: trade.entry, by: part)
            closed.append((trade.entry, part))
            need -= part
        }
        if need != 0 {
            trades.append(BacktestingTrade(entry: entry, size: need, stopLoss: stopLoss, takeProfit: takeProfit))
            // `Trade.sl =` puts the SL first in the queue, `Trade.tp =` the TP last; the TP is set first.
            if takeProfit != nil { queue.append(.takeProfit(entry: entry)) }
            if stopLoss != nil { queue.insert(.stopLoss(entry: entry), at: 0) }
        }
        return closed
    }

    /// Closes `part` (signed, against the trade) of a trade: all of it removes the trade and its SL and TP
    /// from the queue; less resizes it (its SL and TP follow, as −size).
    public static func reduce(_ trades: inout [BacktestingTrade], queue: inout [BacktestingQueued], entry: Int64, by part: Int64) {
        guard let index = trades.firstIndex(where: { $0.entry == entry }) else { return }
        trades[index].size += part
        guard trades[index].size == 0 else { return }
        trades.remove(at: index)
        queue.removeAll { $0 == .stopLoss(entry: entry) || $0 == .takeProfit(entry: entry) }
    }

    /// A `Trade.close()` order of `size` filled: it closes at most what is left of its trade (a trade already
    /// reduced, or closed, by something else).
    public static func closeFilled(_ trades: inout [BacktestingTrade], queue: inout [BacktestingQueued], entry: Int64, size: Int64) {
        guard let trade = trades.first(where: { $0.entry == entry }) else { return }
        let part = size > 0 ? min(size, -trade.size) : max(size, -trade.size)
        reduce(&trades, queue: &queue, entry: entry, by: part)
    }

    /// `exclusive_orders=True`, before a new stand-alone order is queued: the pending orders that are not a
    /// trade's SL or TP are cancelled (earlier `close` orders included), then every open trade is closed by a
    /// market order put first in the queue, one after the other (so the newest trade's close comes first).
    /// backtesting.py cancels while iterating over the queue it removes from, so the order right after each
    /// cancelled one is skipped and stays (reproduced: two adjacent stand-alone orders keep the second).
    /// Returns the cancelled stand-alone orders.
    public static func exclusive(_ trades: [BacktestingTrade], queue: inout [BacktestingQueued]) -> [Int64] {
        var cancelled: [Int64] = []
        var index = 0
        while index < queue.count {
            switch queue[index] {
            case .stopLoss, .takeProfit: break
            case .order(let id): cancelled.append(id); queue.remove(at: index)
            case .close: queue.remove(at: index)
            }
            index += 1  // past a removal too: Python's list iterator skips the next order
        }
        for trade in trades { queue.insert(.close(entry: trade.entry, size: -trade.size), at: 0) }
        return cancelled
    }
}
