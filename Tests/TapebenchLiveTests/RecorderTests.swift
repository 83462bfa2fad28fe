import Foundation
import Testing
import TapebenchCore
import TapebenchData
import TapebenchLive

@Suite("Recorder: Polygon pages to flat files")
struct RecorderTests {
    /// Every bar a dataset folder holds for `tickers`, in stream order.
    func bars(in paths: [String], tickers: [String]) throws -> [Bar] {
        var stream = try Dataset(paths: paths).bars(DataSelection(tickers: Set(tickers), from: nil, to: nil), policy: ValidationPolicy())
        var all: [Bar] = []
        while let bar = try stream.next() { all.append(bar) }
        return all
    }

    @Test("two tickers over two days: one file per day, read back bar for bar as the REST bodies hold them")
    func recordsDays() throws {
        let folder = try temporaryFolder()
        let mock = try startMock(#"{"delayed": ["BAC"]}"#, folder: folder)
        let out = folder + "/out"
        let recorder = try Recorder(client: client(mock, clock: ManualWallClock(start: sessionOpen)), tickers: ["SPY", "BAC"], folder: out)
        let written = try recorder.record(from: CivilDate(year: 2013, month: 10, day: 7), to: CivilDate(year: 2013, month: 10, day: 8))
        #expect(written == ["2013-10-07", "2013-10-08"].map { "\(out)/us_stocks_sip/minute_aggs_v1/2013/10/\($0).csv.gz" })
        let rest = SharedDataPath.rest
        let expected = try bars(in: ["\(rest)/SPY/SPY_1_minute_2013-10-07.json", "\(rest)/SPY/SPY_1_minute_2013-10-08.json",
                                     "\(rest)/BAC/BAC_1_minute_2013-10-07.json", "\(rest)/BAC/BAC_1_minute_2013-10-08.json"], tickers: ["SPY", "BAC"])
        let recorded = try bars(in: [out], tickers: ["SPY", "BAC"])
        #expect(recorded.count == 828 + 828 + 595 + 573)
        #expect(recorded == expected)
        let day = try #require(recorder.manifest.files["us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz"])
        #expect(day.delayed)  // BAC answered DELAYED
        #expect(day.bars == 828 + 595)
        #expect(day.tickers == ["BAC", "SPY"])
        #expect(day.complete)
        #expect(try RecordManifest.load(folder: out) == recorder.manifest)
    }

    @Test("minutes missing from the day's answer are found by one re-fetch of the gap and written")
    func refetchesGaps() throws {
        let folder = try temporaryFolder()
        // 09:31 and 12:00 New York are left out of whole-day answers; a range request has them.
        let mock = try startMock(#"{"omit": {"SPY": [1381152660000, 1381161600000]}}"#, folder: folder)
        let out = folder + "/out"
        let recorder = try Recorder(client: client(mock, clock: ManualWallClock(start: sessionOpen)), tickers: ["SPY"], folder: out)
        try recorder.record(from: CivilDate(year: 2013, month: 10, day: 7), to: CivilDate(year: 2013, month: 10, day: 7))
        #expect(try bars(in: [out], tickers: ["SPY"]).count == 828)
        let day = try #require(recorder.manifest.files["us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz"])
        #expect(day.refetchedBars == ["SPY": 2])
        #expect(day.missingMinutes == ["SPY": 0])
        #expect(mock.requests().last?.path.hasPrefix("/v2/aggs/ticker/SPY/range/1/minute/1381152660000/1381161600000?") == true)
    }

    @Test("gaps: the regular-session minutes between the first and last bar that have none")
    func gaps() {
        let open = sessionOpen, close = sessionOpen.adding(minutes: 390)
        func bar(_ minute: Int64) -> Bar {
            Bar(ticker: "T", start: open.adding(minutes: minute), open: Fixed(1), high: Fixed(1), low: Fixed(1), close: Fixed(1), volume: 1)
        }
        #expect(Recorder.gaps(in: [bar(-5), bar(0), bar(1), bar(4), bar(400)], session: (open, close)) == [open.adding(minutes: 2), open.adding(minutes: 3)])
        #expect(Recorder.gaps(in: [bar(0), bar(1)], session: (open, close)).isEmpty)
        #expect(Recorder.gaps(in: [], session: (open, close)).isEmpty)
        #expect(Recorder.gaps(in: [bar(0), bar(9)], session: nil).isEmpty)
    }

    @Test("a day file it did not write is never replaced; its own is")
    func ownFilesOnly() throws {
        let folder = try temporaryFolder()
        let mock = try startMock("{}", folder: folder)
        let out = folder + "/out", relative = "us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz"
        try FileManager.default.createDirectory(atPath: out + "/us_stocks_sip/minute_aggs_v1/2013/10", withIntermediateDirectories: true)
        try "someone else's".write(toFile: out + "/" + relative, atomically: true, encoding: .utf8)
        let day = CivilDate(year: 2013, month: 10, day: 7)
        let recorder = try Recorder(client: client(mock, clock: ManualWallClock(start: sessionOpen)), tickers: ["SPY"], folder: out)
        #expect(throws: FileSystemError.self) { try recorder.record(from: day, to: day) }
        #expect(try String(contentsOfFile: out + "/" + relative, encoding: .utf8) == "someone else's")
        try FileManager.default.removeItem(atPath: out + "/" + relative)
        try recorder.record(from: day, to: day)
        // Again: the file is its own and unchanged, so it is replaced.
        let again = try Recorder(client: client(mock, clock: ManualWallClock(start: sessionOpen)), tickers: ["SPY"], folder: out)
        #expect(try again.record(from: day, to: day).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/us_stocks_sip/minute_aggs_v1/2013/10") == ["2013-10-07.csv.gz"])
    }

    @Test("--follow polls each minute of the session on the injected clock and ends after the close with the day complete")
    func follow() throws {
        let folder = try temporaryFolder()
        let mock = try startMock("{}", folder: folder)
        let out = folder + "/out"
        let clock = ManualWallClock(start: sessionOpen.adding(minutes: -20))
        let recorder = try Recorder(client: client(mock, clock: clock), tickers: ["SPY"], folder: out, clock: clock)
        try recorder.follow(until: CivilDate(year: 2013, month: 10, day: 7))
        let day = try #require(recorder.manifest.files["us_stocks_sip/minute_aggs_v1/2013/10/2013-10-07.csv.gz"])
        #expect(day.complete)
        #expect(day.bars == 828)
        // One poll a minute from 09:30 to 16:00, plus the one a minute after the close; nothing after.
        let polls = mock.requests().filter { !$0.path.contains("cursor=") }
        #expect(polls.count == 390 + 2)
        #expect(clock.now() == sessionOpen.adding(minutes: 392))
    }
}

enum SharedDataPath {
    static let rest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/real/rest").path
}
