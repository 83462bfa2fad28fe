import Foundation
import TapebenchCore

/// A check cut into shards: each scenario is an item (key: its file as given; cost: its data bytes × lanes);
/// a shard hands `merge` what one machine would have gathered for its scenarios (`check-results.json`):
/// the JUnit cases and summary row of each, and whether it regressed or failed.
public enum CheckShard {
    public static let resultsName = "check-results.json"

    public struct Outcome: Codable, Sendable {
        /// The scenario's index among all of the check's scenarios.
        public var item: Int
        public var cases: [JUnitReport.Case]
        public var rows: [CheckSummary.Row]
        public var regression: Bool
        public var error: Bool

        public init(item: Int, cases: [JUnitReport.Case], rows: [CheckSummary.Row], regression: Bool, error: Bool) {
            (self.item, self.cases, self.rows, self.regression, self.error) = (item, cases, rows, regression, error)
        }
    }

    public static func renderResults(_ outcomes: [Outcome]) throws -> String {
        try ShardJSON.encode(outcomes)
    }

    public static func readResults(folder: String, ran: Set<Int>) throws -> [Outcome] {
        let path = folder + "/" + resultsName
        let outcomes: [Outcome] = try ShardJSON.decode(path)
        guard Set(outcomes.map(\.item)) == ran, outcomes.count == ran.count else {
            throw InputError(file: path, message: "its scenarios are not the ones shard.json says this shard ran")
        }
        return outcomes
    }

    /// What `check` prints last and exits with, from all scenarios' outcomes.
    public struct Totals: Sendable, Equatable {
        public var scenarios: Int
        public var regressions: Int
        public var errors: Int

        public var line: String { "\(scenarios) scenario(s): \(regressions) regression(s), \(errors) error(s)" }
        public var exitCode: Int32 { errors > 0 ? 2 : regressions > 0 ? 1 : 0 }
    }

    public static func totals(_ outcomes: [Outcome], scenarios: Int) -> Totals {
        Totals(scenarios: scenarios, regressions: outcomes.filter(\.regression).count, errors: outcomes.filter(\.error).count)
    }
}
