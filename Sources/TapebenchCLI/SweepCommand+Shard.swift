import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchReports

extension SweepCommand {
    /// `sweep --shard I/N`: replays this shard's grid points (named as in the whole grid, `p1`…) and writes
    /// their rows, a sweep.csv of them, and shard.json; `tapebench merge` joins the N folders.
    func runShard(_ spec: ShardSpec, scenario loaded: Scenario, grid: SweepGrid) throws {
        // Every shard checks the whole grid's agent axes, so that each refuses a bad one alike.
        _ = try grid.scenario(loaded, points: [])
        var loaded = loaded
        let items = SweepShard.items(grid, costPerPoint: ShardCost.scenario(loaded, lanes: loaded.agents.count))
        let mine = ShardPlan.slice(items, spec)
        let path = out ?? "reports/runs/\(loaded.name)-sweep-shard-\(spec.index)-of-\(spec.count)"
        let folder = try OutputFolder(path: path, options: lock.options(for: path))
        try folder.checkReplaceable()
        let manifest = ShardManifest(
            kind: "sweep", shard: spec, scenarios: [.init(file: scenario, sha256: loaded.contentHash)],
            data: try ShardCost.dataIdentity(loaded), grid: SweepShard.gridText(grid), baseFillModel: grid.base.name,
            items: items.indices.map { "p\($0 + 1) (\(items[$0].key))" }, ran: mine)
        var rows: [SweepReport.Row] = []
        if !mine.isEmpty {  // more shards than points leaves some empty; they still say so for merge
            loaded = try grid.scenario(loaded, points: mine)
            output.log("replaying \(mine.count) of \(grid.points.count) grid points (shard \(spec))")
            let result = try { () throws -> RunResult in
                defer { output.endProgress() }
                return try ScenarioRunner.run(loaded, progress: output.progress(for: loaded))
            }()
            rows = SweepReport(grid: grid, lanes: result.lanes.map(\.outcome)).rows
        }
        let partial = SweepReport(grid: grid, rows: rows)
        let manifestText = try manifest.rendered(), results = try SweepShard.renderResults(partial.rows)
        try folder.replace(with: [.text(ShardManifest.fileName) { manifestText }, .text(SweepShard.resultsName) { results },
                                  .text("sweep.csv") { partial.csv() }])
        if !output.quiet { print("shard \(spec): \(mine.count) of \(grid.points.count) points") }
        print("wrote \(folder.path)/\(ShardManifest.fileName)")
    }
}
