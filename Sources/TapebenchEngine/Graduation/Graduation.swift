import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// The steps an agent graduates through.
public enum GraduationStep: String, Sendable, Hashable, CaseIterable {
    /// learning → paper trading
    case paper
    /// paper trading → live
    case live
}

/// The thresholds of one step (DESIGN.md's table), each configurable per scenario.
public struct GraduationCriteria: Sendable, Hashable {
    public var iterations: Int
    public var winRate: Double
    public var sharpe: Double
    public var returnFraction: Double
    public var signals: Int
    /// The last `consistencyIterations` iterations each need a win rate of at least `consistencyWinRate`.
    public var consistencyIterations: Int
    public var consistencyWinRate: Double

    public static let paper = GraduationCriteria(iterations: 20, winRate: 0.60, sharpe: 2.0, returnFraction: 0.05, signals: 50,
                                                 consistencyIterations: 5, consistencyWinRate: 0.55)
    public static let live = GraduationCriteria(iterations: 50, winRate: 0.65, sharpe: 2.5, returnFraction: 0.10, signals: 200,
                                                consistencyIterations: 10, consistencyWinRate: 0.60)
}

/// How a run is cut into iterations: consecutive windows of N trading days, or calendar weeks or months.
public enum IterationLength: Sendable, Hashable {
    case tradingDays(Int)
    case weeks
    case months
}

/// Graduation settings of a scenario.
public struct GraduationSettings: Sendable, Hashable {
    public var iteration: IterationLength = .tradingDays(1)
    public var paper = GraduationCriteria.paper
    public var live = GraduationCriteria.live
    /// An annualized Sharpe above this is flagged as too good to be true.
    public var implausibleSharpe = 4.0

    public init() {}

    public func criteria(_ step: GraduationStep) -> GraduationCriteria { step == .paper ? paper : live }
}

/// One iteration of a lane: its dates and what the agent did in it.
public struct Iteration: Sendable, Hashable {
    public var index: Int
    public var from: CivilDate
    public var to: CivilDate
    public var closingTrades: Int
    public var winRate: Double
    public var sharpe: Double
    public var returnFraction: Double
    public var signals: Int
}

/// One criterion of an eligibility answer: met or not, with the value and the threshold.
public struct CriterionResult: Sendable, Hashable {
    public var name: String
    public var met: Bool
    public var value: Double
    public var threshold: Double
    /// How far from the threshold, in the criterion's unit (negative when short).
    public var margin: Double { value - threshold }
}

/// The eligibility answer for one agent under one fill-model variant, in the reference system's shape.
public struct Eligibility: Sendable {
    public var agent: String
    public var variant: String
    public var step: GraduationStep
    public var eligible: Bool
    public var reason: String
    public var criteria: [CriterionResult]
    public var iterations: [Iteration]
    public var stats: (winRate: Double, sharpe: Double, returnFraction: Double, signals: Int, closingTrades: Int)
}

public enum GraduationJudge {
    /// Cuts a lane's trading days into iterations.
    public static func iterations(_ lane: LaneOutcome, length: IterationLength) -> [Iteration] {
        iterations(GraduationRecord(lane), length: length)
    }

    /// Cuts a record's trading days into iterations.
    public static func iterations(_ record: GraduationRecord, length: IterationLength) -> [Iteration] {
        let days = record.days.map(\.date)
        guard !days.isEmpty else { return [] }
        var groups: [[Int]] = []
        for (i, day) in days.enumerated() {
            let startsNew: Bool
            switch length {
            case .tradingDays(let n): startsNew = i % max(n, 1) == 0
            case .weeks: startsNew = i == 0 || (day.daysSinceEpoch + 3) / 7 != (days[i - 1].daysSinceEpoch + 3) / 7  // Monday-based weeks
            case .months: startsNew = i == 0 || day.month != days[i - 1].month || day.year != days[i - 1].year
            }
            if startsNew { groups.append([i]) } else { groups[groups.count - 1].append(i) }
        }
        var result: [Iteration] = []
        for (index, group) in groups.enumerated() {
            let first = group.first!, last = group.last!
            let startEquity = first == 0 ? record.initialBalance : record.days[first - 1].equity
            let equities = [startEquity] + group.map { record.days[$0].equity }
            let from = days[first], to = days[last]
            // The closing trades dated from `from` to `to`, as the lane counted them when they happened.
            var closes = 0, wins = 0
            for (date, day) in record.closesByDate where date >= from && date <= to {
                closes += day.closes
                wins += day.wins
            }
            result.append(Iteration(
                index: index + 1, from: from, to: to, closingTrades: closes, winRate: closes == 0 ? 0 : Double(wins) / Double(closes),
                sharpe: Performance.sharpe(dailyReturns: Performance.returns(equities)),
                returnFraction: ReturnStatistics.totalReturn(equities),
                signals: group.reduce(0) { $0 + (record.signalsByDate[days[$1]] ?? 0) }))
        }
        return result
    }

    /// The America/New_York date of an instant (trades are dated by their session).
    public static func dateOf(_ time: Timestamp) -> CivilDate {
        // A fill's time is its bar's end, at most 16:00 local: one minute back is inside the session.
        EasternTime.local(time.adding(minutes: -1)).date
    }

    public static func judge(_ lane: LaneOutcome, step: GraduationStep, settings: GraduationSettings) -> Eligibility {
        judge(GraduationRecord(lane), step: step, settings: settings)
    }

    public static func judge(_ record: GraduationRecord, step: GraduationStep, settings: GraduationSettings) -> Eligibility {
        let criteria = settings.criteria(step)
        let iterations = iterations(record, length: settings.iteration)
        let recent = iterations.suffix(criteria.consistencyIterations)
        let consistency = recent.count < criteria.consistencyIterations ? 0 : recent.map(\.winRate).min() ?? 0
        let results = [
            CriterionResult(name: "iterations", met: iterations.count >= criteria.iterations, value: Double(iterations.count), threshold: Double(criteria.iterations)),
            CriterionResult(name: "win_rate", met: record.winRate >= criteria.winRate, value: record.winRate, threshold: criteria.winRate),
            CriterionResult(name: "sharpe", met: record.sharpe >= criteria.sharpe, value: record.sharpe, threshold: criteria.sharpe),
            CriterionResult(name: "return", met: record.returnFraction >= criteria.returnFraction, value: record.returnFraction, threshold: criteria.returnFraction),
            CriterionResult(name: "signals", met: record.signals >= criteria.signals, value: Double(record.signals), threshold: Double(criteria.signals)),
            CriterionResult(name: "consistency", met: recent.count == criteria.consistencyIterations && consistency >= criteria.consistencyWinRate,
                            value: consistency, threshold: criteria.consistencyWinRate),
        ]
        let failed = results.filter { !$0.met }
        let reason = failed.isEmpty ? "all criteria met" : "not met: " + failed.map(describe).joined(separator: "; ")
        return Eligibility(agent: record.agent, variant: record.variant, step: step, eligible: failed.isEmpty, reason: reason,
                           criteria: results, iterations: iterations,
                           stats: (record.winRate, record.sharpe, record.returnFraction, record.signals, record.closingTrades))
    }

    public static func describe(_ c: CriterionResult) -> String {
        switch c.name {
        case "iterations", "signals": return "\(c.name) \(Int(c.value)) < \(Int(c.threshold))"
        case "sharpe": return "sharpe \(format(c.value)) < \(format(c.threshold))"
        case "consistency": return "consistency: the weakest recent iteration wins \(percent(c.value)) < \(percent(c.threshold))"
        default: return "\(c.name) \(percent(c.value)) < \(percent(c.threshold))"
        }
    }

    /// Two decimals at most, as Swift prints a `Double`; a statistic beyond `Int` (a near-zero denominator)
    /// is printed as it is rather than converted.
    static func format(_ v: Double) -> String {
        guard let hundredths = Int(exactly: (v * 100).rounded()) else { return String(v) }
        return String(Double(hundredths) / 100)
    }
    static func percent(_ v: Double) -> String { format(v * 100) + "%" }
}
