import TapebenchCore

/// The reference system's `stats` of an eligibility answer, computed from a lane's iterations: the number
/// of iterations, the means of their win rates, Sharpe ratios and returns (fractions), the signals, and
/// whether the consistency criterion holds. The criteria themselves judge the whole replay (win rate,
/// Sharpe and return of the lane), which the answer gives beside these as Tapebench's own fields.
public struct SeedStats: Sendable, Hashable {
    public var totalIterations: Int
    /// Mean of the iterations' win rates (an iteration without closing trades counts as 0), 0 without iterations.
    public var averageWinRate: Double
    public var averageSharpe: Double
    public var averageReturn: Double
    public var totalSignals: Int
    /// The last `consistency_iterations` iterations each won at least `consistency_win_rate_pct`.
    public var recentConsistency: Bool
}

extension Eligibility {
    public var seedStats: SeedStats {
        func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        return SeedStats(totalIterations: iterations.count, averageWinRate: mean(iterations.map(\.winRate)),
                         averageSharpe: mean(iterations.map(\.sharpe)), averageReturn: mean(iterations.map(\.returnFraction)),
                         totalSignals: stats.signals, recentConsistency: criteria.first { $0.name == "consistency" }?.met ?? false)
    }
}

/// The answer to a graduation request, in the reference system's shape: `success`, `message`,
/// `new_status` (the status after the command: the new one, or the unchanged one) and `paper_account_id`.
public struct GraduateAnswer: Sendable, Hashable {
    public var success: Bool
    public var message: String
    public var newStatus: String
    public var paperAccountID: String?

    /// The answer for a verdict: an agent that graduates moves from the step's start to its end; on graduation
    /// to paper it gets `paper-<agent>-<first 12 hex digits of the scenario's SHA-256>` as its paper account
    /// (stable: the same scenario names the same account); otherwise it keeps `existingPaperAccount`.
    public static func answer(_ verdict: GraduationVerdict, from: String, to: String, scenarioSHA256: String,
                              existingPaperAccount: String?) -> GraduateAnswer {
        guard verdict.graduates else {
            return GraduateAnswer(success: false, message: "Agent not graduated: \(verdict.reason)", newStatus: from, paperAccountID: existingPaperAccount)
        }
        let account = verdict.step == .paper ? "paper-\(verdict.agent)-\(scenarioSHA256.prefix(12))" : existingPaperAccount
        // The verdict's reason already ends in "(forced)"; the message says it once, first.
        let why = verdict.reason.hasSuffix(" (forced)") ? String(verdict.reason.dropLast(" (forced)".count)) : verdict.reason
        let how = verdict.robust ? "" : " (forced; \(why))"
        return GraduateAnswer(success: true, message: "Agent graduated to \(to)\(how)", newStatus: to, paperAccountID: account)
    }
}
