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

/// Turns a fill model's decision into a fill, with slippage, commission and the risk checks.
public struct VirtualExecutor: Sendable {
    public var model: any FillModel
    public var risk: RiskLimits

    public init(model: any FillModel, risk: RiskLimits) {
        self.model = model
        self.risk = risk
    }

    /// Evaluates `order` on `bar`. The caller passes only bars starting at or after the order's decision.
    public func execute(_ order: Order, on bar: Bar, context: RiskContext) -> ExecutionOutcome {
        let evaluation = model.evaluate(order, on: bar)
        guard let decision = evaluation.decision else { return evaluation.stopTriggered && !order.stopTriggered ? .triggered : .none }
        let price = decision.appliesSlippage
            ? model.slippage.price(reference: decision.referencePrice, side: order.side, quantity: decision.quantity, bar: bar)
            : decision.referencePrice
        let commission = model.commission.commission(side: order.side, quantity: decision.quantity, price: price)
        if let rejection = risk.check(side: order.side, quantity: decision.quantity, price: price, commission: commission, context: context) {
            return .rejected(rejection)
        }
        return .filled(Fill(
            orderID: order.id, agent: order.agent, ticker: order.ticker, side: order.side, orderType: order.type,
            time: bar.end, quantity: decision.quantity, price: price, referencePrice: decision.referencePrice,
            commission: commission, rule: decision.rule))
    }
}
