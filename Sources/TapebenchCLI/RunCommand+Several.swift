import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchReports

extension RunCommand {
    /// Several scenarios, or a shard of them: every scenario is read before any replays (an input error
    /// stops the run before it writes anything); each then writes `OUT/<name>` as a single run would.
    func runSeveral() throws {
        let files = try RunShard.scenarioFiles(scenarios)
        let loaded = try files.map { file in
            output.log("reading \(file)")
            return try Scenario.load(path: file, agents: CommandContext.agents)
        }
        try RunShard.checkNames(loaded)
        guard let shard else {
            let parent = out ?? "reports/runs"
            for scenario in loaded { try runOne(scenario, path: parent + "/" + scenario.name) }
            return
        }
        let spec = try ShardSpec(parsing: shard)
        let ran = RunShard.slice(spec, files: files, scenarios: loaded)
        let parent = out ?? "reports/run-shard-\(spec.index)-of-\(spec.count)"
        let manifestPath = parent + "/" + ShardManifest.fileName
        // A shard folder holds shard.json and run folders. An old shard.json goes first, so that a shard that
        // stops half-way is never taken for a complete one; a file of that name Tapebench did not write stays.
        if FileManager.default.fileExists(atPath: manifestPath) {
            _ = try ShardManifest.read(folder: parent)
            try FileManager.default.removeItem(atPath: manifestPath)
        }
        if !output.quiet { print("shard \(spec): \(ran.count) of \(files.count) scenario(s)") }
        let manifest = try RunShard.manifest(spec, files: files, scenarios: loaded, ran: ran).rendered()
        for i in ran { try runOne(loaded[i], path: parent + "/" + loaded[i].name) }
        try AtomicFile.write(manifest, to: manifestPath)
        print("wrote \(manifestPath)")
    }
}
