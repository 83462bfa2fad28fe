import TapebenchCore

/// The commission models. `regulatoryFees` adds, on sells, the SEC fee (per dollar sold) and FINRA's
/// trading activity fee (per share sold, capped), at the rates of `RegulatoryFees`.
public enum CommissionSpec: Sendable, Hashable {
    /// A flat amount on every fill (seed: $0.50 "per trade").
    case perFill(Money)
    /// A flat amount once per order, on its first fill.
    case perOrder(Money)
    /// A rate per share, at least `minimum`, at most `maximumBasisPoints` of the fill's notional
    /// (a retail broker's fixed plan: $0.005/share, $1 minimum, 1 % maximum).
    case perShare(rate: Money, minimum: Money, maximumBasisPoints: Int64, regulatoryFees: Bool)
    /// A share of the notional, in basis points.
    case percentOfNotional(basisPoints: Int64, regulatoryFees: Bool)
    /// The largest of several commissions on each fill (conservative: never less than seed's $0.50).
    case greatestOf([CommissionSpec])

    public var model: any CommissionModel {
        switch self {
        case .greatestOf(let specs): return GreatestCommission(models: specs.map(\.model))
        case .perFill(let amount): return PerFillCommission(amount: amount)
        case .perOrder(let amount): return PerOrderCommission(amount: amount)
        case let .perShare(rate, minimum, maximum, fees):
            return WithRegulatoryFees(base: PerShareCommission(rate: rate, minimum: minimum, maximumBasisPoints: maximum), enabled: fees)
        case let .percentOfNotional(bps, fees):
            return WithRegulatoryFees(base: PercentOfNotionalCommission(basisPoints: bps), enabled: fees)
        }
    }
}

/// Once per order.
public struct PerOrderCommission: CommissionModel, Hashable {
    public var amount: Money
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) throws(AmountOutOfRange) -> Money {
        firstFillOfOrder ? amount : .zero
    }
}

/// Every commission of a share of the notional starts from the notional, checked: a product of a price and a
/// quantity within `Limits.maxAmount` times basis points is far inside `Int128`.
func checkedNotional(_ quantity: Int64, _ price: Price) throws(AmountOutOfRange) -> Int128 {
    try price.times(quantity).wide
}

public struct PerShareCommission: CommissionModel, Hashable {
    public var rate: Money
    public var minimum: Money
    public var maximumBasisPoints: Int64
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) throws(AmountOutOfRange) -> Money {
        let notional = try checkedNotional(quantity, price)
        let raw = rate.wideProduct(quantity)
        let cap = Fixed.divideRoundingHalfEvenWide(notional * Int128(maximumBasisPoints), 10_000)
        return try Fixed(amount: min(max(raw, minimum.wide), max(cap, 0)), "the commission on \(quantity) shares")
    }
}

public struct PercentOfNotionalCommission: CommissionModel, Hashable {
    public var basisPoints: Int64
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) throws(AmountOutOfRange) -> Money {
        let notional = try checkedNotional(quantity, price)
        return try Fixed(amount: Fixed.divideRoundingHalfEvenWide(notional * Int128(basisPoints), 10_000), "the commission on \(quantity) shares")
    }
}

/// US regulatory fees on sells (rates as of 2024; change them here when the regulators do).
public enum RegulatoryFees {
    /// SEC Section 31: $27.80 per million dollars sold.
    public static let secPerMillion = Fixed(raw: 2_780_000_000)
    /// FINRA trading activity fee: $0.000166 per share sold, at most $8.30 per trade.
    public static let finraPerShare = Fixed(raw: 16_600)
    public static let finraMaximum = Fixed(raw: 830_000_000)

    public static func onSell(quantity: Int64, price: Price) throws(AmountOutOfRange) -> Money {
        let notional = try checkedNotional(quantity, price)
        let sec = Fixed.divideRoundingHalfEvenWide(notional * secPerMillion.wide, 1_000_000 * Int128(Fixed.scale))
        let finra = min(finraPerShare.wideProduct(quantity), finraMaximum.wide)
        return try Fixed(amount: sec + finra, "the regulatory fees on \(quantity) shares")
    }
}

public struct WithRegulatoryFees: CommissionModel {
    public var base: any CommissionModel
    public var enabled: Bool
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) throws(AmountOutOfRange) -> Money {
        let fee = try base.commission(side: side, quantity: quantity, price: price, firstFillOfOrder: firstFillOfOrder)
        guard enabled && side == .sell else { return fee }
        return try Fixed(amount: fee.wide + RegulatoryFees.onSell(quantity: quantity, price: price).wide, "the commission and fees on \(quantity) shares")
    }
}

/// The largest of several commissions on each fill.
public struct GreatestCommission: CommissionModel {
    public var models: [any CommissionModel]
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) throws(AmountOutOfRange) -> Money {
        var greatest = Money.zero
        for model in models {
            greatest = max(greatest, try model.commission(side: side, quantity: quantity, price: price, firstFillOfOrder: firstFillOfOrder))
        }
        return greatest
    }
}
