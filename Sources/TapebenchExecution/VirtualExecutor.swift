import TapebenchCore

/// What happened to an open order on one bar.
public enum ExecutionOutcome: Sendable, Hashable {
    /// Nothing: the order rests.
    case none
    /// A stop-limit's stop triggered without the limit filling; the order now rests as a limit.
    case triggered
    case filled(Fill)
    case rejected(RiskRejection)
}

/// Turns a fill model's decision into a fill: the participation cap, slippage (against the trader,
/// held inside the bar and the limit where the model says so), commission, and the risk checks.
public struct VirtualExecutor: Sendable {
    public var model: any FillModel
    public var risk: RiskLimits

    public init(model: any FillModel, risk: RiskLimits) {
        self.model = model
        self.risk = risk
    }

    /// Evaluates `order` on `bar`. The caller passes only bars starting at or after the order's decision.
    public func execute(_ order: Order, on bar: Bar, context: RiskContext) -> ExecutionOutcome {
        execute(order, model.evaluate(order, on: bar), on: bar, context: context)
    }

    /// Completes an evaluation made by the caller (a preset's queue that decides more than one order at a time).
    public func execute(_ order: Order, _ evaluation: FillEvaluation, on bar: Bar, context: RiskContext) -> ExecutionOutcome {
        guard let decision = evaluation.decision else { return evaluation.stopTriggered && !order.stopTriggered ? .triggered : .none }
        return complete(order, decision, bar: bar, context: context)
    }

    /// A market order filled at the close of the bar it was decided on (look-ahead timing).
    public func executeAtDecision(_ order: Order, decisionBar: Bar, context: RiskContext) -> ExecutionOutcome {
        complete(order, MarketRule.sameBarClose(order, decisionBar), bar: decisionBar, context: context)
    }

    func complete(_ order: Order, _ decision: FillDecision, bar: Bar, context: RiskContext) -> ExecutionOutcome {
        let spec = model.spec
        var decision = decision
        if let cap = spec.participation {
            let allowed = cap.shares(ofVolume: bar.volume)
            guard allowed > 0 else { return .none }  // a zero-volume bar fills nothing
            if allowed < decision.quantity {
                decision.quantity = allowed
                decision.rule = .participationPartial
            }
        }
        var price = decision.executionPrice ?? decision.referencePrice
        if let broker = spec.backtestingBroker {
            // backtesting.py's spread, on the part of the fill that opens a position.
            guard let spread = broker.price(price, side: order.side, quantity: decision.quantity, position: context.positionQuantity) else {
                return .rejected(.amountOutOfRange("the price after the spread on \(decision.quantity) shares at $\(price) cannot be represented"))
            }
            price = spread
        } else if decision.executionPrice == nil, decision.appliesSlippage && (!decision.atOpen || spec.slippageOnOpen) {
            guard let slipped = model.slippage.price(reference: decision.referencePrice, side: order.side, quantity: decision.quantity, bar: bar) else {
                return .rejected(.amountOutOfRange("the price after slippage on \(decision.quantity) shares at $\(decision.referencePrice) cannot be represented"))
            }
            price = slipped
            if spec.slippageCappedToBar { price = order.side == .buy ? min(price, bar.high) : max(price, bar.low) }
        }
        if let worst = decision.worstPrice { price = order.side == .buy ? min(price, worst) : max(price, worst) }
        if let problem = Limits.priceProblem(price) { return .rejected(.amountOutOfRange("the fill price " + problem)) }
        // The fill's amounts, each within what a run may hold, before any risk check reads them.
        let commission: Money
        do {
            _ = try price.times(decision.quantity)
            commission = try model.commission.commission(side: order.side, quantity: decision.quantity, price: price,
                                                         firstFillOfOrder: order.filledQuantity == 0)
            _ = try Fixed(amount: commission.wide, "the commission")
            _ = try Fixed(amount: (price.wide - decision.referencePrice.wide) * Int128(decision.quantity), "the slippage on \(decision.quantity) shares")
        } catch {
            return .rejected(.amountOutOfRange(error.description))
        }
        if let rejection = risk.check(side: order.side, quantity: decision.quantity, price: price, commission: commission, context: context) {
            return .rejected(rejection)
        }
        var fill = Fill(
            orderID: order.id, agent: order.agent, ticker: order.ticker, side: order.side, orderType: order.type,
            time: bar.end, quantity: decision.quantity, price: price, referencePrice: decision.referencePrice,
            commission: commission, rule: decision.rule)
        fill.ambiguous = decision.ambiguous
        return .filled(fill)
    }
}
