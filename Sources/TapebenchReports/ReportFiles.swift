import Foundation
import TapebenchCore

/// A report as `check` and `diff` read it: `report.json` and the `fills.csv` beside it, each checked to
/// be a whole Tapebench file before anything is compared, so that a truncated, empty or garbage baseline
/// is an error naming the file, never a list of "differences".
public struct ReportFiles: Sendable {
    public var jsonPath: String
    public var json: Data
    public var fillsPath: String
    /// Nil only when a report.json was given on its own and no fills.csv is beside it.
    public var fills: String?

    /// Reads a report folder (report.json and fills.csv both required) or a report.json file (fills.csv
    /// beside it read when present).
    public static func read(_ path: String) throws -> ReportFiles {
        let isFolder = FileManager.default.isFolder(path)  // following a link: a versioned output folder is one
        let folder = isFolder ? path : FileSystem.split(path).folder
        let jsonPath = isFolder ? folder + "/report.json" : path
        let fillsPath = (folder.isEmpty ? "" : folder.hasSuffix("/") ? folder : folder + "/") + "fills.csv"
        let json = Data(try FileSystem.readFile(jsonPath))
        try checkReport(json, file: jsonPath)
        var fills: String?
        let fillsExist = try FileSystem.kind(fillsPath) != .missing
        if isFolder || fillsExist {
            guard fillsExist else {
                throw InputError(file: fillsPath, message: "missing: a report folder holds fills.csv beside report.json")
            }
            fills = try checkFills(try FileSystem.readFile(fillsPath), file: fillsPath)
        }
        return ReportFiles(jsonPath: jsonPath, json: json, fillsPath: fillsPath, fills: fills)
    }

    /// A report.json: not empty, JSON, an object with `schema_version` and a list of `agents`; its top level,
    /// as parsed.
    @discardableResult
    public static func checkReport(_ json: Data, file: String) throws -> [String: Any] {
        guard !json.isEmpty else { throw InputError(file: file, message: "empty file: not a Tapebench report.json") }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw InputError(file: file, message: "not valid JSON (truncated or damaged?): not a Tapebench report.json")
        }
        guard let object = root as? [String: Any], object["schema_version"] != nil, object["agents"] is [[String: Any]] else {
            throw InputError(file: file, message: "not a Tapebench report.json (it has no schema_version and agents)")
        }
        return object
    }

    /// A fills.csv: UTF-8 text whose first line is the fills header.
    public static func checkFills(_ bytes: [UInt8], file: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: file, message: "not UTF-8 text: not a Tapebench fills.csv")
        }
        guard text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) == FillsCSV.header else {
            throw InputError(file: file, line: 1, message: text.isEmpty ? "empty file: not a Tapebench fills.csv"
                             : "not a Tapebench fills.csv (the first line is not '\(FillsCSV.header)')")
        }
        return text
    }
}

extension FileManager {
    /// Whether `path` is a folder, or a link to one.
    public func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
