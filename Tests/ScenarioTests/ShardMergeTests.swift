import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchTestSupport
@testable import TapebenchReports

@Suite struct ShardMergeTests {
    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("a grid run whole and in 3 shards, merged, gives the same sweep.csv, sweep.svg and printed break-even, byte for byte")
    func sweepThreeShards() throws {
        let whole = try temporaryFolder(), sharded = try temporaryFolder()
        let grid = ["--param", "slippage.bps=0:2:1", "--param", "commission.per_fill=0,1"]
        let one = try runTapebench(["sweep", Repository.defaultScenario] + grid + ["--out", "out"], in: whole)
        #expect(one.status == 0, "\(one.stderr)")
        var ran: [Int] = []
        for i in 1...3 {
            let shard = try runTapebench(["sweep", Repository.defaultScenario] + grid + ["--shard", "\(i)/3", "--out", "s\(i)"], in: sharded)
            #expect(shard.status == 0, "\(shard.stderr)")
            ran += try ShardManifest.read(folder: sharded + "/s\(i)").ran
        }
        #expect(ran.sorted() == Array(0..<6))  // 6 points, each in one shard, two per shard (equal costs)
        let merged = try runTapebench(["merge", "s3", "s1", "s2", "--out", "out"], in: sharded)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == one.stdout)
        #expect(merged.stdout.contains("break-even"))
        for file in ["sweep.csv", "sweep.svg"] {
            #expect(try read(sharded + "/out/" + file) == read(whole + "/out/" + file), "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: sharded + "/out/" + OutputFolder.markerName))
    }

    @Test("check run whole and in 2 shards, merged, gives the same JUnit, summary, last line and exit code")
    func checkTwoShards() throws {
        let whole = try temporaryFolder(), sharded = try temporaryFolder()
        let scenarios = ["default", "breakout", "volume-surge"].map { Repository.root + "/scenarios/\($0).yaml" }
        let base = ["check"] + scenarios + ["--baselines", Repository.root + "/reports/baselines"]
        let one = try runTapebench(base + ["--junit", "junit.xml", "--summary", "summary.md"], in: whole)
        for i in 1...2 {
            let shard = try runTapebench(base + ["--shard", "\(i)/2", "--out", "c\(i)"], in: sharded)
            #expect(shard.status == one.status || shard.status == 0, "\(shard.stderr)")
        }
        let merged = try runTapebench(["merge", "c1", "c2", "--out", "merged", "--junit", "junit.xml"], in: sharded)
        #expect(merged.status == one.status, "\(merged.stderr)")
        #expect(merged.stdout.split(separator: "\n").last == one.stdout.split(separator: "\n").last)
        #expect(try read(sharded + "/merged/junit.xml") == read(whole + "/junit.xml"))
        #expect(try read(sharded + "/junit.xml") == read(whole + "/junit.xml"))
        #expect(try read(sharded + "/merged/summary.md") == read(whole + "/summary.md"))
    }

    @Test("check shards run with other options (--headline-only) are refused; errors merge into exit 2 as one machine's")
    func checkOptions() throws {
        let folder = try temporaryFolder()
        // Scenario files that do not exist: each shard reports its error without replaying anything.
        let base = ["check", "missing-a.yaml", "missing-b.yaml", "missing-c.yaml", "--baselines", "b"]
        let one = try runTapebench(base + ["--junit", "junit.xml"], in: folder)
        #expect(one.status == 2)
        for i in 1...2 { _ = try runTapebench(base + ["--shard", "\(i)/2", "--out", "c\(i)"], in: folder) }
        _ = try runTapebench(base + ["--shard", "2/2", "--out", "h2", "--headline-only"], in: folder)
        let merged = try runTapebench(["merge", "c1", "c2", "--out", "m"], in: folder)
        #expect(merged.status == 2)
        #expect(merged.stdout.hasSuffix("3 scenario(s): 0 regression(s), 3 error(s)\n"))
        #expect(try read(folder + "/m/junit.xml") == read(folder + "/junit.xml"))
        let refused = try runTapebench(["merge", "c1", "h2", "--out", "m2"], in: folder)
        #expect(refused.status == 2)
        #expect(refused.stderr == "error: h2: another set of options (--baselines=b --headline-only, not --baselines=b) than c1\n")
    }

    @Test("1,000 shards of a 1,000-point grid merge into the CSV and SVG of the same rows written whole")
    func thousandShards() throws {
        let folder = try temporaryFolder()
        let shards = try SimulatedShards(count: 1_000, bps: 100, commissions: 10)
        let names = try shards.write(in: folder)
        let merged = try runTapebench(["merge"] + names.reversed() + ["--out", "out", "--quiet"], in: folder)
        #expect(merged.status == 0, "\(merged.stderr)")
        let whole = SweepReport(grid: shards.grid, rows: shards.rows)
        #expect(try read(folder + "/out/sweep.csv") == whole.csv())
        #expect(try read(folder + "/out/sweep.svg") == whole.svg())
        #expect(try read(folder + "/out/sweep.csv").split(separator: "\n").count == 1_001)
    }

    /// Runs merge over simulated shards, one of them altered, and returns its stderr (exit 2 expected).
    func refusal(count: Int = 3, names: ([String]) -> [String] = { $0 }, alter: @escaping (Int, inout ShardManifest) -> Void = { _, _ in }) throws -> String {
        let folder = try temporaryFolder()
        var shards = try SimulatedShards(count: count, bps: 3, commissions: 2)
        shards.alter = alter
        let written = try shards.write(in: folder)
        let result = try runTapebench(["merge"] + names(written) + ["--out", "out"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        return result.stderr
    }

    @Test("missing, duplicated and mismatched shards are refused with one line naming them, exit 2")
    func refusals() throws {
        #expect(try refusal(names: { [$0[0], $0[2]] }) == "error: merge: 1 of 3 shard(s) missing: 2/3\n")
        #expect(try refusal(names: { $0 + [$0[1]] }) == "error: s2: shard 2/3 given twice (also s2)\n")
        #expect(try refusal(alter: { i, m in if i == 2 { m.shard = ShardSpec(index: 1, count: 3) } }) == "error: s2: shard 1/3 given twice (also s1)\n")
        #expect(try refusal(alter: { i, m in if i == 3 { m.tapebenchVersion = "0.0.1" } })
            .hasPrefix("error: s3: written by Tapebench 0.0.1, another version ("))
        #expect(try refusal(alter: { i, m in if i == 2 { m.scenarios[0].sha256 = String(repeating: "e", count: 64) } })
            == "error: s2: another scenario (scenarios/default.yaml sha256 eeeeeeeeeeee, not 0123456789ab) than s1\n")
        #expect(try refusal(alter: { i, m in if i == 3 { m.data[0].files[0].sha256 = String(repeating: "f", count: 64) } })
            == "error: s3: different data from s1: data/day.csv: day.csv has 1234 bytes, sha256 ffffffffffff, not 1234 bytes, aaaaaaaaaaaa\n")
        #expect(try refusal(alter: { i, m in if i == 1 { m.shard.count = 4 } })
            .hasPrefix("error: s2: one of 3 shards, another count (4) than s1"))
        #expect(try refusal(alter: { i, m in if i == 2 { m.grid = ["slippage.bps=0,1"] } }).hasPrefix("error: s2: another grid (slippage.bps=0,1, not "))
        #expect(try refusal(alter: { i, m in if i == 2 { m.kind = "check" } }).hasPrefix("error: s2: a check shard, not a sweep one"))
        #expect(try refusal(alter: { i, m in if i == 3 { m.ran += [0] } }).hasPrefix("error: s3: ran p1 (commission.per_fill=0;slippage.bps=0), which s"))
        #expect(try refusal(names: { $0 + ["nowhere"] }) == "error: nowhere: not a shard folder: no shard.json (write one with --shard I/N)\n")
    }
}

/// Shard folders of a sweep built from hand-made rows, as `sweep --shard` writes them, without replaying:
/// the rows of point (b, c) have net return 1 % − 0.05 % per bp − 0.01 % per commission step.
struct SimulatedShards {
    var grid: SweepGrid
    var rows: [SweepReport.Row]
    var count: Int
    var alter: (Int, inout ShardManifest) -> Void = { _, _ in }

    init(count: Int, bps: Int, commissions: Int) throws {
        self.count = count
        let text = ["slippage.bps=" + (0..<bps).map(String.init).joined(separator: ","),
                    "commission.per_fill=" + (0..<commissions).map { "0.\($0)" }.joined(separator: ",")]
        let grid = try SweepShard.grid(fromText: text, base: "seed")
        self.grid = grid
        rows = grid.points.indices.map { p in
            let (b, c) = (Double(p / commissions), Double(p % commissions))
            let r = 0.01 - 0.0005 * b - 0.0001 * c
            let figures = SweepReport.Figures(agent: "vwap-mr", totalPnL: Money(raw: Int64(r * 1e11)), returnFraction: r, sharpe: r * 280,
                                              maxDrawdown: 0.008 + b / 1e4, winRate: 0.6, fills: 1275, commissions: Money(raw: Int64(c * 6.375e10)),
                                              slippage: Money(raw: Int64(b * 1e9)))
            return SweepReport.Row(point: p, values: grid.points[p], summary: figures)
        }
    }

    /// Writes s1…sN and returns their names.
    func write(in folder: String) throws -> [String] {
        let items = SweepShard.items(grid, costPerPoint: 1)
        let owners = ShardPlan.assign(items, shards: count)
        var ran = [[Int]](repeating: [], count: count)
        for (i, s) in owners.enumerated() { ran[s].append(i) }
        let data = DataIdentity(path: "data/day.csv", files: [.init(path: "day.csv", size: 1234, sha256: String(repeating: "a", count: 64))])
        return try (1...count).map { i in
            var manifest = ShardManifest(kind: "sweep", shard: ShardSpec(index: i, count: count),
                                         scenarios: [.init(file: "scenarios/default.yaml", sha256: "0123456789ab" + String(repeating: "0", count: 52))],
                                         data: [data], grid: SweepShard.gridText(grid), baseFillModel: "seed",
                                         items: items.indices.map { "p\($0 + 1) (\(items[$0].key))" }, ran: ran[i - 1])
            alter(i, &manifest)
            let path = folder + "/s\(i)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try manifest.rendered().write(toFile: path + "/" + ShardManifest.fileName, atomically: false, encoding: .utf8)
            let mine = Set(ran[i - 1])
            try SweepShard.renderResults(rows.filter { mine.contains($0.point) })
                .write(toFile: path + "/" + SweepShard.resultsName, atomically: false, encoding: .utf8)
            return "s\(i)"
        }
    }
}
