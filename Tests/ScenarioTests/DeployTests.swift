import Foundation
import Testing
import TapebenchTestSupport
import Yams

/// deploy/: the Kubernetes manifests against the Kubernetes schemas, the GitHub Actions matrix, and a real
/// local Ray cluster running a grid through deploy/ray/driver.py.
@Suite struct DeployTests {
    static let kubernetes = Repository.root + "/deploy/kubernetes"
    static let manifests = ["shared-volume.yaml", "sweep-shards.yaml", "merge.yaml"].map { kubernetes + "/" + $0 }

    func yaml(_ path: String) throws -> [String: Any] {
        try #require(try Yams.load(yaml: String(contentsOfFile: path, encoding: .utf8)) as? [String: Any])
    }

    @Test("the Kubernetes manifests pass kubernetes-validate (strict) for 1.37, and a misspelt field does not")
    func kubernetesSchemas() async throws {
        switch try await PythonEnvironment("kubernetes-validate").run("validate.py", ["1.37.0"] + Self.manifests) {
        case .output(let text):
            #expect(text == "ok PersistentVolumeClaim/tapebench-shared\nok Job/tapebench-sweep\nok Job/tapebench-merge\n")
        case .unavailable(let reason):
            try Test.cancel(Comment(rawValue: reason))
        }
        // The validator bites: the same Job with `completionModes` is refused.
        let folder = try temporaryFolder()
        let bad = try String(contentsOfFile: Self.manifests[1], encoding: .utf8).replacingOccurrences(of: "completionMode:", with: "completionModes:")
        try bad.write(toFile: folder + "/bad.yaml", atomically: true, encoding: .utf8)
        await #expect(throws: PythonEnvironment.Failure.self) {
            _ = try await PythonEnvironment("kubernetes-validate").run("validate.py", ["1.37.0", folder + "/bad.yaml"])
        }
    }

    @Test("the Indexed Job runs shard JOB_COMPLETION_INDEX+1 of N, N agreeing everywhere; merge reads the shards' folders")
    func indexedJob() throws {
        let job = try yaml(Self.manifests[1])
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let container = try #require(((spec["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]]).first
        let env = try #require(container?["env"] as? [[String: Any]])
        let shards = try #require(env.first { $0["name"] as? String == "SHARDS" }?["value"] as? String)
        #expect(spec["completions"] as? Int == Int(shards) && spec["parallelism"] as? Int == Int(shards))
        let command = try #require((container?["args"] as? [String])?.first)
        #expect(command.contains("--shard \"$((JOB_COMPLETION_INDEX + 1))/$SHARDS\""))
        #expect(command.contains("--out \"shards/sweep-$((JOB_COMPLETION_INDEX + 1))\""))
        let merge = try yaml(Self.manifests[2])
        let mergeArgs = try #require(((((merge["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]])?.first?["args"] as? [String])
        #expect(mergeArgs == ["exec tapebench merge shards/sweep-* --out reports/default-sweep"])
        let dockerfile = try String(contentsOfFile: Self.kubernetes + "/Dockerfile", encoding: .utf8)
        #expect(dockerfile.contains("FROM swift:6.3-bookworm AS build") && dockerfile.contains("FROM debian:bookworm-slim"))
        // The runtime stage installs every shared library the static-stdlib binary still needs (`ldd`: libarchive,
        // SQLite, ISA-L, and libcurl for Foundation's networking part).
        #expect(dockerfile.contains("libarchive13 libsqlite3-0 libisal2 libcurl4"))
    }

    @Test("the GitHub Actions example parses: a shard matrix 1…SHARDS and a merge job after it")
    func actionsMatrix() throws {
        let workflow = try yaml(Repository.root + "/deploy/github-actions/sharded-sweep.yml")
        let shardsText = try #require((workflow["env"] as? [String: Any])?["SHARDS"] as? String)
        let shards = try #require(Int(shardsText))
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let shard = try #require(jobs["shard"] as? [String: Any])
        let matrix = try #require(((shard["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["shard"] as? [Int])
        #expect(matrix == Array(1...shards))
        let steps = try #require(shard["steps"] as? [[String: Any]])
        #expect(steps.contains { ($0["run"] as? String)?.contains("--shard \"${{ matrix.shard }}/$SHARDS\"") == true })
        let merge = try #require(jobs["merge"] as? [String: Any])
        #expect(merge["needs"] as? String == "shard")
        let mergeSteps = try #require(merge["steps"] as? [[String: Any]])
        #expect(mergeSteps.contains { ($0["run"] as? String)?.contains("tapebench merge shards/shard-*") == true })
    }

    @Test("a grid through a real local Ray cluster (3 tasks, one per shard) equals one machine's sweep, byte for byte")
    func rayCluster() async throws {
        let folder = try temporaryFolder()
        let grid = ["sweep", Repository.defaultScenario, "--param", "slippage.bps=0:3:1"]
        let whole = try runTapebench(grid + ["--out", "whole"], in: folder)
        #expect(whole.status == 0, "\(whole.stderr)")
        let driver = Repository.root + "/deploy/ray/driver.py"
        switch try await PythonEnvironment("ray").run("local_cluster.py", [driver, "2", "--shards", "3", "--workdir", folder, "--out", "merged",
                                                                           "--tapebench", Repository.tapebench, "--"] + grid) {
        case .output(let text):
            #expect(text == whole.stdout.replacingOccurrences(of: "whole/", with: "merged/"))
        case .unavailable(let reason):
            try Test.cancel(Comment(rawValue: reason))
        }
        for file in ["sweep.csv", "sweep.svg"] {
            #expect(try String(contentsOfFile: folder + "/merged/" + file, encoding: .utf8) == String(contentsOfFile: folder + "/whole/" + file, encoding: .utf8))
        }
        for i in 1...3 { #expect(FileManager.default.fileExists(atPath: folder + "/shards/sweep-\(i)/shard.json")) }
    }
}
