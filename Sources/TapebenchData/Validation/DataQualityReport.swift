import TapebenchCore

/// Everything validation found in a run's data, in memory that does not grow with the findings: per kind
/// its count, its action and the `keptPerKind` smallest findings in report order (kind, time, ticker,
/// origin; ties in the order found), which is all a run's reports use. Missing minutes and out-of-hours
/// bars come one per ticker and day, so a list of every finding grows with tickers × days; only
/// `data validate`, which prints them all, asks for it (`ValidationPolicy.keepsAllFindings`).
public struct DataQualityReport: Sendable, Equatable {
    /// Bars seen, and bars passed on after drops.
    public var barsSeen = 0
    public var barsKept = 0
    /// Bars repeated with identical values (REST pages that overlap): passed on once, not findings.
    public var identicalDuplicates = 0
    /// Findings of any kind so far.
    public private(set) var findingCount = 0
    public private(set) var hasErrors = false
    /// How many of each kind's smallest findings are kept: `examples(perKind:)` answers up to this limit.
    public let keptPerKind: Int
    /// One tally per kind, in `FindingKind.allCases` order.
    private(set) var tallies: [Tally]
    /// Every finding in report order, when asked for (nil otherwise).
    private var all: [Finding]?

    /// Markdown lists 5 examples per kind (`DataQualitySection.markdownExamples`), report.json
    /// `ValidationPolicy.examplesPerKind`: a stream keeps at least this many, whatever the policy says.
    public static let minimumKeptPerKind = 5

    struct Tally: Sendable, Equatable {
        var count = 0
        /// The action of the kind's first finding in report order (nil before one).
        var action: FindingAction?
        /// At most `keptPerKind` findings, ascending in report order.
        var smallest: [Ranked] = []
    }

    /// A finding and its place in the order found (its index in the concatenation of merged reports), the
    /// tie-break a stable sort of every finding would make.
    struct Ranked: Sendable, Equatable {
        var finding: Finding
        var sequence: Int

        static func precedes(_ a: Ranked, _ b: Ranked) -> Bool {
            precedes(a.finding.time, a.finding.ticker, a.finding.origin, a.sequence, b)
        }

        /// `precedes` for a finding given by its parts (one not made yet).
        @inline(__always)
        static func precedes(_ time: Timestamp, _ ticker: String, _ origin: Origin, _ sequence: Int, _ b: Ranked) -> Bool {
            let y = b.finding
            if time != y.time { return time < y.time }
            if ticker != y.ticker { return ticker < y.ticker }
            if origin != y.origin { return origin < y.origin }
            return sequence < b.sequence
        }
    }

    public init(keptPerKind: Int = ValidationPolicy().examplesPerKind, keepsAllFindings: Bool = false) {
        self.keptPerKind = max(keptPerKind, Self.minimumKeptPerKind)
        tallies = Array(repeating: Tally(), count: FindingKind.allCases.count)
        all = keepsAllFindings ? [] : nil
    }

    /// A report for a stream read under `policy`.
    public init(policy: ValidationPolicy) {
        self.init(keptPerKind: policy.examplesPerKind, keepsAllFindings: policy.keepsAllFindings)
    }

    /// Every finding in report order (kind, time, ticker, origin) once merged, in the order found in one
    /// stream's report. Only a report made with `keepsAllFindings` has them: asking any other is a bug.
    public var findings: [Finding] {
        guard let all else { preconditionFailure("DataQualityReport.findings needs ValidationPolicy.keepsAllFindings") }
        return all
    }

    public var keepsAllFindings: Bool { all != nil }
    public var isEmpty: Bool { findingCount == 0 }
    /// Findings of this kind so far.
    public func count(_ kind: FindingKind) -> Int { tallies[kind.index].count }

    mutating func add(_ finding: Finding) {
        insert(Ranked(finding: finding, sequence: findingCount))
        findingCount += 1
        if finding.action == .error { hasErrors = true }
        all?.append(finding)
    }

    /// `add`, with the detail written only when the finding is kept: most findings of a long run (a
    /// ticker-day's missing minutes) are only counted, and writing their text cost mallocs per ticker-day.
    /// Counts, order and kept findings are those `add` gives.
    mutating func add(kind: FindingKind, ticker: String, time: Timestamp, origin: Origin, action: FindingAction,
                      detail: () -> String) {
        let k = kind.index
        if all == nil, tallies[k].smallest.count == keptPerKind, let last = tallies[k].smallest.last,
           !Ranked.precedes(time, ticker, origin, findingCount, last) {
            // What `insert` does with a finding it does not keep: count it; its kind's kept list and action stay.
            tallies[k].count += 1
            findingCount += 1
            if action == .error { hasErrors = true }
            return
        }
        add(Finding(kind: kind, ticker: ticker, time: time, origin: origin, detail: detail(), action: action))
    }

    /// Counts `ranked` in its kind and keeps it if it is among the kind's smallest.
    private mutating func insert(_ ranked: Ranked) {
        let k = ranked.finding.kind.index
        tallies[k].count += 1
        keep(ranked, in: k)
    }

    /// Puts `ranked` in its place among kind `k`'s smallest, dropping the largest beyond the limit.
    private mutating func keep(_ ranked: Ranked, in k: Int) {
        var smallest = tallies[k].smallest
        tallies[k].smallest = []
        defer { tallies[k].smallest = smallest; tallies[k].action = smallest.first?.finding.action }
        if smallest.count == keptPerKind, let last = smallest.last, !Ranked.precedes(ranked, last) { return }
        // Binary search for the first kept finding that `ranked` precedes.
        var low = 0, high = smallest.count
        while low < high {
            let mid = (low + high) / 2
            if Ranked.precedes(ranked, smallest[mid]) { high = mid } else { low = mid + 1 }
        }
        smallest.insert(ranked, at: low)
        if smallest.count > keptPerKind { smallest.removeLast() }
    }

    /// Several streams' reports as one, as if every finding were sorted by kind, time, ticker and origin
    /// (ties in the order of `reports`, then found): counts add up, each kind keeps its smallest.
    public static func merged(_ reports: [DataQualityReport]) -> DataQualityReport {
        var result = DataQualityReport(keptPerKind: reports.map(\.keptPerKind).min() ?? ValidationPolicy().examplesPerKind,
                                       keepsAllFindings: !reports.isEmpty && reports.allSatisfy(\.keepsAllFindings))
        var offset = 0
        for r in reports {
            result.barsSeen += r.barsSeen
            result.barsKept += r.barsKept
            result.identicalDuplicates += r.identicalDuplicates
            result.hasErrors = result.hasErrors || r.hasErrors
            for k in r.tallies.indices {
                result.tallies[k].count += r.tallies[k].count
                for ranked in r.tallies[k].smallest { result.keep(Ranked(finding: ranked.finding, sequence: offset + ranked.sequence), in: k) }
            }
            offset += r.findingCount
            result.all? += r.all ?? []
        }
        result.findingCount = offset
        result.all?.sort { ($0.kind, $0.time, $0.ticker, $0.origin) < ($1.kind, $1.time, $1.ticker, $1.origin) }
        return result
    }

    /// Counts by kind and action, kinds in their fixed order.
    public var counts: [(kind: FindingKind, action: FindingAction, count: Int)] {
        zip(FindingKind.allCases, tallies).compactMap { kind, t in t.action.map { (kind, $0, t.count) } }
    }

    /// The first `limit` findings of each kind in report order, kinds in their fixed order. `limit` is at
    /// most `keptPerKind` (the rest were never kept).
    public func examples(perKind limit: Int) -> [Finding] {
        precondition(limit <= keptPerKind, "examples(perKind: \(limit)) from a report keeping \(keptPerKind) per kind")
        return tallies.flatMap { $0.smallest.prefix(limit).map(\.finding) }
    }

    /// Marks findings of these kinds as errors (after collecting them as kept).
    mutating func escalate(_ kinds: Set<FindingKind>) {
        guard !kinds.isEmpty else { return }
        for kind in kinds where tallies[kind.index].count > 0 {
            hasErrors = true
            tallies[kind.index].action = .error
            for i in tallies[kind.index].smallest.indices { tallies[kind.index].smallest[i].finding.action = .error }
        }
        all = all?.map { var f = $0; if kinds.contains(f.kind) { f.action = .error }; return f }
    }
}

extension FindingKind {
    /// Its place in `allCases`, the order reports list kinds in.
    var index: Int { FindingKind.ordered.firstIndex(of: self)! }
    private static let ordered = FindingKind.allCases
}
