import Foundation
import Testing
import TapebenchTestSupport

/// `--threads` changes how the work is shared out, never the result: the same bytes in every file.
@Suite struct ThreadCountTests {
    @Test("tapebench run with 1, 2 and 4 threads writes byte-identical reports (5 fill-model lanes)")
    func run() throws {
        let folder = try temporaryFolder()
        var written: [Int: [String: Data]] = [:]
        for threads in [1, 2, 4] {
            let out = folder + "/out-\(threads)"
            let result = try runTapebench(["run", Repository.root + "/scenarios/fill-models.yaml", "--threads", "\(threads)", "--out", out, "--quiet"],
                                          in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            written[threads] = try contents(of: out)
        }
        let one = try #require(written[1])
        // Every report the run writes, the database included.
        #expect(Set(one.keys).isSuperset(of: ["report.md", "report.html", "report.json", "fills.csv", "trades.csv", "equity.csv", "run.sqlite"]))
        #expect(one["fills.csv"]!.count > 10_000)
        for threads in [2, 4] {
            let other = try #require(written[threads])
            #expect(Set(other.keys) == Set(one.keys))
            for (name, bytes) in one { #expect(other[name] == bytes, "\(name) differs between 1 and \(threads) threads") }
        }
    }

    @Test("a one-lane run (run.sqlite written in place, no copy) with 1, 2 and 4 threads writes byte-identical files")
    func oneLane() throws {
        let folder = try temporaryFolder()
        var written: [Int: [String: Data]] = [:]
        for threads in [1, 2, 4] {
            let out = folder + "/one-\(threads)"
            let result = try runTapebench(["run", Repository.defaultScenario, "--threads", "\(threads)", "--out", out, "--quiet"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            written[threads] = try contents(of: out)
        }
        let one = try #require(written[1])
        #expect(one["run.sqlite"] != nil)
        // Nothing but the published files: no lane's scratch database is left.
        #expect(!one.keys.contains { $0.hasPrefix(".lane-") })
        #expect(written[2] == one)
        #expect(written[4] == one)
    }

    @Test("tapebench sweep with 1 and 4 threads writes byte-identical files (20 points)")
    func sweep() throws {
        let folder = try temporaryFolder()
        var written: [Int: [String: Data]] = [:]
        for threads in [1, 4] {
            let out = folder + "/sweep-\(threads)"
            let result = try runTapebench(["sweep", Repository.defaultScenario, "--param", "slippage.bps=0:19:1", "--threads", "\(threads)",
                                           "--out", out, "--quiet"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            written[threads] = try contents(of: out)
        }
        let one = try #require(written[1])
        #expect(String(decoding: try #require(one["sweep.csv"]), as: UTF8.self).split(separator: "\n").count == 21)
        #expect(written[4] == one)
    }

    @Test("--threads takes 1 or more: 0 is an input error (exit 2), nothing written", arguments: ["0", "-3", "two"])
    func refused(value: String) throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["run", Repository.defaultScenario, "--threads", value, "--out", folder + "/out"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("threads"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    /// The regular files of a folder by name (the marker and lock files of the folder included).
    func contents(of folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[name] = try #require(FileManager.default.contents(atPath: folder + "/" + name))
        }
        return files
    }
}
