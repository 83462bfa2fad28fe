import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// Real samples with random damage (bytes flipped, lines cut, the file truncated): every reader either
/// reads them or throws an `InputError` naming the file. A crash or a hang fails the suite.
@Suite(.enabled(if: SharedData.available, SharedData.skipReason))
struct MutationFuzzTests {
    static let samples = [
        "real/csv-iso/GOOG.csv",
        "csv-dialects/lean_spy_10min_mdy-ampm.csv",
        "csv-dialects/backtrader_2006-min-005_date-time-split_sample.csv",
        "csv-dialects/nautilus_6EH4-XCME_1min_semicolon.csv",
        "csv-dialects/nautilus_ADABTC-1m_binance-kline_noheader-epoch-ms.csv",
        "real/rest/TWX/TWX_1_minute_2014-06-23.json",
        "real/rest-paged/SPY_2013-10-07/page-003.json",
    ]

    /// Damage one copy of `bytes` deterministically from `seed`.
    static func mutate(_ bytes: [UInt8], seed: UInt64) -> [UInt8] {
        var rng = Xoshiro256(seed: seed)
        var copy = bytes
        switch rng.next() % 4 {
        case 0:  // flip a few bytes to random values
            for _ in 0..<(1 + rng.next() % 8) { copy[Int(rng.next() % UInt64(copy.count))] = UInt8(truncatingIfNeeded: rng.next()) }
        case 1:  // truncate anywhere
            copy = Array(copy.prefix(Int(rng.next() % UInt64(copy.count))))
        case 2:  // delete a run of bytes
            let start = Int(rng.next() % UInt64(copy.count))
            copy.removeSubrange(start..<min(copy.count, start + Int(rng.next() % 40)))
        default:  // insert separators and junk
            let at = Int(rng.next() % UInt64(copy.count))
            copy.insert(contentsOf: Array([",", ";", "\n", "-", "e", "9", "\"", "\u{0}"].shuffled(using: &rng).joined().utf8), at: at)
        }
        return copy
    }

    @Test("damaged samples are read or rejected with a located error", arguments: samples)
    func damaged(sample: String) throws {
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: SharedData.path(sample))))
        let folder = try temporaryFolder()
        let name = (sample as NSString).lastPathComponent
        var rejected = 0
        for seed in 0..<60 {
            let path = "\(folder)/\(seed)-\(name)"
            try Data(Self.mutate(original, seed: UInt64(seed) &* 7919 &+ StableHash.fnv1a64(sample))).write(to: URL(fileURLWithPath: path))
            do {
                if name.hasSuffix(".json") {
                    _ = try PolygonRestReader.readPage(path: path)
                } else {
                    try CSVReader.read(path: path, hints: DialectHints()) { _, _ in }
                }
            } catch let error as InputError {
                rejected += 1
                #expect(error.file.hasPrefix(path), "\(error)")
            }
        }
        #expect(rejected > 0, "no damage was noticed at all: the mutations are not reaching the parser")
    }

    @Test("damaged gzip flat files are rejected or read, never crash")
    func damagedGzip() throws {
        let source = SharedData.path("real/flatfiles/us_stocks_sip/minute_aggs_v1/2013/10/2013-10-08.csv.gz")
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: source)))
        let folder = try temporaryFolder()
        for seed in 0..<40 {
            let path = "\(folder)/\(seed)/2013-10-08.csv.gz"
            try FileManager.default.createDirectory(atPath: "\(folder)/\(seed)", withIntermediateDirectories: true)
            try Data(Self.mutate(original, seed: UInt64(seed))).write(to: URL(fileURLWithPath: path))
            do {
                try PolygonFlatFileReader.forEachBar(path: path, tickers: nil) { _, _ in }
            } catch let error as InputError {
                #expect(error.file == path)
            }
        }
    }
}
