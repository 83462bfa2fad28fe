import Foundation
import TapebenchEngine
import TapebenchStore

/// The files of one run, written together as one output folder (see `OutputFolder`): only over a
/// folder Tapebench wrote, swapped into place in one step, one writer at a time.
public struct RunFolder {
    public var path: String
    public var options: WriteOptions

    public init(path: String, options: WriteOptions = WriteOptions()) {
        self.path = path
        self.options = options
    }

    public var reportJSON: String { path + "/report.json" }
    public var reportMarkdown: String { path + "/report.md" }
    public var fillsCSV: String { path + "/fills.csv" }
    public var database: String { path + "/run.sqlite" }
    public var tradesCSV: String { path + "/trades.csv" }
    public var equityCSV: String { path + "/equity.csv" }
    public var reportHTML: String { path + "/report.html" }

    /// Refuses, before a replay, a path the run could not be written to (a folder Tapebench did not write).
    public func checkReplaceable() throws {
        try OutputFolder(path: path, options: options).checkReplaceable()
    }

    /// Writes the run's files, plus any `extra` files (name → contents) and graduation status changes.
    /// `appendToMarkdown` ends report.md (the graduation answer, when asked).
    public func write(_ result: RunResult, extra: [String: String] = [:], statusChanges: [RunDatabase.StatusChange] = [],
                      appendToMarkdown: String = "") throws {
        var files: [OutputFile] = [
            .text("report.json") { JSONReport.render(result) },
            .text("report.md") { MarkdownReport.render(result) + appendToMarkdown },
            .text("fills.csv") { FillsCSV.render(result) },
            .text("trades.csv") { TablesCSV.trades(result) },
            .text("equity.csv") { TablesCSV.equity(result) },
            .text("report.html") { HTMLReport.render(result) },
            .custom("run.sqlite") { path in
                try RunDatabase.write(result, to: path, statusChanges: statusChanges)
                try RunDatabase.verify(path: path)  // read back: a damaged database is never published
            },
        ]
        for (name, contents) in extra.sorted(by: { $0.key < $1.key }) {
            files.append(.text(name) { contents })
        }
        try OutputFolder(path: path, options: options).replace(with: files)
    }
}
