import TapebenchCore
import TapebenchExecution

/// The graduation decision for one agent: the answer under every variant, whether it is robust (eligible
/// under `conservative` too), warnings when the result looks too good to be true, and whether it was forced.
public struct GraduationVerdict: Sendable {
    public var agent: String
    public var step: GraduationStep
    public var answers: [Eligibility]
    /// The scenario's first fill model: the answer the reference system would give.
    public var base: Eligibility
    public var conservative: Eligibility?
    public var forced: Bool
    public var warnings: [String]

    public var eligible: Bool { base.eligible }
    public var robust: Bool { base.eligible && (conservative?.eligible ?? false) }
    /// Whether the agent moves on: robustly eligible, or forced.
    public var graduates: Bool { robust || forced }

    public var reason: String {
        if robust { return "eligible under \(base.variant) and conservative fills" }
        var text = base.eligible ? "eligible under \(base.variant) only" : "not eligible under \(base.variant): \(base.reason)"
        if base.eligible, let conservative, !conservative.eligible {
            text += "; conservative breaks " + conservative.criteria.filter { !$0.met }.map(GraduationJudge.describe).joined(separator: "; ")
        }
        if forced { text += " (forced)" }
        return text
    }

    /// The variant names a graduation adds to a scenario's own: `conservative`, and the first model with
    /// market orders one bar later (`<name>-delayed`).
    public static func addedVariants(to specs: [FillModelSpec]) -> [FillModelSpec] {
        var result = specs
        if !result.contains(where: { $0.name == "conservative" }) { result.append(.conservative) }
        var delayed = specs[0]
        delayed.name = specs[0].name + "-delayed"
        switch delayed.marketTiming {
        case .nextOpen, .sameBarClose: delayed.marketTiming = .latency(bars: 1)
        case .nextClose: delayed.marketTiming = .latency(bars: 1)
        case .latency(let n): delayed.marketTiming = .latency(bars: n + 1)
        }
        if !result.contains(where: { $0.name == delayed.name }) { result.append(delayed) }
        return result
    }

    public static func decide(agent: String, lanes: [LaneOutcome], baseVariant: String, step: GraduationStep,
                              settings: GraduationSettings, force: Bool) -> GraduationVerdict {
        decide(agent: agent, records: lanes.map(GraduationRecord.init), baseVariant: baseVariant, step: step, settings: settings, force: force)
    }

    /// The verdict over an agent's records, one per variant (at least one).
    public static func decide(agent: String, records: [GraduationRecord], baseVariant: String, step: GraduationStep,
                              settings: GraduationSettings, force: Bool) -> GraduationVerdict {
        let answers = records.map { GraduationJudge.judge($0, step: step, settings: settings) }
        let base = answers.first { $0.variant == baseVariant } ?? answers[0]
        let conservative = answers.first { $0.variant == "conservative" }
        var warnings: [String] = []
        // Trading days behind each variant's Sharpe, for the warning.
        let days = Dictionary(records.map { ($0.variant, $0.days.count) }) { a, _ in a }
        for answer in answers where answer.stats.sharpe > settings.implausibleSharpe && !answer.variant.hasSuffix("-delayed") {
            warnings.append("Sharpe \(GraduationJudge.format(answer.stats.sharpe)) under \(answer.variant) is above \(GraduationJudge.format(settings.implausibleSharpe)), "
                + "from \(answer.stats.closingTrades) closing trades over \(days[answer.variant] ?? 0) days: rare for a real strategy; check the fill assumptions")
        }
        if let c = conservative {
            let b = base.stats.returnFraction, r = c.stats.returnFraction
            if b > 0 && (r <= 0 || r < b / 2) {
                warnings.append("return collapses from \(GraduationJudge.percent(b)) under \(base.variant) to \(GraduationJudge.percent(r)) under conservative fills")
            }
        }
        if let delayed = answers.first(where: { $0.variant == base.variant + "-delayed" }) {
            let b = base.stats.returnFraction, r = delayed.stats.returnFraction
            if (b > 0) != (r > 0) {
                warnings.append("return changes sign from \(GraduationJudge.percent(b)) to \(GraduationJudge.percent(r)) when market orders wait one more bar")
            }
        }
        return GraduationVerdict(agent: agent, step: step, answers: answers, base: base, conservative: conservative, forced: force, warnings: warnings)
    }
}
