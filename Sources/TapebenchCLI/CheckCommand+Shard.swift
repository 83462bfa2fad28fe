import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchReports

/// `check --shard I/N`: which scenarios this shard checks, and its folder (shard.json and
/// check-results.json) for `tapebench merge`. The shard's own exit code and JUnit/summary files (if asked
/// for) cover its scenarios only; merge gives the whole check's.
struct CheckShardRun {
    var spec: ShardSpec
    var files: [String]
    var ran: [Int]
    var folder: OutputFolder
    var scenarioFiles: [ShardManifest.ScenarioFile]
    var data: [DataIdentity]
    /// The options that change a check's outcome, so that merge refuses shards run with other ones.
    var options: [String]

    init(spec: ShardSpec, files: [String], out: String?, lock: WriteLockOptions, options: [String]) throws {
        self.spec = spec
        self.files = files
        self.options = options
        // Every shard loads every scenario (cheap: no data is read) to weigh it; one that does not load
        // still has a shard, which reports its error as check does.
        let loaded = files.map { try? Scenario.load(path: $0, agents: CommandContext.agents) }
        let items = zip(files, loaded).map { ShardPlan.Item(key: $0, cost: $1.map { ShardCost.scenario($0) } ?? 1) }
        ran = ShardPlan.slice(items, spec)
        let path = out ?? "reports/check-shard-\(spec.index)-of-\(spec.count)"
        folder = try OutputFolder(path: path, options: lock.options(for: path))
        try folder.checkReplaceable()
        scenarioFiles = files.map { file in
            let bytes = FileManager.default.contents(atPath: file).map { SHA256.hex(of: [UInt8]($0)) }
            return ShardManifest.ScenarioFile(file: file, sha256: bytes ?? "unreadable")
        }
        var seen = Set<String>(), data: [DataIdentity] = []
        for i in ran {
            guard let scenario = loaded[i] else { continue }
            for identity in try ShardCost.dataIdentity(scenario) where seen.insert(identity.path).inserted { data.append(identity) }
        }
        self.data = data.sorted { $0.path < $1.path }
    }

    func runs(_ item: Int) -> Bool { ran.contains(item) }

    func write(_ outcomes: [CheckShard.Outcome], quiet: Bool) throws {
        let manifest = try ShardManifest(kind: "check", shard: spec, scenarios: scenarioFiles, data: data, grid: options, items: files, ran: ran).rendered()
        let results = try CheckShard.renderResults(outcomes)
        try folder.replace(with: [.text(ShardManifest.fileName) { manifest }, .text(CheckShard.resultsName) { results }])
        print("wrote \(folder.path)/\(ShardManifest.fileName)")
    }
}
