import Testing
import TapebenchCore
@testable import TapebenchEngine

@Suite struct GraduationAnswerTests {
    static func iteration(_ index: Int, win: Double, sharpe: Double, ret: Double, signals: Int) -> Iteration {
        Iteration(index: index, from: CivilDate(year: 2024, month: 3, day: 3 + index), to: CivilDate(year: 2024, month: 3, day: 3 + index),
                  closingTrades: 4, winRate: win, sharpe: sharpe, returnFraction: ret, signals: signals)
    }

    static func eligibility(consistencyMet: Bool, eligible: Bool = false) -> Eligibility {
        Eligibility(agent: "a", variant: "seed", step: .paper, eligible: eligible, reason: eligible ? "all criteria met" : "not met: iterations 3 < 20",
                    criteria: [CriterionResult(name: "iterations", met: false, value: 3, threshold: 20),
                               CriterionResult(name: "consistency", met: consistencyMet, value: 0.5, threshold: 0.55)],
                    iterations: [iteration(1, win: 0.5, sharpe: 1, ret: 0.01, signals: 3),
                                 iteration(2, win: 1.0, sharpe: 2, ret: -0.02, signals: 4),
                                 iteration(3, win: 0.0, sharpe: 3, ret: 0.04, signals: 5)],
                    stats: (winRate: 0.6, sharpe: 2.4, returnFraction: 0.0302, signals: 12, closingTrades: 12))
    }

    @Test("the seed's stats: iterations counted, win rate, Sharpe and return averaged over them, signals summed, consistency as met")
    func seedStats() {
        let stats = Self.eligibility(consistencyMet: true).seedStats
        #expect(stats.totalIterations == 3)
        #expect(stats.averageWinRate == 0.5)                     // (0.5 + 1 + 0) / 3
        #expect(stats.averageSharpe == 2)                        // (1 + 2 + 3) / 3
        #expect(abs(stats.averageReturn - 0.01) < 1e-15)         // (0.01 − 0.02 + 0.04) / 3
        #expect(stats.totalSignals == 12)
        #expect(stats.recentConsistency)
        #expect(!Self.eligibility(consistencyMet: false).seedStats.recentConsistency)
    }

    static func verdict(eligible: Bool, forced: Bool, step: GraduationStep) -> GraduationVerdict {
        let base = eligibility(consistencyMet: true, eligible: eligible)
        var conservative = base
        conservative.variant = "conservative"
        return GraduationVerdict(agent: "a", step: step, answers: [base, conservative], base: base, conservative: conservative, forced: forced, warnings: [])
    }

    @Test("the graduate answer: success, message, new status and the paper account, as the step and the verdict say")
    func answers() {
        let sha = "0123456789abcdef" + String(repeating: "0", count: 48)
        let robust = GraduateAnswer.answer(Self.verdict(eligible: true, forced: false, step: .paper), from: "learning", to: "paper_trading",
                                           scenarioSHA256: sha, existingPaperAccount: nil)
        #expect(robust == GraduateAnswer(success: true, message: "Agent graduated to paper_trading", newStatus: "paper_trading", paperAccountID: "paper-a-0123456789ab"))
        let refused = GraduateAnswer.answer(Self.verdict(eligible: false, forced: false, step: .paper), from: "learning", to: "paper_trading",
                                            scenarioSHA256: sha, existingPaperAccount: nil)
        #expect(refused == GraduateAnswer(success: false, message: "Agent not graduated: not eligible under seed: not met: iterations 3 < 20",
                                          newStatus: "learning", paperAccountID: nil))
        let forcedLive = GraduateAnswer.answer(Self.verdict(eligible: false, forced: true, step: .live), from: "paper_trading", to: "live",
                                               scenarioSHA256: sha, existingPaperAccount: "paper-a-ffffffffffff")
        #expect(forcedLive == GraduateAnswer(success: true, message: "Agent graduated to live (forced; not eligible under seed: not met: iterations 3 < 20)",
                                             newStatus: "live", paperAccountID: "paper-a-ffffffffffff"))
    }
}
