import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchExecution

/// A sweep cut into shards: which grid points a shard replays, and the rows it hands to `merge`
/// (`sweep-results.json`, exact: money as fixed-point integers, statistics as the bits of their doubles).
public enum SweepShard {
    public static let resultsName = "sweep-results.json"

    /// A point's canonical key: its parameters and values (`slippage.bps=3;commission.per_fill=0.5`), so a
    /// point keeps its shard when the grid is written in another order; its cost: every point replays the
    /// same bars for the same agents, so it is the scenario's estimated bars × agents (`ShardCost`).
    public static func items(_ grid: SweepGrid, costPerPoint: UInt64) -> [ShardPlan.Item] {
        grid.points.map { values in
            let key = zip(grid.parameters, values).map { "\($0.name)=\($1.text)" }.sorted().joined(separator: ";")
            return ShardPlan.Item(key: key, cost: costPerPoint)
        }
    }

    /// `NAME=V1,V2,…` per parameter: the grid as a manifest records it and `merge` rebuilds it.
    public static func gridText(_ grid: SweepGrid) -> [String] {
        grid.parameters.map { "\($0.name)=" + $0.values.map(\.text).joined(separator: ",") }
    }

    public static func grid(fromText text: [String], base: String) throws -> SweepGrid {
        var spec = FillModelSpec.preset(base) ?? FillModelSpec(name: base)
        spec.name = base
        return SweepGrid(base: spec, parameters: try text.map(SweepParameter.init(parsing:)))
    }

    struct StoredRow: Codable {
        var point: Int
        var agent: String
        var totalPnL: Int64
        var returnFraction: UInt64
        var sharpe: UInt64
        var maxDrawdown: UInt64
        var winRate: UInt64
        var fills: Int
        var commissions: Int64
        var slippage: Int64

        enum CodingKeys: String, CodingKey {
            case point, agent, fills
            case totalPnL = "total_pnl_raw", returnFraction = "return_bits", sharpe = "sharpe_bits", maxDrawdown = "max_drawdown_bits"
            case winRate = "win_rate_bits", commissions = "commissions_raw", slippage = "slippage_raw"
        }
    }

    public static func renderResults(_ rows: [SweepReport.Row]) throws -> String {
        try ShardJSON.encode(rows.map { row in
            let s = row.summary
            return StoredRow(point: row.point, agent: s.agent, totalPnL: s.totalPnL.raw, returnFraction: s.returnFraction.bitPattern,
                             sharpe: s.sharpe.bitPattern, maxDrawdown: s.maxDrawdown.bitPattern, winRate: s.winRate.bitPattern,
                             fills: s.fills, commissions: s.commissions.raw, slippage: s.slippage.raw)
        })
    }

    /// The rows of a shard folder; each must be of a point of `grid` the shard says it ran.
    public static func readResults(folder: String, grid: SweepGrid, ran: Set<Int>) throws -> [SweepReport.Row] {
        let path = folder + "/" + resultsName
        let stored: [StoredRow] = try ShardJSON.decode(path)
        return try stored.map { r in
            guard ran.contains(r.point), grid.points.indices.contains(r.point) else {
                throw InputError(file: path, message: "a row of point p\(r.point + 1), which this shard did not run")
            }
            let figures = SweepReport.Figures(
                agent: r.agent, totalPnL: Money(raw: r.totalPnL), returnFraction: Double(bitPattern: r.returnFraction),
                sharpe: Double(bitPattern: r.sharpe), maxDrawdown: Double(bitPattern: r.maxDrawdown), winRate: Double(bitPattern: r.winRate),
                fills: r.fills, commissions: Money(raw: r.commissions), slippage: Money(raw: r.slippage))
            return SweepReport.Row(point: r.point, values: grid.points[r.point], summary: figures)
        }
    }
}

/// The estimated cost of replaying a scenario, for balancing shards: its data's bytes (bars read grow with
/// them) times its lanes (agents × fill models), without reading the data.
public enum ShardCost {
    public static func dataBytes(_ scenario: Scenario) -> UInt64 {
        var total: UInt64 = 0
        for path in scenario.dataPaths {
            if FileManager.default.isFolder(path) {
                for name in FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [] {
                    total &+= size(path + "/" + name)
                }
            } else {
                total &+= size(path)
            }
        }
        return max(1, total)
    }

    public static func scenario(_ scenario: Scenario, lanes: Int? = nil) -> UInt64 {
        dataBytes(scenario) &* UInt64(max(1, lanes ?? scenario.agents.count * scenario.fillModels.count))
    }

    static func size(_ path: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// The identity of each of the scenario's data paths, named by the path resolved against the scenario's
    /// folder (the same on every shard, since every shard is given the same command line).
    public static func dataIdentity(_ scenario: Scenario) throws -> [DataIdentity] {
        try scenario.dataPaths.map { try DataIdentity.of(path: $0, resolved: $0) }
    }
}
