import Foundation
import TapebenchCore

/// Writes bars as Polygon flat files (`us_stocks_sip/minute_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz`), one per
/// America/New_York date, rows ordered by ticker then time as the vendor's are. Bars may come in any
/// order: each day is spooled to a plain temporary file and sorted and compressed at the end, so
/// memory holds one day at most.
public final class FlatFileWriter {
    public let directory: String
    private let spool: String
    private var handles: [CivilDate: FileHandle] = [:]
    public private(set) var bars = 0

    public init(directory: String) throws {
        self.directory = directory
        // A name of its own: the folder may hold anything else, which is not this writer's to remove.
        spool = directory + "/.tapebench-spool-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: spool)
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
    }

    public func append(_ bar: Bar) throws {
        let date = EasternTime.local(bar.start).date
        if handles[date] == nil {
            let path = "\(spool)/\(date).csv"
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw InputError(file: path, message: "cannot write")
            }
            handles[date] = handle
        }
        handles[date]!.write(Data(FlatFileWriter.row(bar).utf8))
        bars += 1
    }

    /// Sorts and compresses every day; returns the files written.
    public func finish() throws -> [String] {
        var written: [String] = []
        for date in handles.keys.sorted() {
            try handles[date]!.close()
            let spooled = "\(spool)/\(date).csv"
            let text = try String(contentsOfFile: spooled, encoding: .utf8)
            var rows = text.split(separator: "\n").map { line -> (String, Int64, Substring) in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return (String(fields[0]), Int64(fields[6]) ?? 0, line)
            }
            rows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            var out = "ticker,volume,open,close,high,low,window_start,transactions\n"
            for row in rows { out += row.2 + "\n" }
            let folder = "\(directory)/us_stocks_sip/minute_aggs_v1/\(String(date.year))/\(date.description.dropFirst(5).prefix(2))"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = "\(folder)/\(date).csv.gz"
            try GzipFileWriter.write(Array(out.utf8), to: path)
            written.append(path)
        }
        handles.removeAll()
        try? FileManager.default.removeItem(atPath: spool)
        return written
    }

    /// One bar as a flat-file row (with its newline), as the vendor writes it.
    public static func row(_ bar: Bar) -> String {
        let volume = bar.volume == bar.volume.rounded() && abs(bar.volume) < 9e15 ? String(Int64(bar.volume)) : String(bar.volume)
        let trades = bar.tradeCount.map(String.init) ?? ""
        return "\(bar.ticker),\(volume),\(bar.open.formatted(minimumFractionDigits: 0)),\(bar.close.formatted(minimumFractionDigits: 0)),"
            + "\(bar.high.formatted(minimumFractionDigits: 0)),\(bar.low.formatted(minimumFractionDigits: 0)),\(bar.start.nanoseconds),\(trades)\n"
    }
}
