/// The Markdown a CI page shows for `tapebench check --summary`: one short table row per scenario (its
/// result and a count of what moved), then for each scenario that changed a folded list of the changes,
/// one per line, so that no table cell grows thousands of characters wide.
public enum CheckSummary {
    public struct Row: Sendable, Codable {
        public var scenario: String
        public var result: String
        /// What moved, a line each (headline metrics first).
        public var changes: [String]
        /// The table cell: e.g. "2 headline and 9 derived metrics moved; 14 fills differ".
        public var brief: String

        public init(scenario: String, result: String, changes: [String] = []) {
            self.scenario = scenario
            self.result = result
            self.changes = changes
            brief = changes.first ?? ""
        }

        public init(scenario: String, result: String, comparison: RegressionComparison) {
            self.init(scenario: scenario, result: result, changes: comparison.identical ? [] : comparison.lines)
            brief = Self.brief(comparison)
        }

        static func brief(_ comparison: RegressionComparison) -> String {
            if comparison.identical { return "" }
            var parts: [String] = []
            if comparison.scenarioChange != nil { parts.append("scenario file changed") }
            if !comparison.laneChanges.isEmpty { parts.append("\(comparison.laneChanges.count) lane(s) added or gone") }
            let headline = comparison.metricChanges.filter(\.headline).count
            let derived = comparison.metricChanges.count - headline
            if headline + derived > 0 { parts.append("\(headline) headline and \(derived) derived metric change(s)") }
            if comparison.fills.differing > 0 { parts.append("\(comparison.fills.differing) fill(s) differ") }
            return parts.isEmpty ? "report text differs" : parts.joined(separator: "; ")
        }
    }

    public static func markdown(_ rows: [Row]) -> String {
        var out = "## tapebench check\n\n"
        out += Table(header: ["scenario", "result", "what changed"], rows: rows.map { [$0.scenario, $0.result, $0.brief] },
                     leftAligned: [0, 1, 2]).markdown()
        for row in rows where !row.changes.isEmpty {
            out += "\n<details><summary>\(MarkdownText.inline(row.scenario)): \(row.changes.count) line(s)</summary>\n\n"
            for change in row.changes { out += "- \(MarkdownText.inline(change))\n" }
            out += "\n</details>\n"
        }
        return out
    }
}
