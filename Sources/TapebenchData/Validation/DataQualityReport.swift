import TapebenchCore

/// Everything validation found in a run's data.
public struct DataQualityReport: Sendable {
    /// Every finding, in the order found. Missing minutes and out-of-hours bars come one per ticker and day.
    public private(set) var findings: [Finding] = []
    /// Bars seen, and bars passed on after drops.
    public var barsSeen = 0
    public var barsKept = 0
    /// Bars repeated with identical values (REST pages that overlap): passed on once, not findings.
    public var identicalDuplicates = 0

    public init() {}

    mutating func add(_ finding: Finding) { findings.append(finding) }
    mutating func replaceFindings(_ new: [Finding]) { findings = new }

    /// Several streams' reports as one, findings ordered by kind, time, ticker and origin.
    public static func merged(_ reports: [DataQualityReport]) -> DataQualityReport {
        var result = DataQualityReport()
        for r in reports {
            result.findings += r.findings
            result.barsSeen += r.barsSeen
            result.barsKept += r.barsKept
            result.identicalDuplicates += r.identicalDuplicates
        }
        result.findings.sort { ($0.kind, $0.time, $0.ticker, $0.origin) < ($1.kind, $1.time, $1.ticker, $1.origin) }
        return result
    }

    /// Counts by kind and action, kinds in their fixed order.
    public var counts: [(kind: FindingKind, action: FindingAction, count: Int)] {
        var table: [FindingKind: (FindingAction, Int)] = [:]
        for f in findings { table[f.kind, default: (f.action, 0)].1 += 1 }
        return table.keys.sorted().map { ($0, table[$0]!.0, table[$0]!.1) }
    }

    public var hasErrors: Bool { findings.contains { $0.action == .error } }

    /// The first `limit` findings of each kind, kinds in their fixed order.
    public func examples(perKind limit: Int) -> [Finding] {
        var taken: [FindingKind: Int] = [:]
        var result: [Finding] = []
        for f in findings where taken[f.kind, default: 0] < limit {
            taken[f.kind, default: 0] += 1
            result.append(f)
        }
        return result.sorted { ($0.kind, $0.time, $0.ticker) < ($1.kind, $1.time, $1.ticker) }
    }
}
