import TapebenchCore
import TapebenchExecution

/// A parameter of a fill model swept over values: `slippage.bps=0:20:1` (start:stop:step, stop included)
/// or `commission.per_fill=0,0.5,1`.
public struct SweepParameter: Sendable, Hashable {
    public var name: String
    public var values: [Fixed]

    public static let names = [
        "slippage.bps", "slippage.cents", "slippage.half_range", "slippage.volume_share", "slippage.sqrt_impact",
        "commission.per_fill", "commission.per_order", "commission.per_share", "commission.pct",
        "participation.max_pct", "market_timing.latency_bars", "limit.through_ticks",
        "backtrader.slip_perc", "backtrader.slip_fixed", "backtesting.spread",
    ]

    /// The values each parameter may take: the ranges of the same keys under a scenario's `fill_models`
    /// (FillModelParsing.swift), so that no sweep reaches a model the scenario could not state.
    static let ranges: [String: ClosedRange<Fixed>] = [
        "slippage.bps": .zero...Fixed(10_000), "slippage.cents": .zero...Fixed(100), "slippage.half_range": .zero...Fixed(100),
        "slippage.volume_share": .zero...Fixed(100), "slippage.sqrt_impact": .zero...Fixed(100),
        "commission.per_fill": .zero...Fixed(10_000), "commission.per_order": .zero...Fixed(10_000),
        "commission.per_share": .zero...Fixed(100), "commission.pct": .zero...Fixed(100),
        "participation.max_pct": .zero...Fixed(100), "market_timing.latency_bars": .zero...Fixed(1_000),
        "limit.through_ticks": .zero...Fixed(1_000),
        "backtrader.slip_perc": .zero...Fixed(raw: 10_000_000), "backtrader.slip_fixed": .zero...Fixed(1_000),
        "backtesting.spread": .zero...Fixed(raw: 10_000_000),
    ]

    /// Parses `name=start:stop:step` or `name=v1,v2,…`; the message of a thrown error says what is wrong.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, SweepParameter.names.contains(parts[0]) else {
            throw InputError(file: "--param", message: "'\(text)': expected NAME=START:STOP:STEP or NAME=V1,V2,… with NAME one of \(SweepParameter.names.joined(separator: ", "))")
        }
        name = parts[0]
        let range = parts[1].split(separator: ":").map(String.init)
        if range.count == 3 {
            guard let start = Fixed(parsing: range[0]), let stop = Fixed(parsing: range[1]), let step = Fixed(parsing: range[2]),
                  step.raw > 0, stop >= start else {
                throw InputError(file: "--param", message: "'\(text)': START:STOP:STEP needs numbers with STOP ≥ START and STEP > 0")
            }
            var values: [Fixed] = []
            var value = start
            while true {
                values.append(value)
                guard values.count <= 10_000 else { throw InputError(file: "--param", message: "'\(text)': more than 10 000 values") }
                // Wide: a step as large as a `Fixed` allows goes past STOP, not past the range.
                let next = value.wide + step.wide
                guard next <= stop.wide else { break }
                value = Fixed(raw: Int64(next))
            }
            self.values = values
        } else {
            let list = parts[1].split(separator: ",").map { Fixed(parsing: String($0)) }
            guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else {
                throw InputError(file: "--param", message: "'\(text)': expected numbers separated by commas")
            }
            values = list.map { $0! }
        }
        for value in values where value.isNegative {
            throw InputError(file: "--param", message: "'\(text)': \(value) is negative")
        }
        if let range = SweepParameter.ranges[name] {
            for value in values where !range.contains(value) {
                throw InputError(file: "--param", message: "'\(text)': \(name) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
            }
        }
        if name == "slippage.bps" {
            for value in values where !SlippageSpec.isBasisPointsPrecision(value) {
                throw InputError(file: "--param", message: "'\(text)': \(name) takes at most \(SlippageSpec.basisPointsFractionDigits) decimals, got \(value)")
            }
        }
        if ["market_timing.latency_bars", "limit.through_ticks"].contains(name) {
            for value in values where value.raw % Fixed.scale != 0 {
                throw InputError(file: "--param", message: "'\(text)': \(name) takes whole numbers, got \(value)")
            }
        }
    }

    /// The spec with this parameter set to `value`.
    public func apply(_ value: Fixed, to spec: FillModelSpec) -> FillModelSpec {
        var spec = spec
        let whole = value.raw / Fixed.scale
        let percentBps = value.raw / 1_000_000  // a percentage as basis points
        switch name {
        case "slippage.bps": spec.slippage = .basisPoints(value)
        case "slippage.cents": spec.slippage = .centsPerShare(value)
        case "slippage.half_range": spec.slippage = .halfRange(factor: value)
        case "slippage.volume_share": spec.slippage = .volumeShare(impact: value)
        case "slippage.sqrt_impact": spec.slippage = .squareRootImpact(k: value)
        case "commission.per_fill": spec.commission = .perFill(value)
        case "commission.per_order": spec.commission = .perOrder(value)
        case "commission.per_share":
            if case let .perShare(_, minimum, maximum, fees) = spec.commission {
                spec.commission = .perShare(rate: value, minimum: minimum, maximumBasisPoints: maximum, regulatoryFees: fees)
            } else {
                spec.commission = .perShare(rate: value, minimum: .zero, maximumBasisPoints: 10_000, regulatoryFees: false)
            }
        case "commission.pct": spec.commission = .percentOfNotional(basisPoints: percentBps, regulatoryFees: false)
        case "participation.max_pct":
            spec.participation = value.raw == 0 ? nil : Participation(maxBasisPoints: percentBps, cancelAtSessionEnd: spec.participation?.cancelAtSessionEnd ?? false)
        case "market_timing.latency_bars": spec.marketTiming = whole == 0 ? .nextOpen : .latency(bars: Int(whole))
        case "limit.through_ticks": spec.limit.throughTicks = whole
        case "backtrader.slip_perc": spec.backtraderBroker?.slipPercent = value
        case "backtrader.slip_fixed": spec.backtraderBroker?.slipFixed = value
        case "backtesting.spread": spec.backtestingBroker?.spread = value
        default: break
        }
        return spec
    }

    /// Whether the parameter means anything on `base`: an engine's own settings only under its preset, and
    /// none of the parts an engine preset decides itself (as a scenario's `fill_models` refuses them), so that no
    /// sweep draws a flat line over a parameter the replay never reads.
    public func check(base: FillModelSpec) throws {
        let engine = base.backtraderBroker != nil ? "backtrader" : base.backtestingBroker != nil ? "backtesting" : nil
        let prefix = String(name.prefix { $0 != "." })
        if ["backtrader", "backtesting"].contains(prefix), prefix != engine {
            throw InputError(file: "--param", message: "'\(name)' needs a base fill model of preset \(prefix); the scenario's first fill model is '\(base.name)'")
        }
        if let engine, ["slippage", "market_timing", "limit"].contains(prefix) {
            let own = engine == "backtrader" ? "backtrader.slip_perc or backtrader.slip_fixed" : "backtesting.spread"
            throw InputError(file: "--param", message: "'\(name)': the \(engine) preset's broker decides this part of '\(base.name)'; sweep \(own)")
        }
    }
}

/// A grid of fill-model variants: every combination of the parameters' values, applied to the
/// scenario's first fill model. Points are numbered in row-major order (the last parameter fastest).
public struct SweepGrid: Sendable {
    public var base: FillModelSpec
    public var parameters: [SweepParameter]
    public var points: [[Fixed]]

    public init(base: FillModelSpec, parameters: [SweepParameter]) {
        self.base = base
        self.parameters = parameters
        var points: [[Fixed]] = [[]]
        for parameter in parameters {
            points = points.flatMap { prefix in parameter.values.map { prefix + [$0] } }
        }
        self.points = points
    }

    public func variant(_ index: Int) -> FillModelSpec {
        var spec = base
        for (parameter, value) in zip(parameters, points[index]) { spec = parameter.apply(value, to: spec) }
        spec.name = "p\(index + 1)"
        return spec
    }

    public var variants: [FillModelSpec] { points.indices.map(variant) }

    /// Linear interpolation of where `values` (one per point of a 1-D slice) cross zero, first crossing.
    public static func breakEven(xs: [Double], ys: [Double]) -> Double? {
        for i in xs.indices.dropFirst() {
            let (x0, y0, x1, y1) = (xs[i - 1], ys[i - 1], xs[i], ys[i])
            if y0 == 0 { return x0 }
            if (y0 < 0) != (y1 < 0) { return x0 + (x1 - x0) * (0 - y0) / (y1 - y0) }
        }
        return ys.last == 0 ? xs.last : nil
    }
}
