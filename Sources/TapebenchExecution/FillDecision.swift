import TapebenchCore

/// What a fill rule decides for one order on one bar, before slippage, commission and risk.
public struct FillDecision: Sendable, Hashable {
    /// The price the rule fills at, before slippage.
    public var referencePrice: Price
    public var quantity: Int64
    public var rule: FillRule
    /// Whether slippage applies (market orders; a limit or stop fills at its stated price).
    public var appliesSlippage: Bool
    /// Whether the fill is at the bar's open (slippage there depends on the model's `slippageOnOpen`).
    public var atOpen: Bool
    /// The worst price the fill may end at after slippage (a limit order's limit).
    public var worstPrice: Price?
    /// The fill rests on the assumed order of prices inside the bar.
    public var ambiguous = false
    /// The price the rule itself decided, slippage included (backtrader's rules slip inside the rule, with
    /// their own caps); nil: the executor applies the model's slippage to `referencePrice`.
    public var executionPrice: Price?

    public init(referencePrice: Price, quantity: Int64, rule: FillRule, appliesSlippage: Bool, atOpen: Bool = false, worstPrice: Price? = nil) {
        self.referencePrice = referencePrice
        self.quantity = quantity
        self.rule = rule
        self.appliesSlippage = appliesSlippage
        self.atOpen = atOpen
        self.worstPrice = worstPrice
    }
}

/// The outcome of evaluating an open order against a bar.
public struct FillEvaluation: Sendable, Hashable {
    /// For stop-limit orders: the stop triggered on this bar (or before) and the order now rests as a limit.
    public var stopTriggered: Bool
    public var decision: FillDecision?

    public init(stopTriggered: Bool = false, decision: FillDecision? = nil) {
        self.stopTriggered = stopTriggered
        self.decision = decision
    }

    public static let none = FillEvaluation()
}
