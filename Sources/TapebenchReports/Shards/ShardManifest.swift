import Foundation
import TapebenchCore
import TapebenchEngine

/// `shard.json`: what a shard ran and on what, so that `tapebench merge` joins only shards of one piece of
/// work: the same kind, Tapebench version, scenario file(s) (SHA-256), data (each file's size and SHA-256),
/// grid and shard count; and each item in exactly one shard.
public struct ShardManifest: Codable, Sendable, Equatable {
    public static let fileName = "shard.json"
    public static let currentFormat = 1

    public struct ScenarioFile: Codable, Sendable, Equatable {
        public var file: String
        public var sha256: String

        public init(file: String, sha256: String) {
            self.file = file
            self.sha256 = sha256
        }
    }

    public var format: Int
    /// `sweep`, `check` or `run`.
    public var kind: String
    public var tapebenchVersion: String
    public var shard: ShardSpec
    /// Every scenario of the whole piece of work, in its order (a sweep: one).
    public var scenarios: [ScenarioFile]
    /// Each data path this shard read, with the identity of its files (`DataIdentity`).
    public var data: [DataIdentity]
    /// A sweep's grid: `NAME=V1,V2,…` per parameter, in order, and the base fill model's name; a check's
    /// options that change its outcome (`--baselines=DIR`, `--headline-only`).
    public var grid: [String]
    public var baseFillModel: String?
    /// Every item's key (grid point `p1`…, or scenario file), in order, and the indices this shard ran.
    public var items: [String]
    public var ran: [Int]
    /// A run's scenario names, one per item: each item's run folder in the shard folder and in the merge.
    public var names: [String]?

    public init(kind: String, shard: ShardSpec, scenarios: [ScenarioFile], data: [DataIdentity], grid: [String] = [],
                baseFillModel: String? = nil, items: [String], ran: [Int], names: [String]? = nil) {
        self.names = names
        format = Self.currentFormat
        self.kind = kind
        tapebenchVersion = TapebenchVersion.current
        self.shard = shard
        self.scenarios = scenarios
        self.data = data
        self.grid = grid
        self.baseFillModel = baseFillModel
        self.items = items
        self.ran = ran
    }

    enum CodingKeys: String, CodingKey {
        case format, kind, shard, scenarios, data, grid, items, ran, names
        case tapebenchVersion = "tapebench_version", baseFillModel = "base_fill_model"
    }

    /// Sorted keys, one value per line: the same work gives the same bytes.
    public func rendered() throws -> String {
        try ShardJSON.encode(self)
    }

    public static func read(folder: String) throws -> ShardManifest {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: folder, message: "not a shard folder: no \(fileName) (write one with --shard I/N)")
        }
        let manifest: ShardManifest = try ShardJSON.decode(path)
        guard manifest.format == currentFormat else {
            throw InputError(file: path, message: "shard format \(manifest.format); this Tapebench reads format \(currentFormat)")
        }
        return manifest
    }
}

/// The identity of one data path (a file or a folder): each file under it, its path relative to it, size
/// and SHA-256, sorted by path; so shards on machines that mount the data in different places still agree,
/// and a file changed, added or missing on one machine is told apart.
public struct DataIdentity: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int
        public var sha256: String

        public init(path: String, size: Int, sha256: String) {
            (self.path, self.size, self.sha256) = (path, size, sha256)
        }
    }

    /// The path as the scenario wrote it (relative to the scenario's folder), which names it in messages.
    public var path: String
    public var files: [File]

    public init(path: String, files: [File]) {
        self.path = path
        self.files = files
    }

    /// Reads every file under `resolved` (a symbolic link is followed as the readers follow it).
    public static func of(path display: String, resolved: String) throws -> DataIdentity {
        var files: [File] = []
        if FileManager.default.isFolder(resolved) {
            let names = (FileManager.default.enumerator(atPath: resolved)?.allObjects as? [String] ?? []).sorted()
            for name in names where !FileManager.default.isFolder(resolved + "/" + name) {
                files.append(try file(resolved + "/" + name, as: name))
            }
        } else {
            files.append(try file(resolved, as: PathText.lastComponent(resolved)))
        }
        return DataIdentity(path: display, files: files)
    }

    static func file(_ path: String, as name: String) throws -> File {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, message: "cannot read the data file to identify it")
        }
        defer { try? handle.close() }
        var hasher = SHA256(), size = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            size += chunk.count
        }
        return File(path: name, size: size, sha256: hasher.finalizeHex())
    }

    /// A short digest of the whole identity, for messages.
    public var digest: String {
        SHA256.hex(of: Array(files.map { "\($0.path)\t\($0.size)\t\($0.sha256)\n" }.joined().utf8))
    }
}

/// The JSON of shard files: sorted keys, pretty-printed, slashes unescaped.
enum ShardJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    static func decode<T: Decodable>(_ path: String) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, message: "cannot be read")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw InputError(file: path, message: "not a Tapebench shard file (damaged, or from another tool)")
        }
    }
}
