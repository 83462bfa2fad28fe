import TapebenchCore
import TapebenchExecution

/// A grid of sweep points: every combination of the parameters' values. Fill-model parameters apply to the
/// scenario's first fill model, agents' parameters to that agent. Points are numbered in row-major order (the
/// last parameter fastest); point i replays as the fill-model variant `p<i+1>`.
public struct SweepGrid: Sendable {
    public var base: FillModelSpec
    public var parameters: [SweepParameter]
    public var points: [[ParameterValue]]

    public init(base: FillModelSpec, parameters: [SweepParameter]) {
        self.base = base
        self.parameters = parameters
        var points: [[ParameterValue]] = [[]]
        for parameter in parameters {
            points = points.flatMap { prefix in parameter.values.map { prefix + [$0] } }
        }
        self.points = points
    }

    /// The fill model of point `index`: the base with the point's fill-model values.
    public func variant(_ index: Int) -> FillModelSpec {
        var spec = base
        // As a scenario's group is written: forms before the modifiers that refine them, whatever the axis order.
        let order = parameters.indices.sorted { (parameters[$0].fillModelParameter?.role.writeOrder ?? 0, $0) < (parameters[$1].fillModelParameter?.role.writeOrder ?? 0, $1) }
        for axis in order { spec = parameters[axis].apply(points[index][axis], to: spec) }
        spec.name = "p\(index + 1)"
        return spec
    }

    public var variants: [FillModelSpec] { points.indices.map(variant) }

    /// Whether any axis is an agent's parameter.
    public var hasAgentAxes: Bool { parameters.contains { $0.agentParameter != nil } }

    /// Checks the axes: each name once, and the fill-model axes against the base model: each one the base's rules read (see
    /// `SweepParameter.check`), and a modifier (`commission.minimum`) only where its form is in use, in the base
    /// or set by another axis (`commission.per_share`), so that no axis leaves every point alike.
    /// Two axes of one name, or two forms of one group (`slippage.bps` and `slippage.cents`: a point has one
    /// slippage, so one axis would be flat), are refused.
    public func check() throws {
        for (i, parameter) in parameters.enumerated() {
            if parameters[..<i].contains(where: { $0.name == parameter.name }) {
                throw InputError(file: "--param", message: "'\(parameter.name)' is given twice")
            }
            if let p = parameter.fillModelParameter, p.role == .form,
               let other = parameters[..<i].first(where: { $0.fillModelParameter?.role == .form && $0.fillModelParameter?.group == p.group }) {
                throw InputError(file: "--param", message: "'\(other.name)' and '\(parameter.name)' are two forms of \(p.group), and a point has one; sweep one of them")
            }
        }
        for parameter in parameters { try parameter.check(base: base) }
        var formed = base
        for (i, parameter) in parameters.enumerated() where parameter.fillModelParameter?.role == .form {
            formed = parameter.apply(parameters[i].values[0], to: formed)
        }
        for parameter in parameters {
            guard let p = parameter.fillModelParameter, case .modifier(let of) = p.role, p.read(formed) == nil else { continue }
            throw InputError(file: "--param", message: "'\(parameter.name)' refines \(of.joined(separator: " or ")), which the scenario's first fill model '\(base.name)' does not use; sweep \(of[0]) as well, or set it in the scenario")
        }
    }

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
