import TapebenchCore

/// The settings of backtesting.py 0.6.6's broker (`_Broker`) that decide fill prices. Scenario key
/// `backtesting: {spread: 0.0002, trade_on_close: false, exclusive_orders: false, defects: true}`.
public struct BacktestingBroker: Sendable, Hashable {
    /// `spread`: a fraction of the price paid on the part of an order that opens a position (a buy at
    /// price × (1 + spread), a sell at price × (1 − spread)); the part that closes an opposite position fills
    /// at the unadjusted price, as backtesting.py closes trades. A fill's price is the average of the two parts.
    public var spread: Fixed = .zero
    /// Reproduce backtesting.py's defects: a stop-limit whose stop is gapped through at the open fills at the
    /// stop, a price the bar may never have traded (rule `backtesting_stop_limit_gap_at_stop`; corrected: at
    /// the open, held at the limit); a stop-limit whose limit the trigger bar reached "before" its stop fills
    /// on that bar when a contingent order makes `_process_orders` run again (`backtesting_stop_limit_rerun`;
    /// corrected: from the next bar); under `trade_on_close` a triggered stop fills at the previous bar's close
    /// or the stop (`backtesting_stop_previous_close`; corrected: at the open or the stop).
    public var defects = true
    /// `exclusive_orders`: each new order of the agent's own cancels the ticker's pending stand-alone and close
    /// orders and closes its open trades at market first (`_Broker.new_order`), per ticker as backtesting.py
    /// runs one instrument per backtest.
    public var exclusiveOrders = false

    public init() {}

    /// The fill price for `quantity` shares at `price` given the position before the fill (signed).
    public func price(_ price: Price, side: OrderSide, quantity: Int64, position: Int64) -> Price? {
        guard spread.raw != 0, quantity > 0 else { return price }
        let closing = side == .buy ? min(quantity, max(0, -position)) : min(quantity, max(0, position))
        let opening = quantity - closing
        // Σ part × price, the opening part × (1 ± spread), in units of 1e-8 × 1e-8; one rounding.
        let factor = Int128(Fixed.scale) + Int128(side.sign) * spread.wide
        let total = price.wide * Int128(Fixed.scale) * Int128(closing) + price.wide * factor * Int128(opening)
        return Fixed.divideRoundingHalfEven(total, Int128(Fixed.scale) * Int128(quantity)).map(Fixed.init(raw:))
    }
}

/// backtesting.py 0.6.6's fill rules (`_Broker._process_orders`), written from its documented behaviour and
/// checked fill by fill against it (Tests/ScenarioTests/BacktestingDifferentialTests.swift). Prices before the
/// spread, which the executor applies with the position (`BacktestingBroker.price`).
public enum BacktestingRules {
    /// Market: the next bar's open (with `trade_on_close`, the decision bar's close: `MarketRule.sameBarClose`).
    public static func market(quantity: Int64, bar: Bar) -> FillDecision {
        FillDecision(referencePrice: bar.open, quantity: quantity, rule: .marketNextOpen, appliesSlippage: false, atOpen: true)
    }

    /// Limit: a buy when the low reaches the limit, at the lower of the open and the limit; a sell mirrored.
    public static func limit(side: OrderSide, limit: Price, quantity: Int64, bar: Bar) -> FillDecision? {
        guard side == .buy ? bar.low <= limit : bar.high >= limit else { return nil }
        let gap = side == .buy ? bar.open < limit : bar.open > limit
        return FillDecision(referencePrice: gap ? bar.open : limit, quantity: quantity, rule: gap ? .limitGapOpen : .limitTouch,
                            appliesSlippage: false, atOpen: gap)
    }

    /// Stop (backtesting.py's market-if-touched): a buy when the high reaches the stop, at the higher of the
    /// open and the stop; a sell mirrored.
    public static func stop(side: OrderSide, stop: Price, quantity: Int64, bar: Bar) -> FillDecision? {
        guard StopRules.triggers(side: side, stop: stop, bar: bar) else { return nil }
        let gap = side == .buy ? bar.open > stop : bar.open < stop
        return FillDecision(referencePrice: gap ? bar.open : stop, quantity: quantity, rule: gap ? .stopGapOpen : .stopTrigger,
                            appliesSlippage: false, atOpen: gap)
    }

    /// Stop-limit: once the stop is reached the order is a limit for good. On the trigger bar it fills only when
    /// the limit is beyond the stop (a buy's limit above it: backtesting.py assumes a limit at or under the stop
    /// traded before the stop) and the bar reaches the limit, at the stop, even when the bar opened past it.
    public static func stopLimit(side: OrderSide, stop: Price, limit: Price, quantity: Int64, bar: Bar, triggered: Bool,
                                 broker: BacktestingBroker) -> FillEvaluation {
        if triggered { return FillEvaluation(stopTriggered: true, decision: Self.limit(side: side, limit: limit, quantity: quantity, bar: bar)) }
        guard StopRules.triggers(side: side, stop: stop, bar: bar) else { return .none }
        let reached = side == .buy ? bar.low <= limit : bar.high >= limit
        let limitBeyondStop = side == .buy ? limit > stop : limit < stop
        guard reached, limitBeyondStop else { return FillEvaluation(stopTriggered: true) }
        let gap = side == .buy ? bar.open > stop : bar.open < stop
        var decision = FillDecision(referencePrice: stop, quantity: quantity, rule: .stopLimitAfterTrigger, appliesSlippage: false)
        if gap {
            if broker.defects {
                decision.rule = .backtestingStopLimitGapAtStop
            } else {
                decision.referencePrice = side == .buy ? min(bar.open, limit) : max(bar.open, limit)
                decision.rule = .limitGapOpen
                decision.atOpen = true
            }
        } else {
            decision.ambiguous = true  // the stop and then the limit inside one bar
        }
        return FillEvaluation(stopTriggered: true, decision: decision)
    }
}
