import Foundation
import TapebenchCore

/// A dataset on disk, from one or more paths: Polygon flat files (`YYYY-MM-DD.csv[.gz]` with the
/// flat-file header), Polygon REST aggregate pages (`*.json`), and CSV files or bundles in any supported
/// dialect. Opening it lists and classifies the files; bars are streamed by `bars(_:policy:)`.
public struct Dataset: Sendable {
    public var flatFiles: [String]
    /// REST pages per ticker, in the order of their first bar.
    public var restPages: [String: [String]]
    /// CSV files and bundles (`.csv`, `.csv.gz`, `.txt`, `.tar`, `.tar.gz`, `.tgz`, `.zip`).
    public var csvFiles: [String]
    public var hints: DialectHints

    public init(paths: [String], hints: DialectHints = DialectHints()) throws {
        self.hints = hints
        var flat: [(date: String, path: String)] = []
        var json: [String] = []
        var csv: [String] = []
        for path in paths {
            for file in try Dataset.listFiles(path) {
                switch try DataInspector.format(of: file) {
                case .polygonFlatFile: flat.append((Dataset.flatFileDate(PathText.lastComponent(file))!, file))
                case .polygonRest: json.append(file)
                case .csv: csv.append(file)
                case nil: continue
                }
            }
        }
        flat.sort { ($0.date, $0.path) < ($1.date, $1.path) }
        flatFiles = flat.map(\.path)
        csvFiles = csv
        var pages: [String: [(first: Int64, path: String)]] = [:]
        for file in json.sorted() {
            let page = try PolygonRestReader.readPage(path: file)
            pages[page.ticker, default: []].append((page.bars.first?.start.nanoseconds ?? Int64.max, file))
        }
        restPages = pages.mapValues { $0.sorted { ($0.first, $0.path) < ($1.first, $1.path) }.map(\.path) }
        if flatFiles.isEmpty && restPages.isEmpty && csvFiles.isEmpty {
            throw InputError(file: paths.joined(separator: ", "),
                             message: "no data found: expected Polygon flat files named YYYY-MM-DD.csv[.gz], REST aggregate pages (*.json), or CSV files and bundles")
        }
    }

    /// All selected bars, validated under `policy`, merged in replay order.
    public func bars(_ selection: DataSelection, policy: ValidationPolicy = ValidationPolicy()) throws -> MergedBarStream {
        var streams: [any BarStream] = []
        let days = flatFiles.filter { path in
            guard let date = Dataset.flatFileDate(PathText.lastComponent(path)).flatMap(CivilDate.init(iso:)) else { return true }
            // A New York date's file holds bars of the trading day before or after it in a 24-hour session.
            if selection.calendar.session != .nyse { return (-1...1).contains { selection.contains(date: date.adding(days: Int64($0))) } }
            return selection.contains(date: date)
        }
        if !days.isEmpty { streams.append(FlatFileDayStream(files: days, selection: selection, policy: policy)) }
        for ticker in restPages.keys.sorted() where selection.tickers?.contains(ticker) ?? true {
            streams.append(RestTickerStream(ticker: ticker, pages: restPages[ticker]!, selection: selection, policy: policy))
        }
        if !csvFiles.isEmpty {
            streams.append(try CSVBarStream(files: csvFiles, hints: hints, selection: selection, policy: policy))
        }
        return MergedBarStream(streams, tickers: selection.tickerTable)
    }

    /// `2024-03-11.csv.gz` → `2024-03-11`.
    static func flatFileDate(_ name: String) -> String? {
        for suffix in [".csv.gz", ".csv"] where name.hasSuffix(suffix) {
            let stem = String(name.dropLast(suffix.count))
            return CivilDate(iso: stem) != nil ? stem : nil
        }
        return nil
    }

    /// Regular files under `path` (or `path` itself), sorted, hidden files skipped.
    static func listFiles(_ path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, message: "no such file or directory")
        }
        try InputFile.checkKind(path)
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw InputError(file: path, message: "cannot list directory")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let full = PathText.resolve(relative, in: path)
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue {
                try InputFile.checkKind(full)  // a FIFO among the files would block the reader
                files.append(full)
            }
        }
        return files.sorted()
    }
}
