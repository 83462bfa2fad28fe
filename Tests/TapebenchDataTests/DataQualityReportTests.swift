import Testing
import TapebenchCore
@testable import TapebenchData

/// The report as it was, over a list of every finding: the streams' lists concatenated and sorted stably
/// by kind, time, ticker and origin; a kind's action is its first finding's; examples are the first
/// `limit` of each kind. The bounded report must answer exactly this.
private struct FullListReport {
    var findings: [Finding]

    init(streams: [[Finding]]) {
        // Stable by construction: ties keep their place in the concatenation.
        findings = streams.flatMap { $0 }.enumerated().sorted {
            let (a, b) = ($0.element, $1.element)
            if (a.kind, a.time, a.ticker, a.origin) != (b.kind, b.time, b.ticker, b.origin) {
                return (a.kind, a.time, a.ticker, a.origin) < (b.kind, b.time, b.ticker, b.origin)
            }
            return $0.offset < $1.offset
        }.map(\.element)
    }

    var counts: [String] {
        FindingKind.allCases.compactMap { kind in
            let of = findings.filter { $0.kind == kind }
            return of.first.map { "\(kind.rawValue) \($0.action.rawValue) \(of.count)" }
        }
    }

    func examples(perKind limit: Int) -> [Finding] {
        FindingKind.allCases.flatMap { kind in findings.filter { $0.kind == kind }.prefix(limit) }
    }
}

private func counts(_ report: DataQualityReport) -> [String] {
    report.counts.map { "\($0.kind.rawValue) \($0.action.rawValue) \($0.count)" }
}

private func report(_ findings: [Finding], keptPerKind: Int, keepsAll: Bool = false) -> DataQualityReport {
    var report = DataQualityReport(keptPerKind: keptPerKind, keepsAllFindings: keepsAll)
    for f in findings { report.add(f) }
    return report
}

private func finding(_ kind: FindingKind, _ time: Int64, _ ticker: String, _ detail: String = "", _ action: FindingAction = .keep,
                     file: String = "f.csv", line: Int? = nil) -> Finding {
    Finding(kind: kind, ticker: ticker, time: Timestamp(seconds: time), origin: Origin(file: file, line: line), detail: detail, action: action)
}

@Suite struct DataQualityReportTests {
    /// Findings from small value ranges, so that many tie on kind, time, ticker and origin (told apart by
    /// their detail), with mixed actions, in random order.
    static func randomStream(_ rng: inout SplitMix64, index: Int) -> [Finding] {
        let kinds: [FindingKind] = [.outOfOrder, .zeroVolume, .missingMinutes, .outOfHours]
        let actions: [FindingAction] = [.keep, .drop, .error]
        let count = Int(rng.next() % 80)
        return (0..<count).map { n in
            let line = rng.next() % 4
            return finding(kinds[Int(rng.next() % 4)], Int64(rng.next() % 6), ["A", "B", "C"][Int(rng.next() % 3)],
                           "stream \(index) #\(n)", rng.next() % 10 == 0 ? actions[Int(rng.next() % 3)] : .keep,
                           file: ["f1.csv", "f2.csv"][Int(rng.next() % 2)], line: line == 0 ? nil : Int(line))
        }
    }

    @Test("bounded reports merged give the counts, error flag and examples of every finding sorted", arguments: 0..<40)
    func randomStreams(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let streams = (0..<(1 + Int(rng.next() % 4))).map { Self.randomStream(&rng, index: $0) }
        let kept = 5 + Int(rng.next() % 4)
        let expected = FullListReport(streams: streams)
        let bounded = DataQualityReport.merged(streams.map { report($0, keptPerKind: kept) })
        let full = DataQualityReport.merged(streams.map { report($0, keptPerKind: kept, keepsAll: true) })
        #expect(!bounded.keepsAllFindings)
        #expect(full.findings == expected.findings)
        for merged in [bounded, full] {
            #expect(counts(merged) == expected.counts)
            #expect(merged.findingCount == expected.findings.count && merged.isEmpty == expected.findings.isEmpty)
            #expect(merged.hasErrors == expected.findings.contains { $0.action == .error })
            for limit in 1...kept { #expect(merged.examples(perKind: limit) == expected.examples(perKind: limit)) }
        }
        // Merged in two steps (the first two streams, then the rest): the same report.
        if streams.count > 2 {
            let twoStep = DataQualityReport.merged([DataQualityReport.merged(streams.prefix(2).map { report($0, keptPerKind: kept) })]
                                                   + streams.dropFirst(2).map { report($0, keptPerKind: kept) })
            #expect(twoStep == bounded)
        }
    }

    @Test("ties on kind, time, ticker and origin keep the order found: streams in order, then arrival")
    func ties() {
        let a = (0..<4).map { finding(.zeroVolume, 60, "AAPL", "a\($0)", $0 == 0 ? .drop : .keep, line: 2) }
        let b = (0..<4).map { finding(.zeroVolume, 60, "AAPL", "b\($0)", .error, line: 2) }
        // A later, smaller finding goes first whatever the tie-break.
        let early = finding(.zeroVolume, 59, "ZZZ", "early", line: 9)
        let merged = DataQualityReport.merged([report(a, keptPerKind: 5), report(b + [early], keptPerKind: 5)])
        #expect(merged.examples(perKind: 5).map(\.detail) == ["early", "a0", "a1", "a2", "a3"])
        #expect(counts(merged) == ["zero_volume keep 9"])
        #expect(merged.hasErrors)
        let reversed = DataQualityReport.merged([report(b, keptPerKind: 5), report(a, keptPerKind: 5)])
        #expect(reversed.examples(perKind: 5).map(\.detail) == ["b0", "b1", "b2", "b3", "a0"])
        #expect(counts(reversed) == ["zero_volume error 8"])
    }

    @Test("each kind keeps its N smallest: a smaller late finding displaces the largest; N is at least 5")
    func limit() {
        var one = DataQualityReport(keptPerKind: 2)
        #expect(one.keptPerKind == DataQualityReport.minimumKeptPerKind)
        for t in [50, 40, 30, 20, 10, 60, 5] as [Int64] { one.add(finding(.halt, t, "X", "\(t)")) }
        one.add(finding(.badTick, 1, "X", "tick"))
        #expect(one.examples(perKind: 5).map(\.detail) == ["tick", "5", "10", "20", "30", "40"])
        #expect(one.examples(perKind: 1).map(\.detail) == ["tick", "5"])
        #expect(counts(one) == ["bad_tick keep 1", "halt keep 7"])
        // Merging reports that keep different numbers keeps the smaller number.
        let wide = report((0..<30).map { finding(.halt, Int64($0), "Y", "\($0)") }, keptPerKind: 20)
        let merged = DataQualityReport.merged([wide, one])
        #expect(merged.keptPerKind == 5)
        #expect(merged.examples(perKind: 5).map(\.detail) == ["tick", "0", "1", "2", "3", "4"])
        #expect(merged.count(.halt) == 37 && merged.findingCount == 38)
    }

    @Test("a finding added with its detail written on demand gives the report add gives; the detail is written only when kept",
          arguments: 0..<20)
    func detailOnDemand(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let findings = Self.randomStream(&rng, index: 0) + Self.randomStream(&rng, index: 1)
        for keepsAll in [false, true] {
            let eager = report(findings, keptPerKind: 5, keepsAll: keepsAll)
            var lazy = DataQualityReport(keptPerKind: 5, keepsAllFindings: keepsAll)
            var written = 0
            for f in findings {
                lazy.add(kind: f.kind, ticker: f.ticker, time: f.time, origin: f.origin, action: f.action) { written += 1; return f.detail }
            }
            #expect(lazy == eager)
            // Every finding is written when all are kept; else those that enter their kind's kept list: fewer
            // than 5 earlier findings of the kind come before or tie with it on (time, ticker, origin).
            let entering = findings.indices.filter { i in
                let f = findings[i]
                return findings[..<i].filter { $0.kind == f.kind && ($0.time, $0.ticker, $0.origin) <= (f.time, f.ticker, f.origin) }.count < 5
            }.count
            #expect(written == (keepsAll ? findings.count : entering))
        }
        // By hand: five kept (times 10…50); a later 60 is only counted, a later 5 displaces 50 and is written.
        var hand = DataQualityReport(keptPerKind: 5)
        var texts: [String] = []
        for t in [10, 20, 30, 40, 50, 60, 5] as [Int64] {
            hand.add(kind: .halt, ticker: "X", time: Timestamp(seconds: t), origin: Origin(file: "f"), action: .keep) { texts.append("\(t)"); return "\(t)" }
        }
        #expect(texts == ["10", "20", "30", "40", "50", "5"])
        #expect(hand.examples(perKind: 5).map(\.detail) == ["5", "10", "20", "30", "40"])
        #expect(hand.count(.halt) == 7 && hand.findingCount == 7 && !hand.hasErrors)
        hand.add(kind: .halt, ticker: "X", time: Timestamp(seconds: 99), origin: Origin(file: "f"), action: .error) { "late" }
        #expect(hand.hasErrors && hand.count(.halt) == 8 && hand.examples(perKind: 5).map(\.action) == Array(repeating: .keep, count: 5))
    }

    @Test("a long stream keeps N per kind, not the findings")
    func bounded() {
        var report = DataQualityReport()
        for day in 0..<20_000 { report.add(finding(.missingMinutes, Int64(20_000 - day), "T\(day % 7)", "\(day)")) }
        #expect(report.tallies.map(\.smallest.count).max() == 20)
        #expect(report.examples(perKind: 20).map(\.detail).first == "19999")
        #expect(report.count(.missingMinutes) == 20_000 && !report.keepsAllFindings)
    }

    @Test("escalating a kind makes its count, examples and the report errors; other kinds stay")
    func escalate() {
        var report = report([finding(.halt, 1, "A"), finding(.zeroVolume, 2, "A"), finding(.halt, 3, "A")], keptPerKind: 5, keepsAll: true)
        #expect(!report.hasErrors)
        report.escalate([.halt, .badTick])
        #expect(report.hasErrors)
        #expect(counts(report) == ["zero_volume keep 1", "halt error 2"])
        #expect(report.examples(perKind: 5).map(\.action) == [.keep, .error, .error])
        #expect(report.findings.map(\.action) == [.error, .keep, .error])
    }
}
