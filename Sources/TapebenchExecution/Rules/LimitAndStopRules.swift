import TapebenchCore

/// Limit orders: a touch (or a trade N ticks through) fills at the limit; with the gap rule, a bar that
/// opens beyond the limit fills at the open, the better price.
public enum LimitRules {
    public static func evaluate(side: OrderSide, limit: Price, quantity: Int64, bar: Bar, rule: LimitRule, tick: Price) -> FillDecision? {
        if rule.gapFillsAtOpen, side == .buy ? bar.open <= limit : bar.open >= limit {
            return FillDecision(referencePrice: bar.open, quantity: quantity, rule: .limitGapOpen, appliesSlippage: true, atOpen: true, worstPrice: limit)
        }
        // Wide: a tick times a count of ticks, beside any price, cannot overflow.
        let through = tick.wide * Int128(rule.throughTicks)
        let reached = side == .buy ? bar.low.wide <= limit.wide - through : bar.high.wide >= limit.wide + through
        guard reached else { return nil }
        return FillDecision(referencePrice: limit, quantity: quantity, rule: rule.throughTicks == 0 ? .limitTouch : .limitThrough,
                            appliesSlippage: false, worstPrice: limit)
    }
}

/// Stop orders: a buy stop triggers when the high reaches it, a sell stop when the low does.
public enum StopRules {
    public static func triggers(side: OrderSide, stop: Price, bar: Bar) -> Bool {
        side == .buy ? bar.high >= stop : bar.low <= stop
    }

    /// Whether the bar opens at or beyond the stop (the stop is gapped through).
    public static func gapsThrough(side: OrderSide, stop: Price, bar: Bar) -> Bool {
        side == .buy ? bar.open >= stop : bar.open <= stop
    }

    public static func evaluate(side: OrderSide, stop: Price, quantity: Int64, bar: Bar, rule: StopRule) -> FillDecision? {
        guard triggers(side: side, stop: stop, bar: bar) else { return nil }
        let gap = gapsThrough(side: side, stop: stop, bar: bar)
        switch rule {
        case .atStop:
            return FillDecision(referencePrice: stop, quantity: quantity, rule: .stopTrigger, appliesSlippage: false)
        case .gapAware:
            return gap
                ? FillDecision(referencePrice: bar.open, quantity: quantity, rule: .stopGapOpen, appliesSlippage: false, atOpen: true)
                : FillDecision(referencePrice: stop, quantity: quantity, rule: .stopTrigger, appliesSlippage: false)
        case .toMarket:
            return gap
                ? FillDecision(referencePrice: bar.open, quantity: quantity, rule: .stopGapOpen, appliesSlippage: true, atOpen: true)
                : FillDecision(referencePrice: stop, quantity: quantity, rule: .stopMarket, appliesSlippage: true)
        }
    }
}
