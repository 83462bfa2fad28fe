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

    public var model: any CommissionModel {
        switch self {
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
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) -> Money {
        firstFillOfOrder ? amount : .zero
    }
}

public struct PerShareCommission: CommissionModel, Hashable {
    public var rate: Money
    public var minimum: Money
    public var maximumBasisPoints: Int64
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) -> Money {
        let raw = rate * quantity
        let cap = (price * quantity).scaled(by: maximumBasisPoints, over: 10_000)
        return min(max(raw, minimum), max(cap, .zero))
    }
}

public struct PercentOfNotionalCommission: CommissionModel, Hashable {
    public var basisPoints: Int64
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) -> Money {
        (price * quantity).scaled(by: basisPoints, over: 10_000)
    }
}

/// US regulatory fees on sells (rates as of 2024; change them here when the regulators do).
public enum RegulatoryFees {
    /// SEC Section 31: $27.80 per million dollars sold.
    public static let secPerMillion = Fixed(parsing: "27.80")!
    /// FINRA trading activity fee: $0.000166 per share sold, at most $8.30 per trade.
    public static let finraPerShare = Fixed(parsing: "0.000166")!
    public static let finraMaximum = Fixed(parsing: "8.30")!

    public static func onSell(quantity: Int64, price: Price) -> Money {
        let sec = (price * quantity).scaled(by: secPerMillion.raw, over: 1_000_000 * Fixed.scale)
        let finra = min(finraPerShare * quantity, finraMaximum)
        return sec + finra
    }
}

public struct WithRegulatoryFees: CommissionModel {
    public var base: any CommissionModel
    public var enabled: Bool
    public func commission(side: OrderSide, quantity: Int64, price: Price, firstFillOfOrder: Bool) -> Money {
        let fee = base.commission(side: side, quantity: quantity, price: price, firstFillOfOrder: firstFillOfOrder)
        return enabled && side == .sell ? fee + RegulatoryFees.onSell(quantity: quantity, price: price) : fee
    }
}
