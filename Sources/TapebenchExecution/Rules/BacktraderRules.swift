import TapebenchCore

/// backtrader 1.9.78.123's `BackBroker` fill rules (`_try_exec_market`, `_try_exec_limit`, `_try_exec_stop`,
/// `_try_exec_stoplimit` in bbroker.py), written from their documented behaviour and checked fill by fill
/// against backtrader itself (Tests/ScenarioTests/BacktraderDifferentialTests.swift). Each returns a decision
/// whose `executionPrice` already holds backtrader's slippage, with its caps.
///
/// backtrader does not walk a path inside the bar. A stop-limit triggered inside the bar fills on that bar
/// only in the cases its code can price: at the stop (slipped) when the limit is at or beyond the stop, or at
/// the limit when the bar closes at or through it on a bar moving the other way; otherwise it rests as a limit
/// from the next bar.
public enum BacktraderRules {
    /// Market: the open, slipped only with `slip_open`.
    public static func market(side: OrderSide, quantity: Int64, bar: Bar, broker: BacktraderBroker) -> FillDecision? {
        guard case .price(let price) = broker.slip(bar.open, side: side, cap: side == .buy ? bar.high : bar.low, doSlip: broker.slipOpen) else { return nil }
        return decision(bar.open, price, quantity, .marketNextOpen, atOpen: true)
    }

    /// `_try_exec_limit`: a bar opening at or through the limit fills at the open (slipped with `slip_open`,
    /// capped at the limit and the bar); else a bar reaching the limit fills at the limit, unslipped.
    public static func limit(side: OrderSide, limit: Price, quantity: Int64, bar: Bar, broker: BacktraderBroker) -> FillDecision? {
        if side == .buy ? limit >= bar.open : limit <= bar.open {
            // backtrader gives a sell's slip the limit alone as its floor, not the bar's low (defect C).
            let sellFloor = broker.defects ? limit : max(bar.low, limit)
            let cap = side == .buy ? min(bar.high, limit) : sellFloor
            guard case .price(let slipped) = broker.slip(bar.open, side: side, cap: cap, doSlip: broker.slipOpen, isLimit: true) else { return nil }
            let price = held(slipped, within: limit, side: side, broker: broker)
            let rule: FillRule = beyond(price, limit, side) ? .backtraderSlipPastLimit
                : side == .sell && price < bar.low && !broker.slipOut ? .backtraderSlipBelowLow : .limitGapOpen
            return decision(bar.open, price, quantity, rule, atOpen: true)
        }
        guard side == .buy ? limit >= bar.low : limit <= bar.high else { return nil }
        return decision(limit, limit, quantity, .limitTouch)
    }

    /// `_try_exec_stop`: a gap through the stop fills at the open (slipped with `slip_open`); a stop reached
    /// inside the bar fills at the stop, always slipped; both capped at the bar.
    public static func stop(side: OrderSide, stop: Price, quantity: Int64, bar: Bar, broker: BacktraderBroker) -> FillDecision? {
        let barCap = side == .buy ? bar.high : bar.low
        if StopRules.gapsThrough(side: side, stop: stop, bar: bar) {
            guard case .price(let price) = broker.slip(bar.open, side: side, cap: barCap, doSlip: broker.slipOpen) else { return nil }
            return decision(bar.open, price, quantity, .stopGapOpen, atOpen: true)
        }
        guard StopRules.triggers(side: side, stop: stop, bar: bar),
              case .price(let price) = broker.slip(stop, side: side, cap: barCap) else { return nil }
        return decision(stop, price, quantity, .stopMarket)
    }

    /// `_try_exec_stoplimit`. `triggered`: the stop fired on an earlier bar, and the order is a limit now.
    public static func stopLimit(side: OrderSide, stop: Price, limit: Price, quantity: Int64, bar: Bar, triggered: Bool,
                                 broker: BacktraderBroker) -> FillEvaluation {
        if triggered || StopRules.gapsThrough(side: side, stop: stop, bar: bar) {
            return FillEvaluation(stopTriggered: true,
                                  decision: Self.limit(side: side, limit: limit, quantity: quantity, bar: bar, broker: broker))
        }
        guard StopRules.triggers(side: side, stop: stop, bar: bar) else { return .none }
        var fill = triggerBar(side: side, stop: stop, limit: limit, quantity: quantity, bar: bar, broker: broker)
        fill?.ambiguous = true  // priced without knowing the path inside the bar
        return FillEvaluation(stopTriggered: true, decision: fill)
    }

    /// The bar on which a stop-limit's stop is reached inside the bar. A buy: on a falling bar (open above
    /// the close) a limit at or above the stop fills at the stop, slipped; else a limit at or above the close
    /// fills at the limit. On any other bar only the first case fills. A sell mirrors it, its first case on a
    /// bar opening at or below its close. backtrader caps the stop's slip at the bar, not the limit (defect B).
    static func triggerBar(side: OrderSide, stop: Price, limit: Price, quantity: Int64, bar: Bar, broker: BacktraderBroker) -> FillDecision? {
        let limitAtOrBeyondStop = side == .buy ? limit >= stop : limit <= stop
        if limitAtOrBeyondStop {
            let barCap = side == .buy ? bar.high : bar.low
            let cap = broker.defects ? barCap : (side == .buy ? min(barCap, limit) : max(barCap, limit))
            guard case .price(let slipped) = broker.slip(stop, side: side, cap: cap, isLimit: true) else { return nil }
            let price = held(slipped, within: limit, side: side, broker: broker)
            return decision(stop, price, quantity, beyond(price, limit, side) ? .backtraderSlipPastLimit : .stopLimitAfterTrigger)
        }
        // backtrader's two bar directions: a buy's limit case on open > close, a sell's on open <= close.
        let limitCase = side == .buy ? bar.open > bar.close : bar.open <= bar.close
        guard limitCase, side == .buy ? limit >= bar.close : limit <= bar.close else { return nil }
        return decision(limit, limit, quantity, .stopLimitTouch)
    }

    /// A price worse for the trader than `limit`.
    static func beyond(_ price: Price, _ limit: Price, _ side: OrderSide) -> Bool { side == .buy ? price > limit : price < limit }

    /// With the defects corrected a limit-priced fill never passes its limit, even with `slip_out` (which may
    /// still leave the bar's range, as asked); reproduced, backtrader's price stands.
    static func held(_ price: Price, within limit: Price, side: OrderSide, broker: BacktraderBroker) -> Price {
        guard !broker.defects else { return price }
        return side == .buy ? min(price, limit) : max(price, limit)
    }

    static func decision(_ reference: Price, _ price: Price, _ quantity: Int64, _ rule: FillRule, atOpen: Bool = false) -> FillDecision {
        var decision = FillDecision(referencePrice: reference, quantity: quantity, rule: rule, appliesSlippage: false, atOpen: atOpen)
        decision.executionPrice = price
        return decision
    }
}
