import Foundation
import TapebenchCore
import TapebenchData

/// `.tapebench-record.json` beside the recorded files: each day file the recorder wrote, with its SHA-256
/// (so a later run replaces only a file it wrote, unchanged since), its tickers and bars, whether Polygon
/// said `DELAYED` for it, whether its session had closed when it was written, and the regular-session
/// minutes still missing after the re-fetch (minutes without trades, as far as Polygon knows).
public struct RecordManifest: Codable, Sendable, Equatable {
    /// Hidden: the dataset reader skips hidden files, so the folder stays a dataset `tapebench run` reads.
    public static let fileName = ".tapebench-record.json"

    public struct Day: Codable, Sendable, Equatable {
        public var sha256: String
        public var tickers: [String]
        public var bars: Int
        public var delayed: Bool
        public var complete: Bool
        /// Per ticker: regular-session minutes between its first and last bar with no bar, after the re-fetch.
        public var missingMinutes: [String: Int]
        /// Per ticker: bars the re-fetch of gaps found.
        public var refetchedBars: [String: Int]
    }

    public var format = 1
    /// Relative path (under the output folder) → the day.
    public var files: [String: Day] = [:]

    public init() {}

    public static func load(folder: String) throws -> RecordManifest {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return RecordManifest() }
        do {
            return try JSONDecoder().decode(RecordManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw InputError(file: path, message: "not a Tapebench record manifest: \(error.localizedDescription)")
        }
    }

    public func save(folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try AtomicWrite.write(Array(try encoder.encode(self)) + [10], to: folder + "/" + RecordManifest.fileName)
    }
}

/// Writes a file whole or not at all: a temporary name in the same folder, then a rename.
enum AtomicWrite {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw FileSystemError(path: path, action: "cannot write", errno: errno)
        }
        try FileManager.default.moveItemReplacing(at: temporary, with: path)
    }

    static func temporaryPath(for path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        return "\(folder)/.\(name).tapebench-\(ProcessInfo.processInfo.processIdentifier).tmp"
    }
}
