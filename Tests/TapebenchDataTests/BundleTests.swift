import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// The bundles of ../shared/data/bundles, read in place.
@Suite(.enabled(if: SharedData.available, SharedData.skipReason))
struct BundleTests {
    func read(_ bundle: String, hints: DialectHints = DialectHints()) throws -> (members: [String], skipped: [String], bars: [Bar]) {
        var members: [String] = [], skipped: [String] = [], bars: [Bar] = []
        try CSVReader.read(path: SharedData.path("bundles/" + bundle), hints: hints,
                           onMember: { members.append($0.name) }, onSkipped: { skipped.append($0) },
                           onBar: { bar, _ in bars.append(bar) })
        return (members, skipped, bars)
    }

    @Test("tar.gz and zip of mixed dialects: eight CSV members load, the README is skipped", arguments: ["dialects_mixed.tar.gz", "dialects_mixed.zip"])
    func mixed(bundle: String) throws {
        let (members, skipped, bars) = try read(bundle)
        #expect(members.count == 8)
        #expect(skipped == ["dialects/README.txt"])
        #expect(bars.count == 500 + 1354 + 9 + 10 + 2868 + 135 + 500 + 252)
    }

    @Test("one file per ticker in a plain tar, tickers from the member names")
    func tar() throws {
        let (members, _, bars) = try read("us_equity_minute_2013-10_iso-et.tar")
        #expect(members == ["AIG.csv", "BAC.csv", "IBM.csv", "SPY.csv"])
        #expect(Dictionary(grouping: bars, by: \.ticker).mapValues(\.count) == ["AIG": 2558, "BAC": 3466, "IBM": 2566, "SPY": 4839])
    }

    @Test("one file for many tickers (symbol column, YYYYMMDD and HHMM, CRLF) equals the per-ticker tar")
    func manyTickersOneFile() throws {
        let one = try read("us_equity_minute_2013-10_many-tickers-one-file.zip").bars
        let tar = try read("us_equity_minute_2013-10_iso-et.tar").bars
        #expect(one.count == tar.count)
        let key = { (b: Bar) in "\(b.ticker) \(b.start.nanoseconds) \(b.open) \(b.high) \(b.low) \(b.close) \(b.volume)" }
        #expect(Set(one.map(key)) == Set(tar.map(key)))
    }

    @Test("the ISO-8601 ET bundle holds the same bars as the Polygon flat files made from the same source")
    func isoBundleMatchesFlatFiles() throws {
        let csv = try read("us_equity_minute_iso-et.tgz").bars
        var flat: [Bar] = []
        var stream = try Dataset(paths: [SharedData.path("real/flatfiles")]).bars(DataSelection())
        while let bar = try stream.next() { flat.append(bar) }
        let key = { (b: Bar) in "\(b.ticker) \(b.start.nanoseconds) \(b.open) \(b.high) \(b.low) \(b.close) \(b.volume)" }
        #expect(csv.count == 21_258)
        #expect(Set(csv.map(key)) == Set(flat.map(key)))
    }

    @Test("the upstream zipline archive: a ticker column, daily rows, volume written as 8381600.0")
    func quandl() throws {
        let bars = try read("upstream_zipline_QUANDL_ARCHIVE.zip").bars
        #expect(Dictionary(grouping: bars, by: \.ticker).mapValues(\.count) == ["AAPL": 252, "BRK_A": 252, "MSFT": 252, "ZEN": 160])
        #expect(bars[0].volume == 8_381_600)
        #expect(bars.allSatisfy { $0.duration == Timestamp.nanosecondsPerDay })
    }

    @Test("a bundle replays through a scenario's dataset, merged in time order")
    func replayOrder() throws {
        var stream = try Dataset(paths: [SharedData.path("bundles/us_equity_minute_2013-10_iso-et.tar")]).bars(DataSelection(tickers: ["IBM", "SPY"]))
        var bars: [Bar] = []
        while let bar = try stream.next() { bars.append(bar) }
        #expect(bars.count == 2566 + 4839)
        #expect(zip(bars, bars.dropFirst()).allSatisfy { !Bar.replayOrder($1, $0) })
    }

    @Test("a corrupt archive is an error naming it, not a crash")
    func corrupt() throws {
        let folder = try temporaryFolder()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: SharedData.path("bundles/us_equity_minute_iso-et.tgz")))
        let path = folder + "/broken.tgz"
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: path))
        #expect { try CSVReader.read(path: path, hints: DialectHints()) { _, _ in } } throws: { error in
            (error as? InputError)?.file.hasPrefix(path) == true
        }
    }
}
