import Foundation
import TapebenchTestSupport
import GRDB
import Testing
import TapebenchCore
import TapebenchStore

@Suite struct AgentStatusRegistryTests {
    func folder() throws -> String {
        let path = TestScratch.root + "tapebench-registry-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func step(_ agent: String, _ from: AgentLifecycleStatus, _ to: AgentLifecycleStatus, time: String = "2024-04-02T20:00:00Z",
              forced: Bool = false, account: String? = nil) -> StatusTransition {
        StatusTransition(agent: agent, from: from, to: to, time: time, forced: forced, criteria: "{\"eligible\": true}",
                         scenario: "default", scenarioSHA256: String(repeating: "ab", count: 32), paperAccountID: account)
    }

    @Test("a missing registry reads as every agent learning and is not created by reading")
    func missing() throws {
        let path = try folder() + "/reports/agents.sqlite"
        let registry = AgentStatusRegistry(path: path)
        #expect(try registry.statuses(of: ["a", "b"]) == ["a": .learning, "b": .learning])
        #expect(try registry.history(of: "a").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("statuses and history last across openings: learning → paper_trading (forced) → live, in order, with their times")
    func lifecycle() throws {
        let path = try folder() + "/reports/agents.sqlite"  // the folder is made too
        try AgentStatusRegistry(path: path).record([step("a", .learning, .paperTrading, time: "2024-03-08T21:00:00Z", forced: true, account: "paper-a-0123")])
        try AgentStatusRegistry(path: path).record([step("a", .paperTrading, .live)])
        let registry = AgentStatusRegistry(path: path)
        #expect(try registry.statuses(of: ["a", "b"]) == ["a": .live, "b": .learning])
        let history = try registry.history(of: "a")
        #expect(history.map { "\($0.from.rawValue)→\($0.to.rawValue) \($0.time) forced=\($0.forced)" }
                    == ["learning→paper_trading 2024-03-08T21:00:00Z forced=true", "paper_trading→live 2024-04-02T20:00:00Z forced=false"])
        #expect(history.allSatisfy { $0.scenarioSHA256.count == 64 && $0.criteria == "{\"eligible\": true}" })
        // The paper account given on graduation to paper stays when the step to live names none.
        #expect(try registry.paperAccountID(of: "a") == "paper-a-0123")
        // Its application id marks it as Tapebench's, so any SQLite tool can tell.
        let id = try DatabaseQueue(path: path).read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }
        #expect(id == 0x5442_5247)
        #expect(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) == ["agents.sqlite"])
    }

    @Test("a step from a status the agent no longer has records nothing, not even the other agents' steps")
    func stale() throws {
        let path = try folder() + "/agents.sqlite"
        let registry = AgentStatusRegistry(path: path)
        try registry.record([step("a", .learning, .paperTrading)])
        #expect { try registry.record([step("b", .learning, .paperTrading), step("a", .learning, .paperTrading)]) } throws: {
            "\($0)" == "\(path): agent 'a' is now paper_trading, not learning (changed by another tapebench?); nothing recorded"
        }
        #expect(try registry.statuses(of: ["a", "b"]) == ["a": .paperTrading, "b": .learning])
        #expect(try registry.history(of: "b").isEmpty)
    }

    @Test("a file Tapebench did not create is refused with one line and left byte for byte", arguments: [
        "text", "empty", "other-sqlite", "link", "folder",
    ])
    func foreign(kind: String) throws {
        let base = try folder()
        let path = base + "/agents.sqlite"
        var expected = ""
        switch kind {
        case "text":
            try "id,status\na,live\n".write(toFile: path, atomically: true, encoding: .utf8)
            expected = "not a SQLite database"
        case "empty":
            _ = FileManager.default.createFile(atPath: path, contents: Data())
            expected = "an empty file"
        case "other-sqlite":
            try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE trading_agents (id TEXT, status TEXT)") }
            expected = "a SQLite database of another program"
        case "link":
            // Even a link to a real registry: the link is not what Tapebench created.
            try AgentStatusRegistry(path: base + "/real.sqlite").record([step("a", .learning, .paperTrading)])
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: base + "/real.sqlite")
            expected = "a symbolic link"
        default:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            expected = "a folder"
        }
        let before = try? Data(contentsOf: URL(fileURLWithPath: path))
        let registry = AgentStatusRegistry(path: path)
        let message = "\(path): \(expected), not an agent registry Tapebench created; Tapebench changes only its own: choose another --registry, or move this file away"
        #expect { _ = try registry.statuses(of: ["a"]) } throws: { "\($0)" == message }
        #expect { try registry.record([step("a", .learning, .paperTrading)]) } throws: { "\($0)" == message }
        #expect((try? Data(contentsOf: URL(fileURLWithPath: path))) == before)
    }
}
