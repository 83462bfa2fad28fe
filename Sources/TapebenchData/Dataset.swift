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
        var probe = DataInspector.HeaderProbe()
        for path in paths {
            for file in try Dataset.listFiles(path) {
                switch try DataInspector.format(of: file, probe: &probe) {
                // `format` checked the date already: only the stem is wanted here.
                case .polygonFlatFile: flat.append((Dataset.flatFileStem(PathText.lastComponent(file)) ?? "", file))
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
            guard let date = Dataset.flatFileCivilDate(PathText.lastComponent(path)) else { return true }
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
        guard let stem = flatFileStem(name) else { return nil }
        return CivilDate(iso: stem) != nil ? stem : nil
    }

    /// `flatFileDate` as a date: `2024-03-11.csv.gz` → 2024-03-11 (one parse of the stem, where the
    /// stem and then its date were two: `CivilDate(iso:)` is generic, about 4 k instructions a call, and a
    /// dataset dates every file, 1,260 on the peers tape).
    static func flatFileCivilDate(_ name: String) -> CivilDate? {
        flatFileStem(name).flatMap(CivilDate.init(iso:))
    }

    /// `name` without its `.csv.gz` or `.csv`, not checked to be a date; nil for another name. The suffix is
    /// compared as bytes (`hasSuffix` compares characters): the same answers, as no other text is
    /// canonically equivalent to these ASCII suffixes, and a stem that ends in a character joined to the
    /// dot (a byte match that `hasSuffix` refuses) is not a date either.
    static func flatFileStem(_ name: String) -> String? {
        let bytes = name.utf8
        for suffix in [".csv.gz", ".csv"] where bytes.count >= suffix.utf8.count && bytes.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) {
            return String(Substring(bytes.dropLast(suffix.utf8.count)))
        }
        return nil
    }

    /// Regular files under `path` (or `path` itself), sorted, hidden files and folders skipped; a symbolic
    /// link is followed to a file, not to a folder.
    static func listFiles(_ path: String) throws -> [String] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw InputError(file: path, message: "no such file or directory") }
        try InputFile.checkKind(path)
        guard info.st_mode & S_IFMT == S_IFDIR else { return [path] }
        var files: [String] = []
        guard try listFiles(in: path, into: &files) else { throw InputError(file: path, message: "cannot list directory") }
        return files.sorted()
    }

    /// Adds the files under `folder` to `files`; false when `folder` cannot be opened. Read with `readdir`,
    /// whose entries say their type: a regular file or a folder costs no `stat` (FileManager's enumerator
    /// made a URL of each entry, and each was then stat'ed twice: ≈ 30 mallocs and three syscalls a file,
    /// 1,260 day files on the peers tape).
    private static func listFiles(in folder: String, into files: inout [String]) throws -> Bool {
        guard let directory = opendir(folder) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let (name, type) = withUnsafePointer(to: entry.pointee.d_name) { raw in
                raw.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: raw.pointee)) {
                    ($0[0] == CChar(UInt8(ascii: ".")) ? nil : String(cString: $0), entry.pointee.d_type)
                }
            }
            guard let name else { continue }  // hidden, and `.` and `..`
            let full = PathText.resolve(name, in: folder)
            switch Int32(type) {
            case Int32(DT_DIR):
                // A folder that cannot be listed (no permission) is skipped, as the enumerator skipped it.
                _ = try listFiles(in: full, into: &files)
            case Int32(DT_REG):
                files.append(full)
            default:
                // A link, or a file system that does not say: what the path leads to. A link to a folder is
                // not followed; a FIFO or a device is an error (it would block the reader); a dangling link is skipped.
                var info = stat()
                guard stat(full, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR {
                    if type == UInt8(DT_UNKNOWN), lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { _ = try listFiles(in: full, into: &files) }
                    continue
                }
                try InputFile.checkKind(full)
                files.append(full)
            }
        }
        return true
    }
}
