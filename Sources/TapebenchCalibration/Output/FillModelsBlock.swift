import TapebenchCore
import TapebenchExecution

/// The fitted models as a scenario's `fill_models:` block, ready to paste: one variant per fitted model
/// (best AIC first), each the seed preset with its slippage replaced by the least-squares fit, so that a
/// replay of the same orders adds exactly the fitted cost. Values the scenario cannot take are clamped into
/// its range (a negative fit to 0, one beyond the largest value to it) and the comment says so; `bps` is
/// written with four decimals, the others with six.
public enum FillModelsBlock {
    /// The value written for a fitted parameter, and why it differs from the fit, when it does.
    public static func scenarioValue(_ model: SlippageFitModel, _ fitted: Double) -> (text: String, note: String?) {
        let range = model.scenarioRange
        let value = min(max(fitted, range.lowerBound), range.upperBound)
        var note: String? = nil
        if fitted < range.lowerBound {
            note = "fitted \(decimal(fitted, digits: 4)): a scenario's slippage always costs the trader, so 0"
        } else if fitted > range.upperBound {
            note = "fitted \(decimal(fitted, digits: 4)), beyond the largest value a scenario takes"
        }
        // `bps` to the four decimals a scenario takes (SlippageSpec.basisPointsFractionDigits): a replay's
        // own 1 bp, off by the 1e-8 rounding of its prices, is written as 1.
        return (decimal(value, digits: model == .bps ? SlippageSpec.basisPointsFractionDigits : 6), note)
    }

    /// `value` rounded to `digits` decimals (ties to even, through `Fixed`), trailing zeros dropped.
    public static func decimal(_ value: Double, digits: Int) -> String {
        guard let fixed = Fixed(rounding: value) else { return value > 0 ? "inf" : "-inf" }
        var text = fixed.rounded(toFractionDigits: digits)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// The variants in the order they are written: fitted ones by least-squares AIC, ties in model order.
    public static func ordered(_ result: CalibrationResult) -> [ModelFit] {
        result.fits.filter { $0.leastSquares != nil }.enumerated().sorted { a, b in
            let (x, y) = (a.element.leastSquares!.quality.aic, b.element.leastSquares!.quality.aic)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    /// The variant's name in the block and in the replay.
    public static func variantName(_ model: SlippageFitModel) -> String { "fit-\(model.rawValue)" }

    /// The YAML text: a comment header, `fill_models:` and one variant per fitted model (`only`: just that one).
    public static func text(_ result: CalibrationResult, source: String, only: SlippageFitModel? = nil) -> String {
        let fits = ordered(result).filter { only == nil || $0.model == only }
        var out = "# Fitted by tapebench calibrate from \(commentSafe(source)): \(result.orders.count) orders, reference \(result.settings.reference.rawValue),\n"
        out += "# least squares (95 % bootstrap intervals, \(result.settings.bootstrapSamples) resamples, seed \(result.settings.seed)); best AIC first.\n"
        switch result.settings.reference {
        case .nextOpen: break
        case .close: out += "# Measured from the decision bar's close: the variants fill market orders there (same_bar_close, a look-ahead price).\n"
        case .arrivalVWAP: out += "# Measured from the fill bar's VWAP, where no Tapebench rule fills; the variants fill at the next open.\n"
        }
        out += "fill_models:\n"
        for fit in fits {
            let ls = fit.leastSquares!
            let (value, note) = scenarioValue(fit.model, ls.parameter)
            out += "  - name: \(variantName(fit.model))   # \(fit.model.scenarioKey) \(decimal(ls.parameter, digits: 4)) [\(decimal(ls.low, digits: 4)), \(decimal(ls.high, digits: 4))], RMSE \(decimal(ls.quality.rmse, digits: 2)) bp, AIC \(decimal(ls.quality.aic, digits: 2))\n"
            out += "    preset: seed\n"
            if result.settings.reference == .close { out += "    market_timing: same_bar_close\n" }
            out += "    slippage: {\(fit.model.scenarioKey): \(value)}" + (note.map { "   # \(commentSafe($0))" } ?? "") + "\n"
        }
        return out
    }

    /// Text for a YAML comment: one line, no control characters.
    static func commentSafe(_ text: String) -> String {
        String(text.map { $0.isNewline || ($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) ? " " : $0 })
    }
}
