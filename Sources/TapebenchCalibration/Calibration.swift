import TapebenchCore

/// What calibrate is asked to do.
public struct CalibrationSettings: Sendable, Hashable {
    public var models: [SlippageFitModel] = SlippageFitModel.allCases
    public var reference: ReferenceChoice = .nextOpen
    /// Bootstrap resamples per model and estimator.
    public var bootstrapSamples = 1_000
    public var seed: UInt64 = 7
    /// Fewer matched market orders than this is an error, not a fit.
    public var minimumOrders = 10
    /// Fit limit (and stop) orders too; by default only market orders, the only ones a replay slips.
    public var includeNonMarket = false

    public init() {}
}

/// One estimator's fit of one model.
public struct EstimatorFit: Sendable, Hashable {
    public var parameter: Double
    /// The 95 % percentile-bootstrap interval of the parameter.
    public var low: Double
    public var high: Double
    public var quality: FitQuality
    /// y − parameter · x per order, in the orders' order.
    public var residuals: [Double]
}

/// One model's fits by least squares and by Huber's robust loss; nil fits when the model has nothing to
/// fit (every regressor 0, e.g. no volume in the data), with the reason.
public struct ModelFit: Sendable, Hashable {
    public var model: SlippageFitModel
    public var leastSquares: EstimatorFit?
    public var huber: EstimatorFit?
    public var unfittable: String?
}

/// The outcome of a calibration: the orders fitted, the orders left out (with why), every model's fits.
public struct CalibrationResult: Sendable {
    public var settings: CalibrationSettings
    public var orders: [OrderObservation]
    /// Orders not fitted on purpose (limit orders, by default), counted in the report.
    public var excluded: [(line: Int, reason: String)]
    public var fits: [ModelFit]

    /// The model with the lowest least-squares AIC (ties: the order of `SlippageFitModel.allCases`).
    public var best: ModelFit? {
        fits.filter { $0.leastSquares != nil }.min { $0.leastSquares!.quality.aic < $1.leastSquares!.quality.aic }
    }
}

public enum Calibration {
    /// Fits every requested model to `orders` (already matched to the bars). Throws `CalibrationProblems`
    /// when too few orders remain: a fit on a handful of orders is noise, so it is refused, not printed.
    public static func fit(_ matched: [OrderObservation], settings: CalibrationSettings, file: String) throws -> CalibrationResult {
        var orders: [OrderObservation] = []
        var excluded: [(line: Int, reason: String)] = []
        for order in matched {
            if let type = order.orderType, type != .market, !settings.includeNonMarket {
                excluded.append((order.line, "\(type.rawValue) order: the slippage models apply to market orders (--include-limit fits it too)"))
            } else {
                orders.append(order)
            }
        }
        guard orders.count >= settings.minimumOrders else {
            let what = settings.includeNonMarket ? "orders" : "market orders"
            throw CalibrationProblems([InputError(file: file, message: "\(orders.count) \(what) match the data (\(matched.count) orders in all); calibrate needs at least \(settings.minimumOrders) to fit (--min-orders)")])
        }
        let y = orders.map(\.shortfallBps)
        let fits = settings.models.map { model -> ModelFit in
            let x = orders.map(model.regressor)
            guard x.contains(where: { $0 != 0 }) else {
                return ModelFit(model: model, leastSquares: nil, huber: nil, unfittable: "every order's regressor is 0 (no volume or no range in the fill bars)")
            }
            func estimator(_ name: String, _ fit: ([Double], [Double]) -> Double?) -> EstimatorFit? {
                guard let beta = fit(x, y) else { return nil }
                let draws = Bootstrap.estimates(count: x.count, samples: settings.bootstrapSamples, seed: settings.seed, key: "\(model.rawValue)/\(name)") { indices in
                    fit(indices.map { x[$0] }, indices.map { y[$0] })
                }
                let interval = Bootstrap.interval(draws) ?? (beta, beta)
                return EstimatorFit(parameter: beta, low: interval.low, high: interval.high, quality: FitQuality(x: x, y: y, beta: beta),
                                    residuals: x.indices.map { y[$0] - beta * x[$0] })
            }
            return ModelFit(model: model, leastSquares: estimator("ols", { Regression.leastSquares(x: $0, y: $1) }),
                            huber: estimator("huber", { Regression.huber(x: $0, y: $1) }), unfittable: nil)
        }
        return CalibrationResult(settings: settings, orders: orders, excluded: excluded, fits: fits)
    }
}
