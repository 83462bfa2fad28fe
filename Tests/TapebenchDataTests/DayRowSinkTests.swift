import Foundation
import Testing
import TapebenchCore
@testable import TapebenchData

/// The day stream reads its rows through a sink of its own (`DayRowSink`: ids looked up once per run of a
/// ticker's rows, the bar the validator passes on returned, not emitted through a closure). Differential: over
/// seeded random day files it gives what the reader's closure path and a `Validator` of `Bar`s give — the same
/// bars in replay order, the same ticker ids, the same findings.
@Suite struct DayRowSinkTests {
    static let names = ["AAA", "BB", "CCCC", "D", "EEEEEEEE", "FF", "GGG", "ZZZ"]
    static let firstDate = CivilDate(year: 2024, month: 3, day: 4)

    /// Day files of random rows: runs of tickers (a ticker may come back after another), minutes mostly rising,
    /// with repeats, steps back, bad prices, zero and negative volumes, spikes, rows only the general path
    /// reads, and (in the last file) a ticker whose rows all fall on the next date. Every fifth file has no rows.
    static func files(seed: UInt64, in folder: String) throws -> [String] {
        var rng = SplitMix64(seed: seed)
        var paths: [String] = []
        for d in 0..<5 {
            let date = firstDate.adding(days: Int64(d))
            let path = folder + "/\(date).csv"
            var text = "ticker,volume,open,close,high,low,window_start,transactions\n"
            let open = LocalDateTime(date: date, nanosecondOfDay: 9 * 3_600_000_000_000 + 30 * 60_000_000_000, utcOffsetSeconds: nil,
                                     hasTime: true).instant(in: .exchange).nanoseconds
            if (seed + UInt64(d)) % 5 != 0 {
                for _ in 0..<(3 + Int(rng.next() % 6)) {
                    let name = names[Int(rng.next() % UInt64(names.count - 1))]
                    var minute = Int64(rng.next() % 400) - 20
                    var close = 100 + Int64(rng.next() % 100)
                    for _ in 0..<Int(1 + rng.next() % 40) {
                        var (o, c) = (close, close + Int64(rng.next() % 5) - 2)
                        var (h, l) = (max(o, c) + Int64(rng.next() % 3), min(o, c) - Int64(rng.next() % 3))
                        var volume = "\(1 + rng.next() % 900)"
                        switch rng.next() % 40 {
                        case 0: h = l - 1                         // bad OHLC
                        case 1: volume = "0"                      // zero volume
                        case 2: volume = "-3"                     // negative volume (the general path)
                        case 3: (o, c, h, l) = (o * 2, c * 2, h * 2, l * 2)  // a spike (bad tick)
                        case 4: volume = "12.5"                   // a decimal volume
                        default: break
                        }
                        let start = open + minute * 60_000_000_000
                        let trades = rng.next() % 7 == 0 ? "" : "\(rng.next() % 50)"
                        text += "\(name),\(volume),\(o).\(rng.next() % 10)0,\(c).25,\(h).5,\(l),\(start),\(trades)\n"
                        close = c
                        switch rng.next() % 25 {
                        case 0: break              // the same minute again
                        case 1: minute -= 2        // a step back
                        default: minute += 1 + Int64(rng.next() % 4)
                        }
                    }
                }
                if d == 4 {
                    for k in 0..<3 { text += "ZZZ,10,5.0,5.0,5.0,5.0,\(open + 86_400_000_000_000 + Int64(k) * 60_000_000_000),1\n" }
                }
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        return paths
    }

    static var policy: ValidationPolicy {
        var policy = ValidationPolicy()
        policy.actions[.outOfOrder] = .keep
        policy.actions[.noBars] = .keep
        policy.keepsAllFindings = true
        return policy
    }

    /// The reference: each file's rows through `forEachBar` (the reader's closure path), those of the selected
    /// dates given ids in the order met and checked by a `Validator`, the bars it passes on put in replay order
    /// by a stable sort of (start, name).
    static func reference(_ files: [String], _ selection: DataSelection) throws -> (bars: [Bar], ids: [TickerID], quality: DataQualityReport) {
        var validator = Validator(policy: policy, calendar: selection.calendar)
        var table = selection.tickerTable
        var days = SessionCache(calendar: selection.calendar)
        var out: [Bar] = []
        for file in files {
            var passed: [Bar] = []
            let rows = try PolygonFlatFileReader.forEachBar(path: file, tickers: selection.tickers) { bar, line in
                guard selection.contains(date: days.local(bar.start).date) else { return }
                _ = table.id(for: bar.ticker)
                try validator.observe(bar, origin: Origin(file: file, line: line)) { passed.append($0) }
            }
            if rows == 0 {
                let date = Dataset.flatFileCivilDate(String(file.split(separator: "/").last!))!
                let midnight = LocalDateTime(date: date, nanosecondOfDay: 0, utcOffsetSeconds: nil, hasTime: false).instant(in: .exchange)
                try validator.noBars(origin: Origin(file: file, line: 2), time: midnight, detail: "the flat file has a header and no bar rows")
            }
            try validator.flush { passed.append($0) }
            let order = passed.indices.sorted { (passed[$0].start, passed[$0].ticker, $0) < (passed[$1].start, passed[$1].ticker, $1) }
            out += order.map { passed[$0] }
        }
        return (out, out.map { table.id(for: $0.ticker)! }, validator.report)
    }

    @Test("the day stream's sink reads as the closure path and a Validator of Bars do",
          arguments: [(nil, nil, nil), (Set(["BB", "D", "FF", "ZZZ"]), nil, nil), (nil, 1, 3), (Set(["AAA", "CCCC", "ZZZ"]), 2, 4)] as [(Set<String>?, Int?, Int?)])
    func sameAsReference(tickers: Set<String>?, from: Int?, to: Int?) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let selection = DataSelection(tickers: tickers, from: from.map { Self.firstDate.adding(days: Int64($0)) },
                                      to: to.map { Self.firstDate.adding(days: Int64($0)) })
        var seen = 0
        for seed in 1...24 as ClosedRange<UInt64> {
            let files = try Self.files(seed: seed, in: folder)
            let expected = try Self.reference(files, selection)
            var stream = FlatFileDayStream(files: files, selection: selection, policy: Self.policy)
            var bars: [Bar] = []
            while let bar = try stream.next() { bars.append(bar) }
            #expect(bars == expected.bars, "seed \(seed)")
            #expect(bars.map(\.ticker) == expected.bars.map(\.ticker), "seed \(seed)")
            #expect(bars.map(\.tickerID) == expected.ids, "seed \(seed)")
            #expect(stream.quality == expected.quality, "seed \(seed)")
            seen += bars.count
        }
        #expect(seen > 1_000)
    }
}
