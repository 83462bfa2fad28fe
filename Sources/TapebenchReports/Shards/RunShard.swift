import Foundation
import TapebenchCore
import TapebenchEngine

/// `run` over several scenarios, whole or in shards. Each scenario is an item (key: its file as given;
/// cost: its data bytes × lanes, `ShardCost`). A whole run writes `OUT/<name>/` per scenario; shard I of N
/// writes the same folders for its scenarios into its own folder, beside `shard.json`, and `merge` copies
/// every shard's folders into `OUT/<name>/`, byte for byte what the whole run writes there.
public enum RunShard {
    /// The scenario files of `run`'s arguments, in order: a file as given; a folder, its `*.yaml` and `*.yml`
    /// files (not those of folders inside it), sorted by name.
    public static func scenarioFiles(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            let path = PathText.trimmed(argument)
            guard FileManager.default.isFolder(path) else {
                files.append(argument)
                continue
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !FileManager.default.isFolder(path + "/" + $0) }.sorted()
            guard !names.isEmpty else { throw InputError(file: path, message: "no scenario files (*.yaml, *.yml) in this folder") }
            files += names.map { path + "/" + $0 }
        }
        var seen: [String: String] = [:]
        for file in files {
            if seen.updateValue(file, forKey: file) != nil { throw InputError(file: file, message: "given twice") }
        }
        return files
    }

    /// Each scenario writes `OUT/<name>`: two of one name would write one folder.
    public static func checkNames(_ scenarios: [Scenario]) throws {
        var owner: [String: String] = [:]
        for scenario in scenarios {
            if let other = owner[scenario.name] {
                throw InputError(file: scenario.file, field: "name", message: "'\(scenario.name)' is also the name of \(other); each scenario writes OUT/<name>, so the names must differ")
            }
            owner[scenario.name] = scenario.file
        }
    }

    /// The shard's `shard.json`: every scenario (file and SHA-256) and name, the data of those it ran.
    public static func manifest(_ spec: ShardSpec, files: [String], scenarios: [Scenario], ran: [Int]) throws -> ShardManifest {
        var seen = Set<String>(), data: [DataIdentity] = []
        for i in ran {
            for identity in try ShardCost.dataIdentity(scenarios[i]) where seen.insert(identity.path).inserted { data.append(identity) }
        }
        return ShardManifest(kind: "run", shard: spec, scenarios: zip(files, scenarios).map { .init(file: $0, sha256: $1.contentHash) },
                             data: data.sorted { $0.path < $1.path }, items: files, ran: ran, names: scenarios.map(\.name))
    }

    /// The slice of `files` (loaded as `scenarios`) that shard `spec` runs, ascending.
    public static func slice(_ spec: ShardSpec, files: [String], scenarios: [Scenario]) -> [Int] {
        ShardPlan.slice(zip(files, scenarios).map { ShardPlan.Item(key: $0, cost: ShardCost.scenario($1)) }, spec)
    }

    /// Copies each validated shard's run folders into `out/<name>`, in the order of the run's scenarios;
    /// returns the folders written. Each is written as any output folder is (replaced only when Tapebench
    /// wrote it, all or nothing); the files are copied unchanged.
    public static func merge(_ shards: [ShardMerge.Shard], into out: String, options: (String) -> WriteOptions) throws -> [String] {
        let manifest = shards[0].manifest
        guard manifest.kind == "run", let names = manifest.names, names.count == manifest.items.count else {
            throw InputError(file: shards[0].folder + "/" + ShardManifest.fileName, message: "not a run shard (no scenario names)")
        }
        var source: [Int: String] = [:]
        for shard in shards {
            for i in shard.manifest.ran { source[i] = shard.folder + "/" + names[i] }
        }
        // Every folder is checked before any is written.
        var plans: [(folder: OutputFolder, files: [OutputFile])] = []
        for i in names.indices {
            let from = source[i]!
            guard FileManager.default.fileExists(atPath: from + "/" + OutputFolder.markerName), FileManager.default.fileExists(atPath: from + "/report.json") else {
                throw InputError(file: from, message: "the run folder of \(manifest.items[i]) is missing or incomplete in its shard")
            }
            let entries = try FileManager.default.contentsOfDirectory(atPath: from).filter { $0 != OutputFolder.markerName }.sorted()
            for name in entries where !OutputFolder.knownFiles.contains(name) {
                throw InputError(file: from + "/" + name, message: "not a file Tapebench writes into a run folder")
            }
            let path = (out.hasSuffix("/") ? String(out.dropLast()) : out) + "/" + names[i]
            let folder = try OutputFolder(path: path, options: options(path))
            try folder.checkReplaceable()
            plans.append((folder, entries.map { name in .custom(name) { try FileManager.default.copyItem(atPath: from + "/" + name, toPath: $0) } }))
        }
        for plan in plans { try plan.folder.replace(with: plan.files) }
        return plans.map(\.folder.path)
    }
}
