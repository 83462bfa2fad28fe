import TapebenchCore

/// The reference system's fill rules ("seed rules"), one pure function per order type. Each sees only
/// the order and the bar; the caller guarantees the bar starts at or after the order was decided.
///
/// They are optimistic on purpose, as the reference is: a limit touched once fills in full at the limit,
/// a stop that gaps through fills at the stop, and volume is ignored.
public enum SeedFillRules {
    /// Market: the open of the next bar (slippage is applied by the caller).
    public static func market(_ order: Order, _ bar: Bar) -> FillDecision {
        FillDecision(referencePrice: bar.open, quantity: order.remainingQuantity, rule: .marketNextOpen, appliesSlippage: true, atOpen: true)
    }

    /// Limit: a buy fills when `bar.low <= limit`, a sell when `bar.high >= limit`, at the limit price.
    public static func limit(_ order: Order, _ bar: Bar) -> FillDecision? {
        guard let limit = order.limitPrice, touchesLimit(order.side, limit, bar) else { return nil }
        return FillDecision(referencePrice: limit, quantity: order.remainingQuantity, rule: .limitTouch, appliesSlippage: false)
    }

    /// Stop: a buy triggers when `bar.high >= stop`, a sell when `bar.low <= stop`; fills at the stop price.
    public static func stop(_ order: Order, _ bar: Bar) -> FillDecision? {
        guard let stop = order.stopPrice, triggersStop(order.side, stop, bar) else { return nil }
        return FillDecision(referencePrice: stop, quantity: order.remainingQuantity, rule: .stopTrigger, appliesSlippage: false)
    }

    /// Stop-limit: once the stop triggers (on this bar or an earlier one), the order behaves as a limit,
    /// checked against the same bar; it fills at the limit price.
    public static func stopLimit(_ order: Order, _ bar: Bar) -> FillEvaluation {
        guard let stop = order.stopPrice, let limit = order.limitPrice else { return .none }
        let triggered = order.stopTriggered || triggersStop(order.side, stop, bar)
        guard triggered else { return .none }
        guard touchesLimit(order.side, limit, bar) else { return FillEvaluation(stopTriggered: true) }
        return FillEvaluation(
            stopTriggered: true,
            decision: FillDecision(referencePrice: limit, quantity: order.remainingQuantity, rule: .stopLimitTouch, appliesSlippage: false))
    }

    /// The rule for any order type.
    public static func evaluate(_ order: Order, _ bar: Bar) -> FillEvaluation {
        switch order.type {
        case .market: return FillEvaluation(decision: market(order, bar))
        case .limit: return FillEvaluation(decision: limit(order, bar))
        case .stop: return FillEvaluation(decision: stop(order, bar))
        case .stopLimit: return stopLimit(order, bar)
        }
    }

    static func touchesLimit(_ side: OrderSide, _ limit: Price, _ bar: Bar) -> Bool {
        side == .buy ? bar.low <= limit : bar.high >= limit
    }

    static func triggersStop(_ side: OrderSide, _ stop: Price, _ bar: Bar) -> Bool {
        side == .buy ? bar.high >= stop : bar.low <= stop
    }
}
