import Foundation
import TapebenchCore

/// Compares a run's reports with a baseline and says what changed in words a person reads: which
/// metric moved from what to what, the first fill that differs, and counts of the rest.
public struct RegressionComparison: Sendable {
    /// A metric of one agent under one variant that moved.
    public struct MetricChange: Sendable {
        public var lane: String
        public var metric: String
        public var old: String
        public var new: String
        public var withinTolerance: Bool
    }

    public var metricChanges: [MetricChange]
    /// The first differing fill, as "time ticker side: old price → new price" (or an added/removed row).
    public var firstFillDifference: String?
    public var differingFills: Int
    /// Lanes in one report and not the other.
    public var laneChanges: [String]
    public var identical: Bool

    /// Whether the check fails. Exact (no tolerances): any difference at all. With tolerances: a lane added
    /// or removed, or a metric outside its tolerance (metrics without one must not move); fills may differ.
    public var regressed: Bool {
        if identical { return false }
        guard tolerant else { return true }
        return !laneChanges.isEmpty || metricChanges.contains { !$0.withinTolerance }
    }

    var tolerant: Bool

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
    public static func compare(oldJSON: Data, newJSON: Data, oldFills: String, newFills: String,
                               tolerances: [String: Tolerance] = [:], oldName: String = "the old report.json",
                               newName: String = "the new report.json") throws -> RegressionComparison {
        let identical = oldJSON == newJSON && oldFills == newFills
        let old = try lanes(oldJSON, file: oldName), new = try lanes(newJSON, file: newName)
        var changes: [MetricChange] = []
        var laneChanges: [String] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            guard let a = old[key], let b = new[key] else {
                laneChanges.append(old[key] == nil ? "\(key) is new" : "\(key) is gone")
                continue
            }
            for metric in Set(a.keys).union(b.keys).sorted() where a[metric] != b[metric] {
                let (x, y) = (a[metric] ?? "–", b[metric] ?? "–")
                let within = tolerances[metric].map { t in
                    guard let dx = Double(x), let dy = Double(y) else { return false }
                    return t.allows(dx, dy)
                } ?? false
                changes.append(MetricChange(lane: key, metric: metric, old: x, new: y, withinTolerance: within))
            }
        }
        let (first, count) = fillDifferences(oldFills, newFills)
        return RegressionComparison(metricChanges: changes, firstFillDifference: first, differingFills: count,
                                    laneChanges: laneChanges, identical: identical, tolerant: !tolerances.isEmpty)
    }

    /// Metrics and account figures per lane (`agent` under `variant`), as their canonical text.
    static func lanes(_ json: Data, file: String) throws -> [String: [String: String]] {
        try ReportFiles.checkReport(json, file: file)
        guard let root = try? JSONSerialization.jsonObject(with: json) as? [String: Any], let agents = root["agents"] as? [[String: Any]] else {
            throw InputError(file: file, message: "not a Tapebench report.json (it has no agents)")
        }
        var result: [String: [String: String]] = [:]
        for agent in agents {
            let key = "\(agent["id"] as? String ?? "?") under \(agent["variant"] as? String ?? "seed")"
            var values: [String: String] = [:]
            for section in ["metrics", "account"] {
                for (name, value) in agent[section] as? [String: Any] ?? [:] {
                    if let number = value as? NSNumber { values[name] = "\(number)" } else if let text = value as? String { values[name] = text }
                }
            }
            result[key] = values
        }
        return result
    }

    /// The first differing row of two fills.csv files, in words, and how many rows differ.
    static func fillDifferences(_ old: String, _ new: String) -> (String?, Int) {
        let a = old.split(separator: "\n").dropFirst().map(String.init), b = new.split(separator: "\n").dropFirst().map(String.init)
        var first: String?
        var count = 0
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : nil, y = i < b.count ? b[i] : nil
            guard x != y else { continue }
            count += 1
            if first == nil { first = describe(x, y) }
        }
        return (first, count)
    }

    static func describe(_ old: String?, _ new: String?) -> String {
        // order_id,agent,variant,time,ticker,side,type,quantity,price,commission,slippage,rule
        func fields(_ row: String) -> [String] { row.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        switch (old.map(fields), new.map(fields)) {
        case let (a?, b?) where a.count >= 9 && b.count >= 9:
            if a[3] == b[3] && a[4] == b[4] {
                return "\(b[3]) \(b[4]) \(b[5]) (\(b[2])): \(a[7]) at \(a[8]) → \(b[7]) at \(b[8])"
            }
            return "\(a[3]) \(a[4]) \(a[5]) at \(a[8]) (\(a[2])) became \(b[3]) \(b[4]) \(b[5]) at \(b[8])"
        case let (a?, nil) where a.count >= 9: return "\(a[3]) \(a[4]) \(a[5]) at \(a[8]) (\(a[2])) is gone"
        case let (nil, b?) where b.count >= 9: return "\(b[3]) \(b[4]) \(b[5]) at \(b[8]) (\(b[2])) is new"
        default: return "a row differs"
        }
    }

    /// The diff in words, a line each.
    public var lines: [String] {
        if identical { return ["identical"] }
        var out = laneChanges
        for c in metricChanges {
            out.append("\(c.lane): \(c.metric) \(c.old) → \(c.new)\(c.withinTolerance ? " (within tolerance)" : "")")
        }
        if let first = firstFillDifference {
            out.append("first differing fill: \(first)" + (differingFills > 1 ? "; \(differingFills - 1) more fill rows differ" : ""))
        }
        if out.isEmpty { out.append("the reports differ in their text, not in metrics or fills") }
        return out
    }
}
