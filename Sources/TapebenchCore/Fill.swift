/// The rule that produced a fill, so a report can say how much P&L came from each rule.
public enum FillRule: String, Sendable, Hashable, Codable, CaseIterable {
    case marketNextOpen = "market_next_open"
    case marketNextClose = "market_next_close"
    case marketLatencyOpen = "market_latency_open"
    /// Look-ahead: filled at the close of the bar the decision was read from.
    case marketSameBarClose = "market_same_bar_close"
    case limitTouch = "limit_touch"
    case limitThrough = "limit_through"
    case limitGapOpen = "limit_gap_open"
    case stopTrigger = "stop_trigger"
    case stopGapOpen = "stop_gap_open"
    case stopMarket = "stop_market"
    case stopLimitTouch = "stop_limit_touch"
    case stopLimitAfterTrigger = "stop_limit_after_trigger"
    /// A fill cut to the participation cap; the rest of the order waits.
    case participationPartial = "participation_partial"
    /// backtrader's defect B, reproduced under its preset: a stop-limit triggered inside the bar, slipped from
    /// its stop past its own limit (backtrader caps the slip at the bar's high or low, not at the limit).
    case backtraderSlipPastLimit = "backtrader_slip_past_limit"
    /// backtrader's defect C, reproduced under its preset: a sell limit filled at the open and slipped below
    /// the bar's low (backtrader floors the slip at the limit, not at the low): a price that never traded.
    case backtraderSlipBelowLow = "backtrader_slip_below_low"
    /// backtesting.py's defect, reproduced under its preset: a stop-limit whose stop the bar opens past fills at
    /// the stop, not at the open, a price the bar may never have traded.
    case backtestingStopLimitGapAtStop = "backtesting_stop_limit_gap_at_stop"
    /// backtesting.py's defect, reproduced under its preset: a stop-limit whose limit its trigger bar reached
    /// only "before" the stop (so it did not fill) fills on that same bar, at the better of the open and the
    /// limit, when a new trade's SL/TP makes `_process_orders` run again: prices from before the trigger.
    case backtestingStopLimitRerun = "backtesting_stop_limit_rerun"
    /// backtesting.py's defect, reproduced under its preset with `trade_on_close`: a triggered stop fills at the
    /// worse of the previous bar's close and the stop, a price this bar may never have traded.
    case backtestingStopPreviousClose = "backtesting_stop_previous_close"
}

/// One execution of (part of) an order.
public struct Fill: Sendable, Hashable, Codable {
    public var orderID: Int64
    public var agent: String
    public var ticker: String
    public var side: OrderSide
    public var orderType: OrderType
    /// The end of the bar the fill happened in: when the fill is known.
    public var time: Timestamp
    public var quantity: Int64
    /// Execution price, slippage included.
    public var price: Price
    /// The price before slippage (the open, the limit, the stop).
    public var referencePrice: Price
    public var commission: Money
    public var rule: FillRule
    /// Decided by the assumed path inside the bar (DESIGN's "ambiguous bar"): a stop-limit triggered and
    /// filled in one bar, or one of several orders the same bar could fill, taken in the path's order.
    public var ambiguous = false

    public init(
        orderID: Int64, agent: String, ticker: String, side: OrderSide, orderType: OrderType, time: Timestamp,
        quantity: Int64, price: Price, referencePrice: Price, commission: Money, rule: FillRule
    ) {
        self.orderID = orderID
        self.agent = agent
        self.ticker = ticker
        self.side = side
        self.orderType = orderType
        self.time = time
        self.quantity = quantity
        self.price = price
        self.referencePrice = referencePrice
        self.commission = commission
        self.rule = rule
    }

    /// `price × quantity`, computed wide. Exact for every fill the executor makes: it checks the notional and
    /// the slippage cost against `Limits.maxAmount` before a fill exists (a hand-made fill beyond them traps here).
    public var notional: Money { Fixed(raw: Int64(wideNotional)) }
    public var wideNotional: Int128 { price.wideProduct(quantity) }

    /// What slippage cost the trader on this fill (positive = worse than the reference price).
    public var slippageCost: Money { Fixed(raw: Int64(wideSlippageCost)) }
    public var wideSlippageCost: Int128 { (price.wide - referencePrice.wide) * Int128(quantity) * Int128(side.sign) }
}

/// A fill as the ledger booked it: one row of the audit trail.
public struct Trade: Sendable, Hashable, Codable {
    public var id: Int64
    public var fill: Fill
    /// Realized price P&L of the part of the fill that closed a position (before commission).
    public var realizedPnL: Money?
    /// Cash after the trade.
    public var cashAfter: Money
    /// Position quantity after the trade.
    public var positionAfter: Int64
    /// The signal that opened the position this trade belongs to, when one did.
    public var openingSignal: SignalReason?

    public init(id: Int64, fill: Fill, realizedPnL: Money?, cashAfter: Money, positionAfter: Int64, openingSignal: SignalReason? = nil) {
        self.id = id
        self.fill = fill
        self.realizedPnL = realizedPnL
        self.cashAfter = cashAfter
        self.positionAfter = positionAfter
        self.openingSignal = openingSignal
    }
}
