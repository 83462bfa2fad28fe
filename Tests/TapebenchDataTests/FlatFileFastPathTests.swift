import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// The flat-file reader's fast path (Polygon's column order, parsed in place) against its general path (any
/// other column order): the same bars, and for a bad row the same one-line error, for generated rows that
/// mix the common forms with every form the fast path leaves to the general one.
@Suite struct FlatFileFastPathTests {
    static let columns = ["ticker", "volume", "open", "close", "high", "low", "window_start", "transactions"]

    /// A price as vendors write it: mostly plain decimals, sometimes what only the general parser reads.
    static func price(_ rng: inout SplitMix64) -> String {
        switch rng.next() % 20 {
        case 0: return "1.123456789"          // 9 fraction digits: rounded by the general parser
        case 1: return "1e2"                  // exponent
        case 2: return "-1.5"                 // negative (a validation finding, not a read error)
        case 3: return "2000000000"           // beyond the price limit: an error
        case 4: return "12345678901234567890" // 20 digits
        case 5: return "abc"
        case 6: return "+3.25"
        case 7: return "."
        case 8: return "7."
        case 9: return ".5"
        default: return "\(rng.next() % 1000).\(String(format: "%02d", Int(rng.next() % 100)))"
        }
    }

    static func integer(_ rng: inout SplitMix64, time: Bool) -> String {
        switch rng.next() % 25 {
        case 0: return "-5"
        case 1: return "1.5"                  // a fractional volume (an error for a time or a count)
        case 2: return "99999999999999999999" // overflow
        case 3: return ""
        case 4: return "2e3"
        case 5: return "4000000000000000000"  // 19 digits: year 2096 as a time, beyond the volume limit
        default: return time ? String(1_710_163_800_000_000_000 + Int64(rng.next() % 390) * 60_000_000_000) : String(rng.next() % 100_000)
        }
    }

    static func row(_ rng: inout SplitMix64, ticker: String) -> [String] {
        var fields = [ticker, integer(&rng, time: false), price(&rng), price(&rng), price(&rng), price(&rng),
                      integer(&rng, time: true), integer(&rng, time: false)]
        if rng.next() % 40 == 0 { fields.append("extra") }
        if rng.next() % 40 == 0 { fields.removeLast() }
        if rng.next() % 60 == 0 { fields[0] = "" }
        return fields
    }

    /// Bars or the error of a file, as text that compares.
    static func outcome(_ path: String, tickers: Set<String>?) -> [String] {
        var bars: [String] = []
        do {
            let rows = try PolygonFlatFileReader.forEachBar(path: path, tickers: tickers) { bar, line in
                bars.append("\(line) \(bar.ticker) \(bar.start.nanoseconds) \(bar.open.raw) \(bar.high.raw) \(bar.low.raw) \(bar.close.raw) \(bar.volume) \(bar.tradeCount.map(String.init) ?? "-")")
            }
            return bars + ["rows \(rows)"]
        } catch let error as InputError {
            return bars + ["error \(error.description)"]
        } catch {
            return bars + ["other \(error)"]
        }
    }

    @Test("Polygon's order (fast) and a shuffled order (general) read the same bars and errors",
          arguments: 0..<60)
    func sameAsGeneralPath(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        let folder = try temporaryFolder("fastpath-\(seed)")
        let shuffled = [7, 6, 0, 5, 4, 1, 3, 2]  // any order but Polygon's sends every row down the general path
        var standard = [Self.columns.joined(separator: ",")]
        var other = [shuffled.map { Self.columns[$0] }.joined(separator: ",")]
        // Mostly clean rows: a file stops at its first error, so most files must get far to test much.
        let clean = seed % 3 == 0
        for i in 0..<40 {
            let ticker = ["AAPL", "IBM", "MSFT"][i / 14]
            var fields = Self.row(&rng, ticker: ticker)
            if clean || rng.next() % 8 != 0 {
                fields = [ticker, String(rng.next() % 9000), "1.5", "1.25", "1.75", "1.0", String(1_710_163_800_000_000_000 + Int64(i) * 60_000_000_000),
                          rng.next() % 4 == 0 ? "" : String(rng.next() % 50)]
            }
            standard.append(fields.joined(separator: ","))
            other.append(fields.count == 8 ? shuffled.map { fields[$0] }.joined(separator: ",") : fields.joined(separator: ","))
        }
        try (standard.joined(separator: "\n") + "\n").write(toFile: folder + "/2024-03-11.csv", atomically: true, encoding: .utf8)
        try (other.joined(separator: "\n") + "\n").write(toFile: folder + "/2024-03-12.csv", atomically: true, encoding: .utf8)
        for tickers: Set<String>? in [nil, ["IBM"]] {
            let fast = Self.outcome(folder + "/2024-03-11.csv", tickers: tickers)
            let general = Self.outcome(folder + "/2024-03-12.csv", tickers: tickers)
            #expect(fast.map { $0.replacingOccurrences(of: "2024-03-11", with: "D") } == general.map { $0.replacingOccurrences(of: "2024-03-12", with: "D") },
                    "seed \(seed), tickers \(String(describing: tickers))")
        }
    }
}
