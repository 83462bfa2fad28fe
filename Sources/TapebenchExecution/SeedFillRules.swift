import TapebenchCore

/// The reference system's fill rules ("seed rules"), one pure function per order type. Each sees only
/// the order and the bar; the caller guarantees the bar starts at or after the order was decided.
///
/// They are optimistic on purpose, as the reference is: a limit touched once fills in full at the limit,
/// a stop that gaps through fills at the stop, and volume is ignored.
public enum SeedFillRules {
    /// Market: the open of the next bar (slippage is applied by the caller).
    public static func market(_ order: Order, _ bar: Bar) -> FillDecision {
        MarketRule.evaluate(order, bar, timing: .nextOpen)!
    }

    /// Limit: a buy fills when `bar.low <= limit`, a sell when `bar.high >= limit`, at the limit price.
    public static func limit(_ order: Order, _ bar: Bar) -> FillDecision? {
        guard let limit = order.limitPrice else { return nil }
        return LimitRules.evaluate(side: order.side, limit: limit, quantity: order.remainingQuantity, bar: bar, rule: LimitRule(), tick: .zero)
    }

    /// Stop: a buy triggers when `bar.high >= stop`, a sell when `bar.low <= stop`; fills at the stop price.
    public static func stop(_ order: Order, _ bar: Bar) -> FillDecision? {
        guard let stop = order.stopPrice else { return nil }
        return StopRules.evaluate(side: order.side, stop: stop, quantity: order.remainingQuantity, bar: bar, rule: .atStop)
    }

    /// Stop-limit: once the stop triggers (on this bar or an earlier one), the order behaves as a limit,
    /// checked against the same bar; it fills at the limit price.
    public static func stopLimit(_ order: Order, _ bar: Bar) -> FillEvaluation {
        guard let stop = order.stopPrice, let limit = order.limitPrice else { return .none }
        let triggered = order.stopTriggered || StopRules.triggers(side: order.side, stop: stop, bar: bar)
        guard triggered else { return .none }
        guard var decision = LimitRules.evaluate(side: order.side, limit: limit, quantity: order.remainingQuantity, bar: bar, rule: LimitRule(), tick: .zero) else {
            return FillEvaluation(stopTriggered: true)
        }
        decision.rule = .stopLimitTouch
        decision.ambiguous = !order.stopTriggered  // triggered and filled in one bar: the path is assumed
        return FillEvaluation(stopTriggered: true, decision: decision)
    }
}
