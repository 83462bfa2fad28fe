import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchTestSupport
@testable import TapebenchReports

/// `run` over several scenarios, whole and in shards: the merged folders are the whole run's, byte for byte.
@Suite struct RunShardTests {
    /// Four scenarios in `scenarios/` over one small dataset in `data/` (two tickers, two days of minute bars),
    /// with 1 or 2 lanes each (so their costs differ).
    func writeScenarios() throws -> String {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/scenarios", withIntermediateDirectories: true)
        for (day, name) in ["2024-03-11", "2024-03-12"].enumerated() {
            var rows = ["ticker,volume,open,close,high,low,window_start,transactions"]
            for ticker in ["AAA", "BBB"] {
                for minute in 0..<120 {
                    // A saw-tooth with a volume burst every 23 minutes: signals for the agents to act on.
                    let price = 100 + Double((minute * 7 + (ticker == "BBB" ? 3 : 0)) % 19) * 0.25 - Double(day)
                    let bar = TestBar(ticker: ticker, minute: Int64(day * 1_440 + minute), open: "\(price)", high: "\(price + 0.5)",
                                      low: "\(price - 0.5)", close: "\(price + 0.1)", volume: minute % 23 == 0 ? 90_000 : 1_000)
                    rows.append(bar.row)
                }
            }
            try (rows.joined(separator: "\n") + "\n").write(toFile: "\(folder)/data/\(name).csv", atomically: true, encoding: .utf8)
        }
        let scenarios = [
            ("a.yaml", "alpha", "[AAA]", "[{id: v, kind: vwap_mean_reversion, params: {min_session_bars: 5, lookback_bars: 10}}]", "fill_model: seed"),
            ("b.yaml", "beta", "[AAA, BBB]", "[{id: s, kind: volume_surge}]", "fill_models: [seed, conservative]"),
            ("c.yaml", "gamma", "[BBB]", "[{id: b, kind: breakout}]", "fill_model: conservative"),
            ("d.yml", "delta", "[AAA, BBB]", "[{id: v, kind: vwap_mean_reversion}, {id: b, kind: breakout}]", "fill_model: seed"),
        ]
        for (file, name, tickers, agents, fill) in scenarios {
            try "name: \(name)\ndata: {paths: [../data], tickers: \(tickers)}\nagents: \(agents)\n\(fill)\n"
                .write(toFile: "\(folder)/scenarios/\(file)", atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// Every file under `root` (relative path → bytes), marker files included.
    func tree(_ root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [] {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isFolder)
            if !isFolder.boolValue { files[name] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)) }
        }
        return files
    }

    @Test("four scenarios run whole and in 3 shards, merged: the same run folders, byte for byte")
    func wholeAndThreeShards() throws {
        let folder = try writeScenarios()
        let whole = try runTapebench(["run", "scenarios", "--out", "whole", "--threads", "1"], in: folder)
        #expect(whole.status == 0, "\(whole.stderr)")
        var ran: [[Int]] = []
        for i in 1...3 {
            let shard = try runTapebench(["run", "scenarios", "--shard", "\(i)/3", "--out", "s\(i)", "--threads", "1"], in: folder)
            #expect(shard.status == 0, "\(shard.stderr)")
            ran.append(try ShardManifest.read(folder: folder + "/s\(i)").ran)
        }
        // Items in file order a, b, c, d; lanes 1, 2, 1, 2 over the same data: b and d first, one shard each,
        // then a and c together on the third (least loaded after one of them).
        #expect(ran.flatMap { $0 }.sorted() == [0, 1, 2, 3])
        #expect(ran.map(\.count).sorted() == [1, 1, 2])
        #expect(Set(ran.first { $0.count == 2 } ?? []) == [0, 2])
        let merged = try runTapebench(["merge", "s2", "s3", "s1", "--out", "merged"], in: folder)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == ["alpha", "beta", "gamma", "delta"].map { "wrote merged/\($0)\n" }.joined())
        let expected = try tree(folder + "/whole"), actual = try tree(folder + "/merged")
        #expect(expected.count == 4 * 10)  // nine files and the marker per scenario
        #expect(actual.keys.sorted() == expected.keys.sorted())
        for (name, bytes) in expected { #expect(actual[name] == bytes, "\(name) differs") }
        // Merging again replaces what merge wrote.
        #expect(try runTapebench(["merge", "s1", "s2", "s3", "--out", "merged"], in: folder).status == 0)
    }

    @Test("missing, duplicated and mismatched run shards are refused with one line; duplicate names and bad lists too")
    func refusals() throws {
        let folder = try writeScenarios()
        for i in 1...2 {
            let shard = try runTapebench(["run", "scenarios/a.yaml", "scenarios/c.yaml", "--shard", "\(i)/2", "--out", "s\(i)", "--threads", "1"], in: folder)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let missing = try runTapebench(["merge", "s1", "--out", "m"], in: folder)
        #expect(missing.status == 2 && missing.stderr == "error: merge: 1 of 2 shard(s) missing: 2/2\n", "\(missing.stderr)")
        let twice = try runTapebench(["merge", "s1", "s2", "s2", "--out", "m"], in: folder)
        #expect(twice.stderr == "error: s2: shard 2/2 given twice (also s2)\n")
        // The scenario changed between the shards.
        try "name: gamma\ndata: {paths: [../data], tickers: [AAA]}\nagents: [{id: b, kind: breakout}]\nfill_model: seed\n"
            .write(toFile: folder + "/scenarios/c.yaml", atomically: true, encoding: .utf8)
        let changed = try runTapebench(["run", "scenarios/a.yaml", "scenarios/c.yaml", "--shard", "2/2", "--out", "s2", "--threads", "1"], in: folder)
        #expect(changed.status == 0, "\(changed.stderr)")
        let other = try runTapebench(["merge", "s1", "s2", "--out", "m"], in: folder)
        #expect(other.status == 2 && other.stderr.hasPrefix("error: s2: another scenario (scenarios/c.yaml sha256 "), "\(other.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/m"))
        // Two scenarios of one name would write one folder.
        try "name: alpha\ndata: {paths: [../data], tickers: [AAA]}\nagents: [{id: b, kind: breakout}]\nfill_model: seed\n"
            .write(toFile: folder + "/scenarios/e.yaml", atomically: true, encoding: .utf8)
        let names = try runTapebench(["run", "scenarios", "--out", "x"], in: folder)
        #expect(names.status == 2)
        #expect(names.stderr == "error: scenarios/e.yaml: field 'name': 'alpha' is also the name of scenarios/a.yaml; each scenario writes OUT/<name>, so the names must differ\n")
        let shardText = try runTapebench(["run", "scenarios/a.yaml", "--shard", "3/2"], in: folder)
        #expect(shardText.status == 2 && shardText.stderr == "error: --shard: '3/2': expected I/N with 1 ≤ I ≤ N ≤ 100000 (e.g. 2/8)\n", "\(shardText.stderr)")
    }
}
