import Foundation
import TapebenchEngine
import TapebenchStore

/// The files of one run, written together: everything goes into a staging folder beside the target,
/// which replaces the target only when complete. An error on the way leaves the previous folder as
/// it was and no staging folder behind.
public struct RunFolder: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public var reportJSON: String { path + "/report.json" }
    public var reportMarkdown: String { path + "/report.md" }
    public var fillsCSV: String { path + "/fills.csv" }
    public var database: String { path + "/run.sqlite" }
    public var tradesCSV: String { path + "/trades.csv" }
    public var equityCSV: String { path + "/equity.csv" }
    public var reportHTML: String { path + "/report.html" }

    /// Writes the run's files, plus any `extra` files (name → contents) and graduation status changes.
    /// `appendToMarkdown` ends report.md (the graduation answer, when asked).
    public func write(_ result: RunResult, extra: [String: String] = [:], statusChanges: [RunDatabase.StatusChange] = [],
                      appendToMarkdown: String = "") throws {
        let fileManager = FileManager.default
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        try fileManager.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
        let staging = ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(".\(name).partial")
        try? fileManager.removeItem(atPath: staging)
        do {
            try fileManager.createDirectory(atPath: staging, withIntermediateDirectories: false)
            let stage = RunFolder(path: staging)
            try Data(JSONReport.render(result).utf8).write(to: URL(fileURLWithPath: stage.reportJSON))
            try Data((MarkdownReport.render(result) + appendToMarkdown).utf8).write(to: URL(fileURLWithPath: stage.reportMarkdown))
            try Data(FillsCSV.render(result).utf8).write(to: URL(fileURLWithPath: stage.fillsCSV))
            try Data(TablesCSV.trades(result).utf8).write(to: URL(fileURLWithPath: stage.tradesCSV))
            try Data(TablesCSV.equity(result).utf8).write(to: URL(fileURLWithPath: stage.equityCSV))
            try Data(HTMLReport.render(result).utf8).write(to: URL(fileURLWithPath: stage.reportHTML))
            try RunDatabase.write(result, to: stage.database, statusChanges: statusChanges)
            for (name, contents) in extra.sorted(by: { $0.key < $1.key }) {
                try Data(contents.utf8).write(to: URL(fileURLWithPath: staging + "/" + name))
            }
            let previous = ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(".\(name).previous")
            try? fileManager.removeItem(atPath: previous)
            if fileManager.fileExists(atPath: path) { try fileManager.moveItem(atPath: path, toPath: previous) }
            try fileManager.moveItem(atPath: staging, toPath: path)
            try? fileManager.removeItem(atPath: previous)
        } catch {
            try? fileManager.removeItem(atPath: staging)
            throw error
        }
    }
}
