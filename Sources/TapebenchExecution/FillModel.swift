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

/// The seed rules with the reference costs: 1 bp slippage on market orders, $0.50 per fill.
public struct SeedFillModel: FillModel {
    public var name: String { "seed" }
    public var spec: FillModelSpec { .seed }
    public var slippage: any SlippageModel
    public var commission: any CommissionModel

    public init(
        slippage: any SlippageModel = FixedBasisPointsSlippage(basisPoints: 1),
        commission: any CommissionModel = PerFillCommission(amount: Fixed(raw: 50_000_000))
    ) {
        self.slippage = slippage
        self.commission = commission
    }

    public func evaluate(_ order: Order, on bar: Bar) -> FillEvaluation { SeedFillRules.evaluate(order, bar) }
}
