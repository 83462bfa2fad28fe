import TapebenchCore

/// Moves a reference price against the trader.
public protocol SlippageModel: Sendable {
    /// The execution price for `quantity` shares at `reference` on `bar`; nil when the model's price cannot be
    /// represented (beyond `Fixed`'s range, or not finite), which rejects the order.
    func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price?
}

/// A fixed number of basis points of the reference price, against the trader:
/// buy at `reference × (1 + bps/10 000)`, sell at `reference × (1 − bps/10 000)`, rounded once by the one rule.
/// `bps` is a fixed-point number (a scenario gives up to four decimals, `1.5`), so the product is exact in
/// units of 1e-8 bp and only the final price rounds; a whole number gives the same price as `Int64` bps did.
public struct FixedBasisPointsSlippage: SlippageModel, Hashable {
    public var basisPoints: Fixed

    public init(basisPoints: Fixed) { self.basisPoints = basisPoints }

    public func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price? {
        // reference × (10 000 + ±bps) / 10 000, every term in units of 1e-8 bp: |factor| < 2^64 and
        // |reference.raw| < 2^63, so the product fits an Int128.
        let factor = 10_000 * Int128(Fixed.scale) + Int128(side.sign) * basisPoints.wide
        return Fixed.divideRoundingHalfEven(reference.wide * factor, 10_000 * Int128(Fixed.scale)).map(Fixed.init(raw:))
    }
}
