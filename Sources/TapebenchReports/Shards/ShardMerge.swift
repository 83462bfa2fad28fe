import Foundation
import TapebenchCore
import TapebenchEngine

/// `tapebench merge`: checks that shard folders are exactly the N slices of one piece of work, then joins
/// their results into what one machine writes. Every refusal is one line naming the shard folder(s).
public enum ShardMerge {
    public struct Shard: Sendable {
        public var folder: String
        public var manifest: ShardManifest
    }

    /// The shards, ordered by shard number, after every check; a refusal throws an `InputError`.
    public static func validate(_ folders: [String]) throws -> [Shard] {
        guard !folders.isEmpty else { throw InputError(file: "merge", message: "give the shard folders to merge") }
        let shards = try folders.map { Shard(folder: PathText.trimmed($0), manifest: try ShardManifest.read(folder: PathText.trimmed($0))) }
        let first = shards[0]
        var dataSeen: [String: (folder: String, identity: DataIdentity)] = [:]
        for shard in shards {
            if shard.folder != first.folder { try compare(shard, with: first) }
            for identity in shard.manifest.data {
                if let seen = dataSeen[identity.path], seen.identity != identity {
                    throw InputError(file: shard.folder, message: "different data from \(seen.folder): \(dataDifference(seen.identity, identity))")
                }
                dataSeen[identity.path] = dataSeen[identity.path] ?? (shard.folder, identity)
            }
        }
        let count = first.manifest.shard.count
        var byIndex: [Int: Shard] = [:]
        for shard in shards {
            if let other = byIndex[shard.manifest.shard.index] {
                throw InputError(file: shard.folder, message: "shard \(shard.manifest.shard) given twice (also \(other.folder))")
            }
            byIndex[shard.manifest.shard.index] = shard
        }
        let missing = (1...count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let names = missing.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw InputError(file: "merge", message: "\(missing.count) of \(count) shard(s) missing: \(names)")
        }
        let ordered = (1...count).map { byIndex[$0]! }
        // Each item in exactly one shard (true of shards Tapebench planned; a hand-edited manifest is caught).
        var owner = [String?](repeating: nil, count: first.manifest.items.count)
        for shard in ordered {
            for i in shard.manifest.ran {
                guard owner.indices.contains(i) else {
                    throw InputError(file: shard.folder + "/" + ShardManifest.fileName, message: "ran item \(i), which the work does not have")
                }
                if let other = owner[i] {
                    throw InputError(file: shard.folder, message: "ran \(first.manifest.items[i]), which \(other) ran too")
                }
                owner[i] = shard.folder
            }
        }
        if let i = owner.firstIndex(where: { $0 == nil }) {
            throw InputError(file: "merge", message: "no shard ran \(first.manifest.items[i])")
        }
        return ordered
    }

    static func compare(_ shard: Shard, with first: Shard) throws {
        let (a, b) = (first.manifest, shard.manifest)
        func refuse(_ what: String) -> InputError { InputError(file: shard.folder, message: "\(what) than \(first.folder)") }
        if a.kind != b.kind { throw refuse("a \(b.kind) shard, not a \(a.kind) one: another command") }
        if a.tapebenchVersion != b.tapebenchVersion { throw refuse("written by Tapebench \(b.tapebenchVersion), another version (\(a.tapebenchVersion))") }
        if a.shard.count != b.shard.count { throw refuse("one of \(b.shard.count) shards, another count (\(a.shard.count))") }
        if a.scenarios != b.scenarios {
            let pairs = zip(a.scenarios, b.scenarios).first { $0 != $1 }
            let detail = pairs.map { "\($1.file) sha256 \($1.sha256.prefix(12)), not \($0.sha256.prefix(12))" } ?? "\(b.scenarios.count) scenario(s), not \(a.scenarios.count)"
            throw refuse("another scenario (\(detail))")
        }
        if a.grid != b.grid || a.baseFillModel != b.baseFillModel {
            throw refuse("another \(a.kind == "check" ? "set of options" : "grid") (\(b.grid.joined(separator: " ")), not \(a.grid.joined(separator: " ")))")
        }
        if a.items != b.items { throw refuse("other items (\(b.items.count), not \(a.items.count))") }
    }

    static func dataDifference(_ a: DataIdentity, _ b: DataIdentity) -> String {
        let old = Dictionary(a.files.map { ($0.path, $0) }, uniquingKeysWith: { x, _ in x })
        let new = Dictionary(b.files.map { ($0.path, $0) }, uniquingKeysWith: { x, _ in x })
        for file in b.files where old[file.path] != file {
            guard let before = old[file.path] else { return "\(a.path): \(file.path) is not in the other's data" }
            return "\(a.path): \(file.path) has \(file.size) bytes, sha256 \(file.sha256.prefix(12)), not \(before.size) bytes, \(before.sha256.prefix(12))"
        }
        let gone = a.files.first { new[$0.path] == nil }
        return "\(a.path): \(gone?.path ?? "a file") is missing"
    }

    /// The sweep report of a validated set of sweep shards.
    public static func sweep(_ shards: [Shard]) throws -> SweepReport {
        let manifest = shards[0].manifest
        guard manifest.kind == "sweep" else { throw InputError(file: shards[0].folder, message: "a \(manifest.kind) shard; expected sweep") }
        let grid = try SweepShard.grid(fromText: manifest.grid, base: manifest.baseFillModel ?? "seed")
        var rows: [SweepReport.Row] = []
        for shard in shards {
            rows += try SweepShard.readResults(folder: shard.folder, grid: grid, ran: Set(shard.manifest.ran))
        }
        return SweepReport(grid: grid, rows: rows)
    }

    /// The outcomes of a validated set of check shards, in the order of the check's scenarios.
    public static func check(_ shards: [Shard]) throws -> [CheckShard.Outcome] {
        var outcomes: [CheckShard.Outcome] = []
        for shard in shards {
            outcomes += try CheckShard.readResults(folder: shard.folder, ran: Set(shard.manifest.ran))
        }
        return outcomes.sorted { $0.item < $1.item }
    }
}
