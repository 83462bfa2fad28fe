import Foundation
import TapebenchTestSupport
import Testing
@testable import TapebenchCLI

/// The TapebenchCLI library's command tree leaves `serve` to the `tapebench` executable, so that a package adding
/// agent kinds (examples/swift-agent) does not build the HTTP server (Hummingbird, swift-nio) with it.
@Suite struct CommandTreeTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the library's tree has no serve; a program adds it with Tapebench.main(agents:commands:)")
    func serveIsAdded() {
        let problem = CommandSuggestion.problem(in: ["serve", "run.sqlite"], root: Tapebench.self)
        #expect(problem?.hasPrefix("unknown command 'serve' for 'tapebench'") == true, "\(problem ?? "nil")")
        // An added command stands after the live side's (record, paper), where serve was listed before.
        CommandContext.$commands.withValue([DataCommand.Inspect.self]) {
            #expect(CommandSuggestion.problem(in: ["inspect", "x.csv"], root: Tapebench.self) == nil)
            #expect(CommandSuggestion.problem(in: ["frobnicate"], root: Tapebench.self)?
                .contains("record, paper, inspect, data, dataset, bench") == true)
        }
    }

    @Test("in the manifest, the TapebenchCLI product's targets reach neither TapebenchServer nor Hummingbird")
    func manifest() throws {
        // `swift package dump-package` with a scratch path of its own (the test run holds .build's lock).
        let scratch = TestScratch.root + "tapebench-manifest-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "package", "--scratch-path", scratch, "--disable-dependency-cache", "dump-package"]
        process.currentDirectoryURL = Self.packageRoot
        // SwiftPM leaves a lock file named after the scratch path in TMPDIR: in the test's own folder, it goes
        // with the folder.
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": TestScratch.root]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            print("skipped: swift is not on PATH (\(error)); the manifest is not checked")
            return
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let targets = try #require(manifest["targets"] as? [[String: Any]])
        // Each target's dependencies as names: a target by name, a product as "product:NAME".
        var edges: [String: [String]] = [:]
        for target in targets {
            let name = try #require(target["name"] as? String)
            edges[name] = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                if let byName = dependency["byName"] as? [Any] { return byName.first as? String }
                if let target = dependency["target"] as? [Any] { return target.first as? String }
                if let product = dependency["product"] as? [Any] { return (product.first as? String).map { "product:" + $0 } }
                return nil
            }
        }
        var reached: Set<String> = [], stack = ["TapebenchCLI"]
        while let next = stack.popLast() {
            guard reached.insert(next).inserted else { continue }
            stack += edges[next] ?? []
        }
        #expect(reached.contains("TapebenchEngine"))
        #expect(!reached.contains("TapebenchServer"))
        #expect(!reached.contains("product:Hummingbird"))
        // The executable keeps serve.
        #expect(edges["tapebench"]?.contains("TapebenchServer") == true)
    }
}
