import TapebenchCore
import TapebenchEngine

/// `graduation.json` and `graduation.md`: the eligibility answer per agent, in the reference shape
/// (`eligible`, `reason`, `criteria_met`, `stats`) for every variant, with the verdict across them, and the
/// graduate answer (`success`, `message`, `new_status`, `paper_account_id`) per agent. Its schema is
/// `docs/schemas/graduation.schema.json`.
public enum GraduationReport {
    /// `answers` by agent id; an agent without one gets no `graduate` key.
    public static func json(_ verdicts: [GraduationVerdict], scenario: Scenario, answers: [String: GraduateAnswer] = [:]) -> String {
        json(verdicts, scenarioName: scenario.name, scenarioSHA256: scenario.contentHash, answers: answers)
    }

    /// The same document for a scenario known by its name and hash only (a run's database, `tapebench serve`).
    public static func json(_ verdicts: [GraduationVerdict], scenarioName: String, scenarioSHA256: String,
                            answers: [String: GraduateAnswer] = [:]) -> String {
        JSONValue.object([
            "schema_version": .integer(1),
            "scenario": .string(scenarioName),
            "scenario_sha256": .string(scenarioSHA256),
            "agents": .array(verdicts.map { agent($0, answer: answers[$0.agent]) }),
        ]).rendered()
    }

    /// One agent's entry: the verdict, the base variant's answer in the reference shape (`eligible`, `reason`,
    /// `criteria_met`, `stats`), every variant's answer, and the graduate answer when there is one.
    public static func agent(_ v: GraduationVerdict, answer: GraduateAnswer?) -> JSONValue {
        .object([
            "agent": .string(v.agent),
            "to": .string(v.step.rawValue),
            "eligible": .bool(v.eligible),
            "robust": .bool(v.robust),
            "forced": .bool(v.forced),
            "graduates": .bool(v.graduates),
            "reason": .string(v.reason),
            "warnings": .array(v.warnings.map { .string($0) }),
            "criteria_met": criteria(v.base),
            "stats": stats(v.base),
            "variants": .array(v.answers.map(self.answer)),
        ].merging(answer.map { ["graduate": graduate($0)] } ?? [:]) { a, _ in a })
    }

    static func criteria(_ e: Eligibility) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: e.criteria.map { ($0.name, JSONValue.bool($0.met)) }))
    }

    /// The reference system's six stats, then Tapebench's: the whole replay's win rate, Sharpe and return
    /// (what the criteria judge) and its closing trades.
    static func stats(_ e: Eligibility) -> JSONValue {
        let seed = e.seedStats
        return .object([
            "total_iterations": .integer(seed.totalIterations),
            "avg_win_rate": .statistic(seed.averageWinRate),
            "avg_sharpe": .statistic(seed.averageSharpe),
            "avg_return": .statistic(seed.averageReturn),
            "total_signals": .integer(seed.totalSignals),
            "recent_consistency": .bool(seed.recentConsistency),
            "win_rate": .statistic(e.stats.winRate),
            "sharpe": .statistic(e.stats.sharpe),
            "return": .statistic(e.stats.returnFraction),
            "closing_trades": .integer(e.stats.closingTrades),
        ])
    }

    public static func graduate(_ a: GraduateAnswer) -> JSONValue {
        .object([
            "success": .bool(a.success),
            "message": .string(a.message),
            "new_status": .string(a.newStatus),
            "paper_account_id": a.paperAccountID.map { .string($0) } ?? .null,
        ])
    }

    static func answer(_ e: Eligibility) -> JSONValue {
        .object([
            "variant": .string(e.variant),
            "eligible": .bool(e.eligible),
            "reason": .string(e.reason),
            "criteria_met": criteria(e),
            "criteria": .array(e.criteria.map { .object([
                "name": .string($0.name), "met": .bool($0.met), "value": .statistic($0.value),
                "threshold": .statistic($0.threshold), "margin": .statistic($0.margin),
            ]) }),
            "stats": stats(e),
            "iterations": .array(e.iterations.map { .object([
                "index": .integer($0.index), "from": .string($0.from.description), "to": .string($0.to.description),
                "closing_trades": .integer($0.closingTrades), "win_rate": .statistic($0.winRate), "sharpe": .statistic($0.sharpe),
                "return": .statistic($0.returnFraction), "signals": .integer($0.signals),
            ]) }),
        ])
    }

    public static func markdown(_ verdicts: [GraduationVerdict], scenario: Scenario, answers: [String: GraduateAnswer] = [:]) -> String {
        var out = "# Graduation: \(scenario.name)\n\n"
        for v in verdicts {
            let verdict = v.robust ? "GRADUATES (robust)" : v.forced ? "GRADUATES (forced)" : v.eligible ? "NOT ROBUST" : "NOT ELIGIBLE"
            out += "## `\(v.agent)` → \(v.step.rawValue): \(verdict)\n\n\(v.reason).\n\n"
            if let a = answers[v.agent] {
                out += "Status: `\(a.newStatus)`" + (a.success ? " (graduated)" : " (unchanged)") + (a.paperAccountID.map { "; paper account `\($0)`" } ?? "") + ".\n\n"
            }
            for w in v.warnings { out += "- **Too good to be true?** \(w).\n" }
            if !v.warnings.isEmpty { out += "\n" }
            let names = v.base.criteria.map(\.name)
            out += Table(header: ["criterion"] + v.answers.map(\.variant), rows: names.map { name in
                [name] + v.answers.map { a in
                    let c = a.criteria.first { $0.name == name }!
                    return (c.met ? "✓ " : "✗ ") + value(c)
                }
            }).markdown() + "\n"
        }
        return out
    }

    static func value(_ c: CriterionResult) -> String {
        switch c.name {
        case "iterations", "signals": return "\(Int(c.value)) (≥ \(Int(c.threshold)))"
        case "sharpe": return "\(formatStatistic(c.value, digits: 2)) (≥ \(formatStatistic(c.threshold, digits: 2)))"
        default: return "\(percentText(c.value)) (≥ \(percentText(c.threshold)))"
        }
    }
}
