/// Residuals grouped by order size (share of the fill bar's volume) and by time of day: where a model is
/// systematically off (a mean residual far from 0 in a group) shows a shape the model does not have.
public struct ResidualBin: Sendable, Hashable {
    public var label: String
    /// The group's bounds (a share of volume, or minutes after 09:30), lower inclusive, upper exclusive.
    public var lower: Double
    public var upper: Double
    public var count: Int
    /// Where the group sits on a chart's x axis: the median of its members' x, or the middle of its bounds.
    public var center: Double
    /// Mean least-squares residual (bp) per fitted model, aligned with `CalibrationResult.fits`; nil for a
    /// model without a fit, or an empty group.
    public var meanResiduals: [Double?]
}

public enum ResidualBins {
    /// Share-of-volume edges: 0.1 %, 0.5 %, 1 %, 2 %, 5 %, 10 %.
    public static let sizeEdges = [0.0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, Double.infinity]

    public static func bySize(_ result: CalibrationResult) -> [ResidualBin] {
        bins(result, edges: sizeEdges, value: \.volumeShare) { low, high in
            high.isInfinite ? "≥ \(percent(low))" : low == 0 ? "< \(percent(high))" : "\(percent(low)) – \(percent(high))"
        }
    }

    /// Half-hour groups of the regular session, by the fill bar's start (minutes after 09:30 ET).
    public static func byTime(_ result: CalibrationResult) -> [ResidualBin] {
        let edges = stride(from: 0.0, through: 390.0, by: 30.0).map { $0 }
        return bins(result, edges: edges, value: { Double($0.minuteOfSession) }) { low, _ in
            let minutes = 9 * 60 + 30 + Int(low)
            return "\(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
        }
    }

    static func bins(_ result: CalibrationResult, edges: [Double], value: (OrderObservation) -> Double,
                     label: (Double, Double) -> String) -> [ResidualBin] {
        (0..<(edges.count - 1)).map { k in
            let (low, high) = (edges[k], edges[k + 1])
            let members = result.orders.indices.filter { value(result.orders[$0]) >= low && value(result.orders[$0]) < high }
            let xs = members.map { value(result.orders[$0]) }
            let center = xs.isEmpty ? (high.isInfinite ? low : (low + high) / 2) : Regression.median(xs)
            let means = result.fits.map { fit -> Double? in
                guard let residuals = fit.leastSquares?.residuals, !members.isEmpty else { return nil }
                return members.reduce(0.0) { $0 + residuals[$1] } / Double(members.count)
            }
            return ResidualBin(label: label(low, high), lower: low, upper: high, count: members.count, center: center, meanResiduals: means)
        }
    }

    /// A share as a percentage for a label: `0.1%`, `5%`.
    static func percent(_ share: Double) -> String { FillModelsBlock.decimal(share * 100, digits: 2) + "%" }
}
