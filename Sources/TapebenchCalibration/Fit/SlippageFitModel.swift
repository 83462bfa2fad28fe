import TapebenchCore
import TapebenchExecution

/// The slippage models calibrate fits, each the `SlippageSpec` a scenario's `fill_models:` key makes, so that
/// the fitted parameter means exactly what that key means (see `SlippageModels.swift`). Each predicts an
/// order's shortfall in basis points of the reference as parameter × `regressor`:
///
/// | model | key | price in a replay | shortfall (bps) |
/// |---|---|---|---|
/// | bps | `bps: b` | reference × (1 ± b/10 000) | b · 1 |
/// | half-spread | `half_range: f` | reference ± f × (high − low)/2 | f · (high − low)/2 / reference × 10⁴ |
/// | volume-share | `volume_share: i` | reference × (1 ± i (q/V)²) | i · 10⁴ (q/V)² |
/// | sqrt-impact | `sqrt_impact: k` | reference × (1 ± k σ √(q/V)), σ = (high − low)/open | k · 10⁴ σ √(q/V) |
///
/// with q the order's shares and high, low, open, V the fill bar's.
public enum SlippageFitModel: String, Sendable, Hashable, CaseIterable {
    case bps
    case halfSpread = "half-spread"
    case volumeShare = "volume-share"
    case sqrtImpact = "sqrt-impact"

    /// The key under `slippage:` in a scenario.
    public var scenarioKey: String {
        switch self {
        case .bps: return "bps"
        case .halfSpread: return "half_range"
        case .volumeShare: return "volume_share"
        case .sqrtImpact: return "sqrt_impact"
        }
    }

    /// The parameter's name and unit, for reports.
    public var parameterName: String {
        switch self {
        case .bps: return "b (bp)"
        case .halfSpread: return "f (× half range)"
        case .volumeShare: return "i (impact)"
        case .sqrtImpact: return "k (× σ√(q/V))"
        }
    }

    /// The shortfall in bps one unit of the parameter predicts for `order`.
    public func regressor(_ order: OrderObservation) -> Double {
        let bar = order.fillBar
        switch self {
        case .bps:
            return 1
        case .halfSpread:
            guard order.reference.raw > 0 else { return 0 }
            return Double(bar.high.raw - bar.low.raw) / 2 / Double(order.reference.raw) * 10_000
        case .volumeShare:
            let share = order.volumeShare
            return 10_000 * share * share
        case .sqrtImpact:
            return 10_000 * order.rangeOverOpen * order.volumeShare.squareRoot()
        }
    }

    /// The registry's declaration of this model's key, `slippage.<scenarioKey>` (a test checks every model has one).
    public var parameter: FillModelParameter { FillModelParameter.named("slippage." + scenarioKey)! }

    /// The spec a fitted value makes: what `slippage: {key: value}` parses to, written by the registry.
    public func spec(_ value: Fixed) -> SlippageSpec {
        var spec = FillModelSpec.seed
        parameter.write(&spec, .number(value))
        return spec.slippage
    }

    /// The values the scenario's parser accepts for the key: the registry's range (basis points up to 10 000 with
    /// four decimals for `bps`, 0 to 100 for the others).
    public var scenarioRange: ClosedRange<Double> {
        guard case .decimal(let range, _) = parameter.type else { return 0...0 }
        return range.lowerBound.doubleValue...range.upperBound.doubleValue
    }
}
