import TapebenchCore

/// Moves a reference price against the trader.
public protocol SlippageModel: Sendable {
    /// The execution price for `quantity` shares at `reference` on `bar`; nil when the model's price cannot be
    /// represented (beyond `Fixed`'s range, or not finite), which rejects the order.
    func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price?
}

/// A fixed number of basis points of the reference price, against the trader:
/// buy at `reference × (1 + bps/10 000)`, sell at `reference × (1 − bps/10 000)`, rounded by the one rule.
public struct FixedBasisPointsSlippage: SlippageModel, Hashable {
    public var basisPoints: Int64

    public init(basisPoints: Int64) { self.basisPoints = basisPoints }

    public func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price? {
        let factor = 10_000 + Int128(side.sign) * Int128(basisPoints)
        return Fixed.divideRoundingHalfEven(reference.wide * factor, 10_000).map(Fixed.init(raw:))
    }
}
