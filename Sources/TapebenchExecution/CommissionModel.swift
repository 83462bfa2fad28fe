import TapebenchCore

/// What a broker charges for one fill.
public protocol CommissionModel: Sendable {
    /// `firstFillOfOrder`: whether this is the order's first fill (per-order plans charge only then).
    /// Computed wide; throws when the fill's notional or the commission is beyond `Limits.maxAmount`.
    func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) throws(AmountOutOfRange) -> Money
}

/// A flat amount per fill (the seed rules: $0.50 per trade, a trade being one execution).
public struct PerFillCommission: CommissionModel, Hashable {
    public var amount: Money

    public init(amount: Money) { self.amount = amount }

    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) throws(AmountOutOfRange) -> Money { amount }
}
