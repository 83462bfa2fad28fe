import Foundation
import TapebenchCore
import TapebenchData

/// `tapebench record`: minute bars of some tickers over some days from Polygon's REST API, written as
/// Polygon flat files (`us_stocks_sip/minute_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz`, all tickers of a day in
/// one file, rows by ticker then time) that `tapebench run` reads. Each day file is written whole (a
/// temporary name, then a rename) and only over a file the recorder wrote itself (`RecordManifest`).
public final class Recorder {
    public let client: PolygonClient
    public let tickers: [String]
    public let folder: String
    public let calendar: ExchangeCalendar
    let clock: any WallClock
    let log: (String) -> Void
    public private(set) var manifest: RecordManifest
    /// The bars of the day being followed, by ticker, in time order.
    private var followed: (date: CivilDate, bars: [String: [Bar]])?

    public init(client: PolygonClient, tickers: [String], folder: String, calendar: ExchangeCalendar = .nyse, clock: any WallClock = SystemWallClock(),
                log: @escaping (String) -> Void = { _ in }) throws {
        for ticker in tickers where !Recorder.isTicker(ticker) {
            throw InputError(file: "--tickers", message: "\(InputError.quote(ticker)) is not a ticker (letters, digits, '.', '-', at most 16)")
        }
        self.client = client
        self.tickers = tickers.sorted()
        self.folder = folder
        self.calendar = calendar
        self.clock = clock
        self.log = log
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        manifest = try RecordManifest.load(folder: folder)
    }

    /// A ticker is a path component of the API's URL: nothing that could change the request.
    static func isTicker(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 16 && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" }
            && text.first != "." && text.first != "-"
    }

    /// Records every trading day from `from` to `to`; returns the files written.
    @discardableResult
    public func record(from: CivilDate, to: CivilDate) throws -> [String] {
        var written: [String] = []
        var date = from
        while date <= to, !StopRequest.isRequested {
            if calendar.isTradingDay(date) {
                var bars: [String: [Bar]] = [:]
                var delayed = false
                for ticker in tickers {
                    let got = try client.minuteAggregates(ticker: ticker, from: date.description, to: date.description)
                    delayed = delayed || got.delayed
                    bars[ticker] = got.bars
                }
                if let path = try write(date: date, bars: bars, delayed: delayed) { written.append(path) }
            }
            date = date.adding(days: 1)
        }
        return written
    }

    /// `--follow`: polls every `interval` (nanoseconds) during the regular session of each trading day up
    /// to `to` (sleeping between sessions), rewriting the day's file after each poll that brought bars, and
    /// once more after the close (marked complete). Stops at a stop request, after the poll in hand.
    public func follow(until to: CivilDate, interval: Int64 = 60 * Timestamp.nanosecondsPerSecond) throws {
        while !StopRequest.isRequested {
            let now = clock.now()
            let today = EasternTime.local(now).date
            guard today <= to else { return }
            guard let session = calendar.regularSession(on: today), now < session.close.adding(minutes: 1) else {
                // Before tomorrow's session (or none today): wait for the next trading day's open.
                guard let next = nextSession(after: today), EasternTime.local(next.open).date <= to else { return }
                log("waiting for the session of \(EasternTime.local(next.open).date)")
                clock.sleep(until: next.open)
                continue
            }
            if now < session.open {
                clock.sleep(until: session.open)
                continue
            }
            try poll(date: today, closed: now >= session.close)
            if now >= session.close {
                // The bars of the last minute come after the close: one poll a minute after it, then the next day.
                clock.sleep(until: session.close.adding(minutes: 1))
                try poll(date: today, closed: true)
                clock.sleep(until: session.close.adding(minutes: 2))
                continue
            }
            clock.sleep(until: now.adding(nanoseconds: interval))
        }
    }

    private func nextSession(after date: CivilDate) -> (open: Timestamp, close: Timestamp)? {
        for offset in 1...14 { if let session = calendar.regularSession(on: date.adding(days: Int64(offset))) { return session } }
        return nil
    }

    /// Fetches what is new since the last poll (from the minute after each ticker's last bar) and rewrites the day.
    private func poll(date: CivilDate, closed: Bool) throws {
        if followed?.date != date { followed = (date, [:]) }
        var delayed = false
        var added = 0
        for ticker in tickers {
            let known = followed!.bars[ticker] ?? []
            let from = known.last.map { String($0.start.adding(minutes: 1).nanoseconds / 1_000_000) } ?? date.description
            let got = try client.minuteAggregates(ticker: ticker, from: from, to: date.description)
            delayed = delayed || got.delayed
            let new = got.bars.filter { bar in known.last.map { bar.start > $0.start } ?? true }
            followed!.bars[ticker] = known + new
            added += new.count
        }
        if added > 0 || closed { _ = try write(date: date, bars: followed!.bars, delayed: delayed, complete: closed) }
    }

    /// Finds and re-fetches the gaps of each ticker's day, then writes the day file (nothing for a day
    /// without bars). Returns the path written.
    func write(date: CivilDate, bars fetched: [String: [Bar]], delayed: Bool, complete: Bool = true) throws -> String? {
        var rows: [Bar] = []
        var missing: [String: Int] = [:], refetched: [String: Int] = [:]
        var delayed = delayed
        for ticker in tickers {
            var bars = Recorder.ordered(fetched[ticker] ?? [])
            let gaps = Recorder.gaps(in: bars, session: calendar.regularSession(on: date))
            if let first = gaps.first, let last = gaps.last {
                // One request over all the day's gaps: a page that came back short, or bars that came late.
                let got = try client.minuteAggregates(ticker: ticker, from: String(first.nanoseconds / 1_000_000), to: String(last.nanoseconds / 1_000_000))
                delayed = delayed || got.delayed
                let before = bars.count
                bars = Recorder.ordered(bars + got.bars)
                refetched[ticker] = bars.count - before
                missing[ticker] = Recorder.gaps(in: bars, session: calendar.regularSession(on: date)).count
                if refetched[ticker]! > 0 { log("\(ticker) \(date): \(refetched[ticker]!) bar(s) found again in \(gaps.count) missing minute(s)") }
            } else {
                missing[ticker] = 0
                refetched[ticker] = 0
            }
            rows += bars
        }
        guard !rows.isEmpty else {
            log("\(date): no bars")
            return nil
        }
        let relative = "us_stocks_sip/minute_aggs_v1/\(date.year)/\(date.description.dropFirst(5).prefix(2))/\(date).csv.gz"
        let path = folder + "/" + relative
        try checkReplaceable(path, relative: relative)
        var text = "ticker,volume,open,close,high,low,window_start,transactions\n"
        for bar in rows { text += FlatFileWriter.row(bar) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = AtomicWrite.temporaryPath(for: path)
        try GzipFileWriter.write(Array(text.utf8), to: temporary)
        let sha = SHA256.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: temporary))))
        try FileManager.default.moveItemReplacing(at: temporary, with: path)
        manifest.files[relative] = RecordManifest.Day(sha256: sha, tickers: tickers.filter { !(fetched[$0] ?? []).isEmpty }, bars: rows.count,
                                                      delayed: delayed, complete: complete, missingMinutes: missing, refetchedBars: refetched)
        try manifest.save(folder: folder)
        log("wrote \(path) (\(rows.count) bars\(delayed ? ", DELAYED" : ""))")
        return path
    }

    /// A file already there is replaced only when the manifest says the recorder wrote it and it is unchanged.
    private func checkReplaceable(_ path: String, relative: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard let known = manifest.files[relative],
              let bytes = FileManager.default.contents(atPath: path), SHA256.hex(of: Array(bytes)) == known.sha256 else {
            throw FileSystemError(path: path, action: "cannot record", reason: "the file exists and was not written by tapebench record (or changed since); not replaced")
        }
    }

    /// Bars in time order, one per minute (a minute fetched twice keeps its first bar).
    static func ordered(_ bars: [Bar]) -> [Bar] {
        var seen = Set<Int64>()
        return bars.sorted { $0.start < $1.start }.filter { seen.insert($0.start.nanoseconds).inserted }
    }

    /// Regular-session minutes with no bar between the day's first and last regular-session bar: a later
    /// bar shows the data went on past them.
    public static func gaps(in bars: [Bar], session: (open: Timestamp, close: Timestamp)?) -> [Timestamp] {
        guard let session else { return [] }
        let inside = bars.map(\.start).filter { $0 >= session.open && $0 < session.close }
        guard var expected = inside.first, let last = inside.last else { return [] }
        let present = Set(inside)
        var missing: [Timestamp] = []
        while expected < last {
            if !present.contains(expected) { missing.append(expected) }
            expected = expected.adding(minutes: 1)
        }
        return missing
    }
}
