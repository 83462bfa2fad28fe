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

/// backtesting.py 0.6.6's contingent orders on a bar (`_Broker._process_orders`), as pure functions; the queue
/// and the trades are `BacktestingBook`'s.
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
}
