import Testing
import TapebenchCore
import TapebenchData

/// 2024-03-11 09:30 EDT.
let open0930 = Timestamp(seconds: 1_710_163_800)

func minute(_ m: Int64, _ o: String, _ h: String? = nil, _ l: String? = nil, _ c: String? = nil, volume: Double = 100, ticker: String = "AAPL") -> Bar {
    let open = Fixed(parsing: o)!
    let close = Fixed(parsing: c ?? o)!
    return Bar(ticker: ticker, start: open0930.adding(minutes: m), open: open, high: h.flatMap { Fixed(parsing: $0) } ?? max(open, close),
               low: l.flatMap { Fixed(parsing: $0) } ?? min(open, close), close: close, volume: volume)
}

/// Runs bars through a validator; returns the bars passed on and the report.
func validate(_ bars: [Bar], policy: ValidationPolicy = ValidationPolicy()) throws -> ([Bar], DataQualityReport) {
    var policy = policy
    policy.keepsAllFindings = true  // the tests look at every finding, in the order found
    var validator = Validator(policy: policy)
    var kept: [Bar] = []
    for (i, bar) in bars.enumerated() { try validator.observe(bar, origin: Origin(file: "f.csv", line: i + 2)) { kept.append($0) } }
    try validator.flush { kept.append($0) }
    return (kept, validator.report)
}

@Suite struct ValidatorTests {
    func kinds(_ report: DataQualityReport) -> [FindingKind] { report.findings.map(\.kind).filter { $0 != .missingMinutes } }

    @Test("clean bars pass through unchanged and in order")
    func clean() throws {
        let bars = (0..<5).map { minute(Int64($0), "10.00") }
        let (kept, report) = try validate(bars)
        #expect(kept == bars)
        #expect(kinds(report).isEmpty)
        #expect(report.findings.first { $0.kind == .missingMinutes }?.detail == "385 of 390 regular-session minutes have no bar on 2024-03-11")
    }

    @Test("a validator copied halfway goes on independently of the original (its per-ticker states are copied on write)")
    func copiedHalfway() throws {
        // Two tickers, a bad tick held back at the cut: each copy judges it by the bar it is given next.
        let first = [minute(0, "10.00"), minute(0, "20.00", ticker: "MSFT"), minute(1, "10.00"), minute(2, "10.00", "30.00", "9.90", "30.00")]
        let calm = [minute(3, "10.00"), minute(1, "20.00", ticker: "MSFT")]
        let jumpy = [minute(3, "30.00"), minute(1, "20.00", ticker: "MSFT"), minute(4, "30.00", ticker: "NVDA")]
        var policy = ValidationPolicy()
        policy.keepsAllFindings = true
        var original = Validator(policy: policy)
        var keptBefore: [Bar] = []
        for (i, bar) in first.enumerated() { try original.observe(bar, origin: Origin(file: "f.csv", line: i + 2)) { keptBefore.append($0) } }
        var copy = original
        func finish(_ validator: inout Validator, _ bars: [Bar]) throws -> [Bar] {
            var kept: [Bar] = []
            for (i, bar) in bars.enumerated() { try validator.observe(bar, origin: Origin(file: "f.csv", line: first.count + i + 2)) { kept.append($0) } }
            try validator.flush { kept.append($0) }
            return kept
        }
        let keptByCopy = try finish(&copy, jumpy)
        let keptByOriginal = try finish(&original, calm)
        // Each as if it had been alone from the start.
        let (aloneCalm, reportCalm) = try validate(first + calm)
        let (aloneJumpy, reportJumpy) = try validate(first + jumpy)
        #expect(keptBefore + keptByOriginal == aloneCalm)
        #expect(keptBefore + keptByCopy == aloneJumpy)
        #expect(original.report.findings.map(\.kind) == reportCalm.findings.map(\.kind))
        #expect(copy.report.findings.map(\.kind) == reportJumpy.findings.map(\.kind))
        #expect(reportCalm.findings.contains { $0.kind == .badTick } && !reportJumpy.findings.contains { $0.kind == .badTick })
    }

    @Test("bad OHLC is dropped and reported with its line")
    func badOHLC() throws {
        let bad = Bar(ticker: "AAPL", start: open0930.adding(minutes: 1), open: Fixed(10), high: Fixed(9), low: Fixed(8), close: Fixed(10), volume: 1)
        let (kept, report) = try validate([minute(0, "10.00"), bad, minute(2, "10.00")])
        #expect(kept.count == 2)
        let finding = try #require(report.findings.first { $0.kind == .badOHLC })
        #expect(finding.action == .drop)
        #expect(finding.origin.description == "f.csv:3")
    }

    @Test("non-positive prices and negative volume are dropped; zero volume is kept and reported")
    func pricesAndVolume() throws {
        let zeroPrice = Bar(ticker: "AAPL", start: open0930.adding(minutes: 1), open: .zero, high: Fixed(10), low: .zero, close: Fixed(10), volume: 1)
        let (kept, report) = try validate([minute(0, "10.00"), zeroPrice, minute(2, "10.00", volume: -5), minute(3, "10.00", volume: 0)])
        #expect(kept.map(\.start) == [open0930, open0930.adding(minutes: 3)])
        #expect(kinds(report) == [.nonPositivePrice, .negativeVolume, .zeroVolume])
    }

    @Test("out of order stops under the default policy, naming file and line")
    func outOfOrder() throws {
        #expect {
            try validate([minute(0, "10.00"), minute(2, "10.00"), minute(1, "10.00")])
        } throws: { error in
            "\(error)".hasPrefix("f.csv:4: out_of_order (a bar starts before the previous bar of its ticker in the same source): AAPL at 2024-03-11T13:31:00Z")
        }
    }

    @Test("duplicates: identical repeats are passed on once; different values keep the first")
    func duplicates() throws {
        let (kept, report) = try validate([minute(0, "10.00"), minute(0, "10.00"), minute(0, "10.50"), minute(1, "10.00")])
        #expect(kept.map(\.close) == [Fixed(10), Fixed(10)])
        #expect(report.identicalDuplicates == 1)
        #expect(kinds(report) == [.duplicateConflict])
    }

    @Test("a print 20 % off that returns is a bad tick; a move that stays is not")
    func badTick() throws {
        let spike = [minute(0, "10.00"), minute(1, "10.00", "12.00", "10.00", "12.00"), minute(2, "10.01")]
        let (kept, report) = try validate(spike)
        #expect(kept.count == 2)
        #expect(report.findings.first { $0.kind == .badTick }?.detail == "moves 2000 bp from the previous close 10.00 and the next bar opens at 10.01")
        let jump = [minute(0, "10.00"), minute(1, "10.00", "12.00", "10.00", "12.00"), minute(2, "12.01")]
        #expect(try validate(jump).0.count == 3)
        var lenient = ValidationPolicy()
        lenient.badTickBasisPoints = 2_500
        #expect(try validate(spike, policy: lenient).0.count == 3)
    }

    @Test("a long gap mid-session is a halt (kept); short gaps are only missing minutes")
    func halt() throws {
        let (kept, report) = try validate([minute(0, "10.00"), minute(3, "10.00"), minute(20, "10.00")])
        #expect(kept.count == 3)
        #expect(report.findings.filter { $0.kind == .halt }.map(\.detail) == ["no bar for 16 minutes before 2024-03-11T13:50:00Z"])
    }

    @Test("bars outside the session are summarized per ticker and day")
    func outOfHours() throws {
        let (_, report) = try validate([minute(-60, "10.00"), minute(-59, "10.00"), minute(0, "10.00"), minute(400, "10.00")])
        let finding = try #require(report.findings.first { $0.kind == .outOfHours })
        #expect(finding.detail == "3 bars outside the regular session on 2024-03-11")
        #expect(finding.action == .keep)
    }

    @Test("each action applies: error stops, drop removes, keep passes")
    func actions() throws {
        let bars = [minute(0, "10.00"), minute(1, "10.00", volume: 0), minute(2, "10.00")]
        var policy = ValidationPolicy()
        policy.actions[.zeroVolume] = .drop
        #expect(try validate(bars, policy: policy).0.count == 2)
        policy.actions[.zeroVolume] = .error
        #expect(throws: InputError.self) { try validate(bars, policy: policy) }
        policy.actions[.zeroVolume] = .keep
        #expect(try validate(bars, policy: policy).0.count == 3)
    }

    @Test("real data: the BAC after-hours print of 2013-10-07 is a bad tick at 2 %", .enabled(if: SharedData.available, SharedData.skipReason))
    func realBadTick() throws {
        var policy = ValidationPolicy()
        policy.badTickBasisPoints = 200
        let report = try DataValidation.validate(paths: [SharedData.path("real/rest/BAC")], hints: DialectHints(), policy: policy)
        let ticks = report.findings.filter { $0.kind == .badTick }
        #expect(ticks.map(\.time.iso8601) == ["2013-10-07T21:07:00Z"])  // 17:07 EDT, 14.12 between 13.81 and 13.80
    }

    @Test("real data: the truncated TWX day and the thin SHY days show their missing minutes", .enabled(if: SharedData.available, SharedData.skipReason))
    func realGaps() throws {
        let report = try DataValidation.validate(paths: [SharedData.path("real/flatfiles")], hints: DialectHints(), policy: ValidationPolicy())
        let missing = report.findings.filter { $0.kind == .missingMinutes }.map { "\($0.ticker) \($0.detail)" }
        #expect(missing.contains("TWX 384 of 390 regular-session minutes have no bar on 2014-06-23"))
        #expect(missing.contains("SHY 57 of 390 regular-session minutes have no bar on 2008-03-07"))
        #expect(missing.contains("SHY 77 of 390 regular-session minutes have no bar on 2008-03-10"))
        #expect(!report.hasErrors)
    }
}
