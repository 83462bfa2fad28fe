import TapebenchCore

/// A fill model built from a `FillModelSpec`: each order type goes to its rule, with the spec's parts.
public struct ConfigurableFillModel: FillModel {
    public let spec: FillModelSpec
    public let slippage: any SlippageModel
    public let commission: any CommissionModel

    public init(_ spec: FillModelSpec) {
        self.spec = spec
        self.slippage = spec.slippage.model
        self.commission = spec.commission.model
    }

    public var name: String { spec.name }

    public func evaluate(_ order: Order, on bar: Bar) -> FillEvaluation {
        let quantity = order.remainingQuantity
        if let broker = spec.backtraderBroker { return backtrader(order, bar, quantity, broker) }
        if let broker = spec.backtestingBroker { return backtesting(order, bar, quantity, broker) }
        switch order.type {
        case .market:
            return FillEvaluation(decision: MarketRule.evaluate(order, bar, timing: spec.marketTiming))
        case .stopLimit where spec.intrabarPath == .anyOrder:
            return SeedFillRules.stopLimit(order, bar)
        case .limit:
            guard let limit = order.limitPrice else { return .none }
            return FillEvaluation(decision: LimitRules.evaluate(side: order.side, limit: limit, quantity: quantity, bar: bar, rule: spec.limit, tick: spec.tickSize))
        case .stop:
            guard let stop = order.stopPrice else { return .none }
            return FillEvaluation(decision: StopRules.evaluate(side: order.side, stop: stop, quantity: quantity, bar: bar, rule: spec.stop))
        case .stopLimit:
            guard let stop = order.stopPrice, let limit = order.limitPrice else { return .none }
            var evaluation: FillEvaluation
            // Triggered before, or gapped through at the open: a limit order for the whole bar.
            if order.stopTriggered || StopRules.gapsThrough(side: order.side, stop: stop, bar: bar) {
                evaluation = FillEvaluation(stopTriggered: true, decision: LimitRules.evaluate(
                    side: order.side, limit: limit, quantity: quantity, bar: bar, rule: spec.limit, tick: spec.tickSize))
            } else {
                guard StopRules.triggers(side: order.side, stop: stop, bar: bar) else { return .none }
                var decision = IntrabarRules.stopLimit(side: order.side, stop: stop, limit: limit, quantity: quantity, bar: bar, path: spec.intrabarPath)
                decision?.ambiguous = true
                evaluation = FillEvaluation(stopTriggered: true, decision: decision)
            }
            if spec.stopLimitFillsAtLimit, evaluation.decision != nil {
                evaluation.decision!.referencePrice = limit
                evaluation.decision!.appliesSlippage = false
                evaluation.decision!.atOpen = false
            }
            return evaluation
        }
    }

    /// backtrader's broker: each order type to its `BacktraderRules` function.
    func backtrader(_ order: Order, _ bar: Bar, _ quantity: Int64, _ broker: BacktraderBroker) -> FillEvaluation {
        switch order.type {
        case .market:
            return FillEvaluation(decision: BacktraderRules.market(side: order.side, quantity: quantity, bar: bar, broker: broker))
        case .limit:
            guard let limit = order.limitPrice else { return .none }
            return FillEvaluation(decision: BacktraderRules.limit(side: order.side, limit: limit, quantity: quantity, bar: bar, broker: broker))
        case .stop:
            guard let stop = order.stopPrice else { return .none }
            return FillEvaluation(decision: BacktraderRules.stop(side: order.side, stop: stop, quantity: quantity, bar: bar, broker: broker))
        case .stopLimit:
            guard let stop = order.stopPrice, let limit = order.limitPrice else { return .none }
            return BacktraderRules.stopLimit(side: order.side, stop: stop, limit: limit, quantity: quantity, bar: bar,
                                             triggered: order.stopTriggered, broker: broker)
        }
    }

    /// backtesting.py's broker: each order type to its `BacktestingRules` function.
    func backtesting(_ order: Order, _ bar: Bar, _ quantity: Int64, _ broker: BacktestingBroker) -> FillEvaluation {
        switch order.type {
        case .market:
            // What is left of a partly filled order, or a look-ahead order whose decision bar was missing: the open.
            return FillEvaluation(decision: BacktestingRules.market(quantity: quantity, bar: bar))
        case .limit:
            guard let limit = order.limitPrice else { return .none }
            return FillEvaluation(decision: BacktestingRules.limit(side: order.side, limit: limit, quantity: quantity, bar: bar))
        case .stop:
            guard let stop = order.stopPrice else { return .none }
            return FillEvaluation(decision: BacktestingRules.stop(side: order.side, stop: stop, quantity: quantity, bar: bar))
        case .stopLimit:
            guard let stop = order.stopPrice, let limit = order.limitPrice else { return .none }
            return BacktestingRules.stopLimit(side: order.side, stop: stop, limit: limit, quantity: quantity, bar: bar,
                                              triggered: order.stopTriggered, broker: broker)
        }
    }
}
