import TapebenchCore

/// The slippage models, each a formula of the reference price, the order and the fill bar. Every one
/// moves the price against the trader and is rounded once by the one rule.
public enum SlippageSpec: Sendable, Hashable {
    /// `reference × (1 ± bps / 10 000)` (seed: 1 bp); bps is fixed point (a scenario allows four decimals).
    case basisPoints(Fixed)
    /// `reference ± cents` per share.
    case centsPerShare(Price)
    /// `reference ± factor × (high − low) / 2`: half the bar's range as a spread proxy.
    case halfRange(factor: Fixed)
    /// zipline's VolumeShareSlippage: `reference × (1 ± impact × (q / V)²)`, V the bar's volume.
    case volumeShare(impact: Fixed)
    /// Square-root impact: `reference × (1 ± k × σ × √(q / V))`, σ the bar's range over its open
    /// ((high − low) / open, a one-bar volatility proxy), V the bar's volume.
    case squareRootImpact(k: Fixed)
    /// The worst price for the trader of several models (conservative: never better than seed's 1 bp).
    case worstOf([SlippageSpec])

    public var model: any SlippageModel {
        switch self {
        case .worstOf(let specs): return WorstOfSlippage(models: specs.map(\.model))
        case .basisPoints(let bps): return FixedBasisPointsSlippage(basisPoints: bps)
        case .centsPerShare(let cents): return CentsPerShareSlippage(cents: cents)
        case .halfRange(let factor): return HalfRangeSlippage(factor: factor)
        case .volumeShare(let impact): return VolumeShareSlippage(impact: impact)
        case .squareRootImpact(let k): return SquareRootImpactSlippage(k: k)
        }
    }
}

public struct CentsPerShareSlippage: SlippageModel, Hashable {
    public var cents: Price
    public func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price? {
        Fixed(exactly: reference.wide + Int128(side.sign) * cents.wide)
    }
}

public struct HalfRangeSlippage: SlippageModel, Hashable {
    public var factor: Fixed
    public func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price? {
        // factor × (high − low) / 2, in 128-bit: factor and range are both fixed point.
        let move = Fixed.divideRoundingHalfEvenWide(factor.wide * (bar.high.wide - bar.low.wide), Int128(Fixed.scale) * 2)
        return Fixed(exactly: reference.wide + Int128(side.sign) * move)
    }
}

public struct VolumeShareSlippage: SlippageModel, Hashable {
    public var impact: Fixed
    public func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price? {
        guard bar.volume > 0 else { return reference }
        let share = Double(quantity) / bar.volume
        return moved(reference, side, fraction: impact.doubleValue * share * share)
    }
}

public struct SquareRootImpactSlippage: SlippageModel, Hashable {
    public var k: Fixed
    public func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price? {
        guard bar.volume > 0, bar.open.raw > 0 else { return reference }
        let sigma = Double(bar.high.wide - bar.low.wide) / Double(bar.open.raw)
        return moved(reference, side, fraction: k.doubleValue * sigma * (Double(quantity) / bar.volume).squareRoot())
    }
}

/// `reference × (1 ± fraction)`: the move is computed in floating point (it is a model, not money) and
/// rounded once to the fixed-point grid; nil when it is not finite or leaves the range.
func moved(_ reference: Price, _ side: OrderSide, fraction: Double) -> Price? {
    guard let move = Fixed(rounding: reference.doubleValue * fraction) else { return nil }
    return Fixed(exactly: reference.wide + Int128(side.sign) * move.wide)
}

/// The worst price for the trader among several models: the highest for a buy, the lowest for a sell; nil when
/// any model's price cannot be represented.
public struct WorstOfSlippage: SlippageModel {
    public var models: [any SlippageModel]
    public func price(reference: Price, side: OrderSide, quantity: Int64, bar: Bar) -> Price? {
        var worst: Price? = nil
        for model in models {
            guard let price = model.price(reference: reference, side: side, quantity: quantity, bar: bar) else { return nil }
            if let current = worst { worst = side == .buy ? max(current, price) : min(current, price) } else { worst = price }
        }
        return worst ?? reference
    }
}

extension SlippageSpec {
    /// Decimals a `bps` slippage may have (0.0001 bp): finer than any fit resolves, and the scenario parser and
    /// the sweep refuse more rather than round them, so the model used is the number written.
    public static let basisPointsFractionDigits = 4

    /// Whether `bps` has at most `basisPointsFractionDigits` decimals.
    public static func isBasisPointsPrecision(_ bps: Fixed) -> Bool {
        var step: Int64 = 1
        for _ in basisPointsFractionDigits..<Fixed.fractionDigits { step *= 10 }
        return bps.raw % step == 0
    }
}
