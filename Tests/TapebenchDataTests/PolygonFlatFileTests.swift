import Foundation
import Testing
import TapebenchCore
import TapebenchData

@Suite struct PolygonFlatFileTests {
    @Test("a real flat-file day loads: tickers, counts, sub-minute-exact starts, empty transactions",
          .enabled(if: SharedData.available, SharedData.skipReason))
    func realDay() throws {
        let path = SharedData.path("real/flatfiles/us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz")
        let bars = try PolygonFlatFileReader.readDay(path: path, tickers: nil)
        // From real/report.csv: AIG, BAC, IBM and SPY traded that day; SPY has 828 bars.
        #expect(Set(bars.map(\.ticker)) == ["AIG", "BAC", "IBM", "SPY"])
        #expect(bars.filter { $0.ticker == "SPY" }.count == 828)
        let firstSPY = bars.first { $0.ticker == "SPY" }!
        #expect(firstSPY.start.iso8601 == "2013-10-07T08:00:00Z")  // 04:00 EDT
        #expect(firstSPY.open == Fixed(parsing: "167.41"))
        #expect(firstSPY.tradeCount == nil)
        // Sorted for replay: time, then ticker.
        #expect(zip(bars, bars.dropFirst()).allSatisfy { Bar.replayOrder($0, $1) })
    }

    @Test("the reader keeps only selected tickers", .enabled(if: SharedData.available, SharedData.skipReason))
    func filter() throws {
        let path = SharedData.path("real/flatfiles/us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz")
        let bars = try PolygonFlatFileReader.readDay(path: path, tickers: ["IBM"])
        #expect(!bars.isEmpty && bars.allSatisfy { $0.ticker == "IBM" })
    }

    @Test("a real flat-file tree replays as one stream across days and DST", .enabled(if: SharedData.available, SharedData.skipReason))
    func realTree() throws {
        let dataset = try Dataset(paths: [SharedData.path("real/flatfiles")])
        var stream = try dataset.bars(DataSelection(tickers: ["SHY"]))
        var bars: [Bar] = []
        while let bar = try stream.next() { bars.append(bar) }
        // SHY 2008-03-07 (EST) and 2008-03-10 (EDT): the first regular-hours bar of each day is 09:30 local.
        let calendar = ExchangeCalendar.nyse
        let regular = bars.filter { calendar.isRegularHours($0.start) }
        let days = Dictionary(grouping: regular) { EasternTime.local($0.start).date }
        #expect(days.keys.sorted().map(\.description) == ["2008-03-07", "2008-03-10"])
        #expect(zip(bars, bars.dropFirst()).allSatisfy { $0.start < $1.start })
    }

    @Test("a malformed line names the file, the line and the field")
    func malformed() throws {
        let folder = try temporaryFolder()
        let path = folder + "/2024-03-11.csv.gz"
        let text = "ticker,volume,open,close,high,low,window_start,transactions\nAAPL,100,1.00,1.01,1.02,0.99,1710163800000000000,3\nAAPL,100,1.00,abc,1.02,0.99,1710163860000000000,3\n"
        try GzipFileWriter.write(Array(text.utf8), to: path)
        #expect {
            try PolygonFlatFileReader.readDay(path: path, tickers: nil)
        } throws: { error in
            (error as? InputError)?.description == "\(path):3: field 'close': expected a decimal price, got 'abc'"
        }
    }

    @Test("a missing column is named with the header")
    func missingColumn() throws {
        let folder = try temporaryFolder()
        let path = folder + "/2024-03-11.csv"
        try "ticker,volume,open,close,high,window_start\nAAPL,1,1,1,1,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try PolygonFlatFileReader.readDay(path: path, tickers: nil) }
        do { _ = try PolygonFlatFileReader.readDay(path: path, tickers: nil) } catch let error as InputError {
            #expect(error.line == 1)
            #expect(error.field == "low")
        }
    }

    @Test("a truncated gzip file is an error, not a crash or a short read")
    func truncated() throws {
        let folder = try temporaryFolder()
        let path = folder + "/2024-03-11.csv.gz"
        var text = "ticker,volume,open,close,high,low,window_start,transactions\n"
        for i in 0..<5_000 { text += "AAPL,100,1.00,1.01,1.02,0.99,\(1_710_163_800_000_000_000 + Int64(i) * 60_000_000_000),3\n" }
        try GzipFileWriter.write(Array(text.utf8), to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError.self) { try PolygonFlatFileReader.readDay(path: path, tickers: nil) }
    }
}
