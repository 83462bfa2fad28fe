import TapebenchCalibration
import TapebenchCore

/// The files `tapebench calibrate` writes: calibration.md, calibration.json (canonical), the residual
/// charts, the `fill_models:` block, and the order tape with its replay scenario.
public struct CalibrationReport: Sendable {
    public var result: CalibrationResult
    public var log: FillLog
    /// The fill log as the user named it, and the data paths as given (for the text; not trusted as paths).
    public var source: String
    public var data: String
    public var replay: ReplayComparison?

    public init(result: CalibrationResult, log: FillLog, source: String, data: String, replay: ReplayComparison? = nil) {
        self.result = result
        self.log = log
        self.source = source
        self.data = data
        self.replay = replay
    }

    public static let fileNames = ["calibration.md", "calibration.json", "residuals-by-size.svg", "residuals-by-time.svg",
                                   "fill-models.yaml", "orders.csv", "replay.yaml"]

    /// Every file, for `OutputFolder.replace(with:)`; `replayDataPaths` are the data paths relative to the folder.
    public func files(replayName: String, replayDataPaths: [String]) -> [OutputFile] {
        [
            .text("calibration.md") { markdown() },
            .text("calibration.json") { json().rendered() },
            .text("residuals-by-size.svg") { sizeChart() },
            .text("residuals-by-time.svg") { timeChart() },
            .text("fill-models.yaml") { FillModelsBlock.text(result, source: source) },
            .text("orders.csv") { ReplayFiles.orderTape(result.orders) },
            .text("replay.yaml") { ReplayFiles.scenario(result, name: replayName, dataPaths: replayDataPaths, source: source) },
        ]
    }

    // MARK: - Tables

    static func number(_ value: Double?, _ digits: Int) -> String { value.map { formatStatistic($0, digits: digits) } ?? "–" }

    /// One row per model and estimator.
    public func fitTable() -> Table {
        var rows: [[String]] = []
        for fit in result.fits {
            let estimators: [(String, EstimatorFit?)] = [("least squares", fit.leastSquares), ("Huber", fit.huber)]
            if let reason = fit.unfittable {
                rows.append([fit.model.rawValue, "–", "–", "–", "–", "–", "–", "–", "not fitted: \(reason)"])
                continue
            }
            for (name, e) in estimators {
                guard let e else { continue }
                rows.append([fit.model.rawValue + " (" + fit.model.scenarioKey + ")", name, Self.number(e.parameter, 4),
                             "[\(Self.number(e.low, 4)), \(Self.number(e.high, 4))]", Self.number(e.quality.rmse, 2), Self.number(e.quality.mae, 2),
                             Self.number(e.quality.rSquared, 3), Self.number(e.quality.aic, 2), Self.number(e.quality.bic, 2)])
            }
        }
        return Table(header: ["model", "estimator", "parameter", "95% interval", "RMSE bp", "MAE bp", "R²", "AIC", "BIC"], rows: rows, leftAligned: [0, 1, 3])
    }

    func binTable(_ bins: [ResidualBin], title: String) -> Table {
        let fitted = result.fits.enumerated().filter { $0.element.leastSquares != nil }
        return Table(header: [title, "orders"] + fitted.map { "\($0.element.model.rawValue) mean residual bp" },
                     rows: bins.filter { $0.count > 0 }.map { bin in [bin.label, String(bin.count)] + fitted.map { Self.number(bin.meanResiduals[$0.offset], 2) } })
    }

    public func replayTable() -> Table? {
        guard let replay else { return nil }
        let rows = ([replay.observed] + replay.replayed).map { d in
            [d.label, String(d.count), Self.number(d.mean, 2)] + d.quantiles.map { Self.number($0, 2) } + [d.label == "observed" ? "" : String(replay.unfilled[d.label] ?? 0)]
        }
        return Table(header: ["shortfall bp", "orders", "mean", "p10", "p25", "median", "p75", "p90", "not filled"], rows: rows)
    }

    public func markdown() -> String {
        var out = "# Calibration of slippage models\n\n"
        out += "Fills: \(MarkdownText.inline(source)) (\(log.layout.rawValue) layout), \(log.fills.count) fills"
        if !log.skipped.isEmpty { out += ", \(log.skipped.count) rows skipped (not executions)" }
        out += "; data: \(MarkdownText.inline(data)).\n\n"
        out += "Orders fitted: \(result.orders.count) (fills joined by order id); left out: \(result.excluded.count) (limit and stop orders: the models slip market orders). "
        out += "Shortfall in bp of the reference (\(result.settings.reference.rawValue)), positive = against the trader. "
        out += "Intervals: 95 % percentile bootstrap, \(result.settings.bootstrapSamples) resamples, seed \(result.settings.seed).\n\n"
        out += fitTable().markdown() + "\n"
        if let best = result.best, let ls = best.leastSquares {
            out += "Best by AIC: **\(best.model.rawValue)** (`\(best.model.scenarioKey): \(FillModelsBlock.scenarioValue(best.model, ls.parameter).text)`).\n\n"
        }
        out += "## Residuals by order size (share of the fill bar's volume)\n\n![](residuals-by-size.svg)\n\n" + binTable(ResidualBins.bySize(result), title: "share of volume").markdown() + "\n"
        out += "## Residuals by time of day (America/New_York, half hours)\n\n![](residuals-by-time.svg)\n\n" + binTable(ResidualBins.byTime(result), title: "from").markdown() + "\n"
        out += "## Paste into a scenario\n\n```yaml\n" + FillModelsBlock.text(result, source: source) + "```\n\n"
        out += "`orders.csv` holds the fitted orders as an order tape and `replay.yaml` replays them under these variants: `tapebench run replay.yaml`.\n"
        if let table = replayTable() {
            out += "\n## Replayed against observed\n\nThe same orders replayed by Tapebench under each fitted variant; each replayed fill's shortfall against its own reference price.\n\n" + table.markdown()
        }
        return out
    }
}
