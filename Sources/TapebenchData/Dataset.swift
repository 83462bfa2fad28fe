import Foundation
import TapebenchCore

/// A dataset on disk: Polygon flat files (`YYYY-MM-DD.csv.gz` anywhere under the given paths) and/or
/// Polygon REST aggregate pages (`*.json`). Opening it lists and indexes the files; bars are streamed.
public struct Dataset: Sendable {
    public var flatFiles: [String]
    /// REST pages per ticker, in the order of their first bar.
    public var restPages: [String: [String]]

    public init(paths: [String]) throws {
        var flat: [(date: String, path: String)] = []
        var json: [String] = []
        for path in paths {
            for file in try Dataset.listFiles(path) {
                let name = (file as NSString).lastPathComponent
                if name.hasSuffix(".json") {
                    json.append(file)
                } else if let date = Dataset.flatFileDate(name) {
                    flat.append((date, file))
                }
            }
        }
        flat.sort { ($0.date, $0.path) < ($1.date, $1.path) }
        flatFiles = flat.map(\.path)
        var pages: [String: [(first: Int64, path: String)]] = [:]
        for file in json.sorted() {
            let page = try PolygonRestReader.readPage(path: file)
            pages[page.ticker, default: []].append((page.bars.first?.start.nanoseconds ?? Int64.max, file))
        }
        restPages = pages.mapValues { $0.sorted { ($0.first, $0.path) < ($1.first, $1.path) }.map(\.path) }
        if flatFiles.isEmpty && restPages.isEmpty {
            throw InputError(file: paths.joined(separator: ", "),
                            message: "no data found: expected Polygon flat files named YYYY-MM-DD.csv[.gz] or REST aggregate pages (*.json)")
        }
    }

    /// All selected bars, merged in replay order.
    public func bars(_ selection: DataSelection) -> MergedBarStream {
        var streams: [any BarStream] = []
        let days = flatFiles.filter { path in
            guard let date = Dataset.flatFileDate((path as NSString).lastPathComponent).flatMap(CivilDate.init(iso:)) else { return true }
            return selection.contains(date: date)
        }
        if !days.isEmpty { streams.append(FlatFileDayStream(files: days, selection: selection)) }
        for ticker in restPages.keys.sorted() where selection.tickers?.contains(ticker) ?? true {
            streams.append(RestTickerStream(ticker: ticker, pages: restPages[ticker]!, selection: selection))
        }
        return MergedBarStream(streams)
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
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw InputError(file: path, message: "cannot list directory")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let full = (path as NSString).appendingPathComponent(relative)
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { files.append(full) }
        }
        return files.sorted()
    }
}
