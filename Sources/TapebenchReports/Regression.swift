import Foundation
import TapebenchCore

/// Compares a run's reports with a baseline and says what changed in words a person reads: whether the
/// scenario file itself changed, which metric moved from what to what (headline metrics first), the first
/// fill that differs with the columns that changed, and counts of the rest.
public struct RegressionComparison: Sendable {
    /// A metric of one agent under one variant that moved.
    public struct MetricChange: Sendable {
        public var lane: String
        public var metric: String
        public var old: String
        public var new: String
        public var withinTolerance: Bool
        /// A headline metric (`headlineMetrics`); the others are derived from them.
        public var headline: Bool
        /// Not judged: `headlineOnly` and not a headline metric.
        public var judged: Bool
    }

    /// What a check judges: metrics compared exactly unless a tolerance is given for them, or any metric
    /// within `defaultTolerance`; with `headlineOnly`, only the headline metrics are judged and the derived
    /// ones (equity, cash, CAGR, Calmar, ...) are listed but cannot fail the check.
    public struct Policy: Sendable {
        public var tolerances: [String: Tolerance]
        public var defaultTolerance: Tolerance?
        public var headlineOnly: Bool

        public init(tolerances: [String: Tolerance] = [:], defaultTolerance: Tolerance? = nil, headlineOnly: Bool = false) {
            self.tolerances = tolerances
            self.defaultTolerance = defaultTolerance
            self.headlineOnly = headlineOnly
        }

        /// Exact: any difference at all fails.
        public var exact: Bool { tolerances.isEmpty && defaultTolerance == nil && !headlineOnly }
    }

    /// The figures a reader looks at first, in this order; every other metric follows alphabetically.
    public static let headlineMetrics = ["return", "sharpe", "max_drawdown", "fills", "win_rate", "total_pnl"]

    /// The scenario file's SHA-256 in each report, when they differ (a changed scenario, not changed code).
    public var scenarioChange: (old: String, new: String)?
    public var metricChanges: [MetricChange]
    public var fills: FillComparison
    /// Lanes in one report and not the other.
    public var laneChanges: [String]
    public var identical: Bool
    var policy: Policy

    /// Whether the check fails. Exact: any difference at all. Otherwise: a lane added or removed, or a judged
    /// metric outside its tolerance; fills may differ.
    public var regressed: Bool {
        if identical { return false }
        guard !policy.exact else { return true }
        return !laneChanges.isEmpty || metricChanges.contains { $0.judged && !$0.withinTolerance }
    }

    /// Tolerances by metric name: absolute or relative.
    public enum Tolerance: Sendable, Hashable {
        case absolute(Double)
        case relative(Double)

        func allows(_ old: Double, _ new: Double) -> Bool {
            switch self {
            case .absolute(let a): return abs(new - old) <= a
            case .relative(let r): return abs(new - old) <= r * abs(old)
            }
        }
    }

    /// `oldName` and `newName` name the two report.json files in errors: a file that is not a whole
    /// Tapebench report is an `InputError` naming it.
    public static func compare(oldJSON: Data, newJSON: Data, oldFills: String, newFills: String, policy: Policy = Policy(),
                               oldName: String = "the old report.json", newName: String = "the new report.json") throws -> RegressionComparison {
        let identical = oldJSON == newJSON && oldFills == newFills
        let old = try ReportLanes(oldJSON, file: oldName), new = try ReportLanes(newJSON, file: newName)
        var changes: [MetricChange] = []
        var laneChanges: [String] = []
        for key in Set(old.lanes.keys).union(new.lanes.keys).sorted() {
            guard let a = old.lanes[key], let b = new.lanes[key] else {
                laneChanges.append(old.lanes[key] == nil ? "\(key) is new" : "\(key) is gone")
                continue
            }
            for metric in orderedMetrics(Set(a.keys).union(b.keys)) where a[metric] != b[metric] {
                let (x, y) = (a[metric] ?? "–", b[metric] ?? "–")
                let tolerance = policy.tolerances[metric] ?? policy.defaultTolerance
                let within = tolerance.map { t in
                    guard let dx = Double(x), let dy = Double(y) else { return false }
                    return t.allows(dx, dy)
                } ?? false
                let headline = headlineMetrics.contains(metric)
                changes.append(MetricChange(lane: key, metric: metric, old: x, new: y, withinTolerance: within, headline: headline,
                                            judged: headline || !policy.headlineOnly))
            }
        }
        let scenarioChange = old.scenarioHash != new.scenarioHash ? (old.scenarioHash ?? "–", new.scenarioHash ?? "–") : nil
        return RegressionComparison(scenarioChange: scenarioChange, metricChanges: changes,
                                    fills: FillComparison(old: oldFills, new: newFills), laneChanges: laneChanges,
                                    identical: identical, policy: policy)
    }

    /// Headline metrics in their order, then the rest by name.
    static func orderedMetrics(_ names: Set<String>) -> [String] {
        headlineMetrics.filter(names.contains) + names.subtracting(headlineMetrics).sorted()
    }

    /// The diff in words, a line each: the scenario first, then lanes, headline metrics, derived metrics, fills.
    public var lines: [String] {
        if identical { return ["identical"] }
        var out: [String] = []
        if let change = scenarioChange {
            out.append("the scenario file changed (sha256 \(change.old.prefix(12)) → \(change.new.prefix(12))): the differences may come from it, not from the code")
        }
        out += laneChanges
        for c in metricChanges {
            let note = !c.judged ? " (derived, not judged)" : c.withinTolerance ? " (within tolerance)" : ""
            out.append("\(c.lane): \(c.metric) \(c.old) → \(c.new)\(note)")
        }
        out += fills.lines
        if out.isEmpty { out.append("the reports differ in their text, not in metrics or fills") }
        return out
    }
}

/// The lanes of a report.json: per `agent under variant`, its metrics and account figures as canonical text.
struct ReportLanes {
    var lanes: [String: [String: String]] = [:]
    var scenarioHash: String?

    init(_ json: Data, file: String) throws {
        // checkReport has parsed it and made sure `agents` is a list of objects.
        let root = try ReportFiles.checkReport(json, file: file)
        let agents = root["agents"] as? [[String: Any]] ?? []
        scenarioHash = (root["scenario"] as? [String: Any])?["content_sha256"] as? String
        for agent in agents {
            let key = "\(agent["id"] as? String ?? "?") under \(agent["variant"] as? String ?? "seed")"
            var values: [String: String] = [:]
            for section in ["metrics", "account"] {
                for (name, value) in agent[section] as? [String: Any] ?? [:] {
                    if let number = value as? NSNumber { values[name] = "\(number)" } else if let text = value as? String { values[name] = text }
                }
            }
            lanes[key] = values
        }
    }
}
