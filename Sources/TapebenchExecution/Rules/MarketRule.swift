import TapebenchCore

/// Market orders under each timing. `order.eligibleBarsSeen` counts the order's earlier eligible bars.
public enum MarketRule {
    public static func evaluate(_ order: Order, _ bar: Bar, timing: MarketTiming) -> FillDecision? {
        let remaining = order.remainingQuantity
        // What is left of a partly filled order fills at each later bar's open.
        if order.filledQuantity > 0 {
            return FillDecision(referencePrice: bar.open, quantity: remaining, rule: .marketNextOpen, appliesSlippage: true, atOpen: true)
        }
        switch timing {
        case .nextOpen:
            return FillDecision(referencePrice: bar.open, quantity: remaining, rule: .marketNextOpen, appliesSlippage: true, atOpen: true)
        case .nextClose:
            return FillDecision(referencePrice: bar.close, quantity: remaining, rule: .marketNextClose, appliesSlippage: true)
        case .latency(let bars):
            guard order.eligibleBarsSeen >= bars else { return nil }
            return FillDecision(referencePrice: bar.open, quantity: remaining, rule: .marketLatencyOpen, appliesSlippage: true, atOpen: true)
        case .sameBarClose:
            // Filled at the decision bar by the executor; reaching a later bar means that bar was missing.
            return FillDecision(referencePrice: bar.open, quantity: remaining, rule: .marketNextOpen, appliesSlippage: true, atOpen: true)
        }
    }

    /// The look-ahead fill: the close of the bar the decision was read from.
    public static func sameBarClose(_ order: Order, _ decisionBar: Bar) -> FillDecision {
        FillDecision(referencePrice: decisionBar.close, quantity: order.remainingQuantity, rule: .marketSameBarClose, appliesSlippage: true)
    }
}
