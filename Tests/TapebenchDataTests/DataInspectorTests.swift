import Foundation
import Testing
import TapebenchCore
import TapebenchData

@Suite struct DataInspectorTests {
    @Test("inspect counts a flat file's tickers in one pass, a ticker's rows in several runs and out of time order included")
    func flatFileSpans() throws {
        let folder = try temporaryFolder()
        let t0: Int64 = 1_710_163_800_000_000_000, minute: Int64 = 60_000_000_000
        let rows = [("B", 2), ("B", 1), ("A", 5), ("B", 0), ("A", 3), ("A", 9)]
        var text = "ticker,volume,open,close,high,low,window_start,transactions\n"
        for (ticker, m) in rows { text += "\(ticker),1,1,1,1,1,\(t0 + Int64(m) * minute),\n" }
        try GzipFileWriter.write(Array(text.utf8), to: folder + "/2024-03-11.csv.gz")
        let (sources, skipped, failures) = try DataInspector.inspect(paths: [folder], hints: DialectHints())
        #expect(skipped.isEmpty && failures.isEmpty)
        let source = try #require(sources.first)
        #expect(sources.count == 1 && source.format == .polygonFlatFile && source.bars == 6)
        let a = try #require(source.tickers["A"]), b = try #require(source.tickers["B"])
        #expect(a.bars == 3 && a.first?.nanoseconds == t0 + 3 * minute && a.last?.nanoseconds == t0 + 9 * minute)
        #expect(b.bars == 3 && b.first?.nanoseconds == t0 && b.last?.nanoseconds == t0 + 2 * minute)
    }

    @Test("inspect of a real flat-file day: the tickers and SPY's 828 bars of real/report.csv",
          .enabled(if: SharedData.available, SharedData.skipReason))
    func realDay() throws {
        let path = SharedData.path("real/flatfiles/us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz")
        let (sources, _, failures) = try DataInspector.inspect(paths: [path], hints: DialectHints())
        #expect(failures.isEmpty)
        let source = try #require(sources.first)
        #expect(source.tickers.keys.sorted() == ["AIG", "BAC", "IBM", "SPY"])
        #expect(source.tickers["SPY"]?.bars == 828 && source.tickers["SPY"]?.first?.iso8601 == "2013-10-07T08:00:00Z")
    }
}
