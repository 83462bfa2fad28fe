import Foundation
import TapebenchCalibration
import TapebenchCore

extension CalibrationReport {
    /// The canonical record (schema version 1): sorted keys, statistics with six decimals, prices exact.
    public func json() -> JSONValue {
        func stat(_ v: Double?) -> JSONValue { v.map(JSONValue.statistic) ?? .null }
        func estimator(_ e: EstimatorFit?) -> JSONValue {
            guard let e else { return .null }
            return .object([
                "parameter": stat(e.parameter), "interval_low": stat(e.low), "interval_high": stat(e.high),
                "rmse_bps": stat(e.quality.rmse), "mae_bps": stat(e.quality.mae), "r_squared": stat(e.quality.rSquared),
                "aic": stat(e.quality.aic), "bic": stat(e.quality.bic), "n": .integer(e.quality.n),
            ])
        }
        let fits: [JSONValue] = result.fits.map { fit in
            .object(["model": .string(fit.model.rawValue), "scenario_key": .string(fit.model.scenarioKey),
                     "least_squares": estimator(fit.leastSquares), "huber": estimator(fit.huber), "not_fitted": .string(fit.unfittable)])
        }
        func bins(_ list: [ResidualBin]) -> JSONValue {
            .array(list.map { bin in
                .object(["label": .string(bin.label), "lower": stat(bin.lower), "upper": bin.upper.isInfinite ? .null : stat(bin.upper),
                         "orders": .integer(bin.count),
                         "mean_residual_bps": .object(Dictionary(uniqueKeysWithValues: result.fits.enumerated().map { ($0.element.model.rawValue, stat(bin.meanResiduals[$0.offset])) }))])
            })
        }
        let orders: [JSONValue] = result.orders.map { o in
            .object(["line": .integer(o.line), "fills": .integer(o.fills), "ticker": .string(o.ticker), "side": .string(o.side.rawValue),
                     "quantity": .integer(o.quantity), "average_price": stat(o.averagePrice), "decision_step": .string(o.decisionStep.iso8601),
                     "fill_bar_start": .string(o.fillBar.start.iso8601), "reference": .money(o.reference), "shortfall_bps": stat(o.shortfallBps),
                     "volume_share": stat(o.volumeShare), "range_over_open": stat(o.rangeOverOpen)])
        }
        var root: [String: JSONValue] = [
            "schema_version": .integer(1),
            "source": .object(["file": .string(source), "layout": .string(log.layout.rawValue), "fills": .integer(log.fills.count),
                               "rows_skipped": .integer(log.skipped.count), "data": .string(data)]),
            "settings": .object(["reference": .string(result.settings.reference.rawValue),
                                 "models": .array(result.settings.models.map { .string($0.rawValue) }),
                                 "bootstrap_samples": .integer(result.settings.bootstrapSamples), "seed": .integer(result.settings.seed),
                                 "include_non_market": .bool(result.settings.includeNonMarket), "minimum_orders": .integer(result.settings.minimumOrders)]),
            "orders_fitted": .integer(result.orders.count),
            "orders_excluded": .array(result.excluded.map { .object(["line": .integer($0.line), "reason": .string($0.reason)]) }),
            "fits": .array(fits),
            "best_by_aic": .string(result.best?.model.rawValue),
            "residuals_by_size": bins(ResidualBins.bySize(result)),
            "residuals_by_time": bins(ResidualBins.byTime(result)),
            "orders": .array(orders),
            "fill_models_yaml": .string(FillModelsBlock.text(result, source: source)),
        ]
        if let replay {
            func distribution(_ d: ShortfallDistribution) -> JSONValue {
                .object(["label": .string(d.label), "orders": .integer(d.count), "mean_bps": stat(d.mean),
                         "quantiles_bps": .object(Dictionary(uniqueKeysWithValues: zip(ShortfallDistribution.levels, d.quantiles).map { ("p\(Int(($0.0 * 100).rounded()))", stat($0.1)) }))])
            }
            root["replay"] = .object(["observed": distribution(replay.observed), "variants": .array(replay.replayed.map(distribution)),
                                      "not_filled": .object(replay.unfilled.mapValues { .integer($0) })])
        }
        return .object(root)
    }

    // MARK: - Charts

    /// Mean least-squares residual per model against log10 of the order's share of bar volume (in %).
    public func sizeChart() -> String {
        chart(ResidualBins.bySize(result), title: "Mean residual by order size", x: { $0.center > 0 ? log10($0.center * 100) : -3 },
              note: "x: log10 of the order's % of the fill bar's volume")
    }

    /// Mean least-squares residual per model against minutes after 09:30 America/New_York.
    public func timeChart() -> String {
        chart(ResidualBins.byTime(result), title: "Mean residual by time of day", x: { ($0.lower + $0.upper) / 2 },
              note: "x: minutes after 09:30 America/New_York")
    }

    static let palette = ["#1f5fa8", "#c0392b", "#27ae60", "#8e44ad", "#d35400"]

    func chart(_ bins: [ResidualBin], title: String, x: (ResidualBin) -> Double, note: String) -> String {
        let filled = bins.filter { $0.count > 0 }
        let series = result.fits.enumerated().filter { $0.element.leastSquares != nil }.map { k, fit in
            SVGChart.Series(name: fit.model.rawValue, color: Self.palette[k % Self.palette.count],
                            points: filled.compactMap { bin in bin.meanResiduals[k].map { (x: x(bin), y: $0) } })
        }
        var svg = SVGChart(title: "\(title) (\(note))", yLabel: "mean residual (bp)", series: series, xIsTime: false)
        svg.zeroLine = true
        return svg.render()
    }
}
