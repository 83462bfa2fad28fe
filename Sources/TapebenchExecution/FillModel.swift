import TapebenchCore

/// A complete fill model: which rule fills an order on a bar, what slippage and commission apply.
public protocol FillModel: Sendable {
    /// A name for reports (`seed`, …).
    var name: String { get }
    var spec: FillModelSpec { get }
    var slippage: any SlippageModel { get }
    var commission: any CommissionModel { get }
    func evaluate(_ order: Order, on bar: Bar) -> FillEvaluation
}

extension ConfigurableFillModel {
    /// The seed rules with the reference costs: 1 bp slippage on market orders, $0.50 per fill.
    public static let seed = ConfigurableFillModel(.seed)
}
