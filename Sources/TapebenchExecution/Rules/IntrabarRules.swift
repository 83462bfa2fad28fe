import TapebenchCore

/// Decisions that depend on the order of prices inside one bar.
public enum IntrabarRules {
    /// A stop-limit whose stop triggers inside this bar (not at the open): can the limit still fill after
    /// the trigger along `highFirst`'s path? Returns the fill (at the stop when the limit allows it there,
    /// else at the limit when the path comes back to it) or nil.
    static func stopLimitAfterTrigger(side: OrderSide, stop: Price, limit: Price, quantity: Int64, bar: Bar, highFirst: Bool) -> FillDecision? {
        let path = IntrabarPath.path(highFirst: highFirst, bar)
        // The first segment on which the price reaches the stop; what comes after it is still to trade.
        var rest: [Price]? = nil
        for i in 1..<path.count {
            let (a, b) = (path[i - 1], path[i])
            let hits = side == .buy ? (a < stop && b >= stop) : (a > stop && b <= stop)
            if hits {
                rest = [stop] + path[i...]
                break
            }
        }
        guard let rest else { return nil }
        if side == .buy ? stop <= limit : stop >= limit {
            return FillDecision(referencePrice: stop, quantity: quantity, rule: .stopLimitAfterTrigger, appliesSlippage: true, worstPrice: limit)
        }
        let reaches = side == .buy ? rest.contains { $0 <= limit } : rest.contains { $0 >= limit }
        return reaches ? FillDecision(referencePrice: limit, quantity: quantity, rule: .stopLimitAfterTrigger, appliesSlippage: false, worstPrice: limit) : nil
    }

    /// A stop-limit under the model's path: `worstCase` takes the path on which the trader fares worse
    /// (no fill is worse than a fill; a higher buy or lower sell price is worse).
    public static func stopLimit(side: OrderSide, stop: Price, limit: Price, quantity: Int64, bar: Bar, path: IntrabarPath) -> FillDecision? {
        if let highFirst = path.highFirst(bar) {
            return stopLimitAfterTrigger(side: side, stop: stop, limit: limit, quantity: quantity, bar: bar, highFirst: highFirst)
        }
        let a = stopLimitAfterTrigger(side: side, stop: stop, limit: limit, quantity: quantity, bar: bar, highFirst: true)
        let b = stopLimitAfterTrigger(side: side, stop: stop, limit: limit, quantity: quantity, bar: bar, highFirst: false)
        guard let a, let b else { return nil }
        return side == .buy ? (a.referencePrice >= b.referencePrice ? a : b) : (a.referencePrice <= b.referencePrice ? a : b)
    }

    /// Where inside the bar an order's price is first reached, as a position along the path (0 = the open,
    /// 3 = the close), for ordering several orders that fill on the same bar. Market orders and gaps are at 0;
    /// a level never reached is at `.infinity`.
    public static func firstReach(_ level: Price, highFirst: Bool, bar: Bar) -> Double {
        let path = IntrabarPath.path(highFirst: highFirst, bar)
        if path[0] == level { return 0 }
        for i in 1..<path.count {
            let (a, b) = (path[i - 1], path[i])
            if (a <= level && level <= b) || (b <= level && level <= a) {
                let span = Double(b.wide - a.wide)
                return Double(i - 1) + (span == 0 ? 0 : Double(level.wide - a.wide) / span)
            }
        }
        return .infinity
    }

    /// The order in which orders resting on one bar are tried: by where the path first reaches each
    /// order's price (a market order, or an order already beyond its price at the open, first). Under
    /// `worstCase`, orders that would fill at worse prices go first (sells low, buys high); under `anyOrder`
    /// (seed), in order-id order.
    public static func sequence(_ orders: [Order], bar: Bar, path: IntrabarPath) -> [Order] {
        guard orders.count > 1, path != .anyOrder else { return orders }
        func level(_ o: Order) -> Price? {
            switch o.type {
            case .market: return nil
            case .limit: return o.limitPrice
            case .stop, .stopLimit: return o.stopTriggered ? o.limitPrice : o.stopPrice
            }
        }
        func key(_ o: Order) -> Double {
            guard let price = level(o) else { return -1 }
            if let highFirst = path.highFirst(bar) { return firstReach(price, highFirst: highFirst, bar: bar) }
            // Worst case: a sell's lower level, a buy's higher level, first.
            return o.side == .sell ? price.doubleValue : -price.doubleValue
        }
        return orders.enumerated().sorted { a, b in
            let (ka, kb) = (key(a.element), key(b.element))
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    /// Which of a protective stop and a profit target on one position a bar reaches first. Both sides'
    /// levels are prices; for a long position the stop is below and the target above.
    public enum Exit: String, Sendable { case stop, target }

    public static func firstExit(long: Bool, stop: Price, target: Price, bar: Bar, path: IntrabarPath) -> Exit? {
        let stopHit = long ? bar.low <= stop : bar.high >= stop
        let targetHit = long ? bar.high >= target : bar.low <= target
        switch (stopHit, targetHit) {
        case (false, false): return nil
        case (true, false): return .stop
        case (false, true): return .target
        case (true, true):
            // A gap at the open decides before any path.
            if long ? bar.open <= stop : bar.open >= stop { return .stop }
            if long ? bar.open >= target : bar.open <= target { return .target }
            if path == .anyOrder { return .target }  // seed: optimistic
            guard let highFirst = path.highFirst(bar) else { return .stop }  // worst case for the trader
            return highFirst == long ? .target : .stop
        }
    }
}
