import Foundation
import Testing
import TapebenchTestSupport

/// Runs a command as root may (`mount`), and says whether it succeeded.
@discardableResult
func system(_ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

/// A small tmpfs mounted at `path` for the length of `body`, or nil (with the reason printed) where this
/// process may not mount one (not root, or a container without the capability).
func withTmpfs(_ path: String, options: String, _ body: () throws -> Void) throws -> Bool {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    guard getuid() == 0, system(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path]) else {
        print("skipped: cannot mount a tmpfs (-o \(options)) here: needs root with CAP_SYS_ADMIN; the library tests inject the same failure")
        return false
    }
    defer { system(["umount", path]) }
    try body()
    return true
}

/// The one-line errors of issue 10: a full disk, a read-only folder, a path through a file, a corrupt
/// baseline. Each is one line with the path and the reason, exit 2, and never a raw Foundation error.
@Suite("attack: errors a person can act on")
struct ErrorReportingTests {
    func expectOneLine(_ result: CommandResult, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr == "error: \(message)\n", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Domain") && !result.stdout.contains("Domain"), sourceLocation: sourceLocation)
    }

    @Test("an output folder under a regular file: the path and 'a part of the path is a file' (meaningful as root too)")
    func pathThroughAFile() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        try "notes\n".write(toFile: work + "/notes.txt", atomically: true, encoding: .utf8)
        expectOneLine(try runTapebench(["run", "s.yaml", "--out", "notes.txt/out"], in: work),
                      "notes.txt/out: cannot use this path: a part of the path is a file, not a folder")
        expectOneLine(try runTapebench(["sweep", "s.yaml", "--param", "slippage.bps=0,1", "--out", "notes.txt/sweep"], in: work),
                      "notes.txt/sweep: cannot use this path: a part of the path is a file, not a folder")
        expectOneLine(try runTapebench(["data", "validate", "data", "--json", "notes.txt/v.json"], in: work),
                      "notes.txt/v.json: cannot use this path: a part of the path is a file, not a folder")
        #expect(try String(contentsOfFile: work + "/notes.txt", encoding: .utf8) == "notes\n")
    }

    @Test("--junit naming a folder: one line, not an NSCocoaErrorDomain dump")
    func fileIsAFolder() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        #expect(try runTapebench(["check", "s.yaml", "--update-baselines"], in: work).status == 0)
        try FileManager.default.createDirectory(atPath: work + "/j.xml", withIntermediateDirectories: true)
        expectOneLine(try runTapebench(["check", "s.yaml", "--junit", "j.xml", "-q"], in: work), "j.xml: cannot write the file: it is a folder, not a file")
    }

    @Test("a read-only folder: the path and 'read-only' or 'permission denied'; nothing written")
    func readOnly() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        if getuid() != 0 {
            try FileManager.default.createDirectory(atPath: work + "/locked", withIntermediateDirectories: true)
            chmod(work + "/locked", 0o555)
            defer { chmod(work + "/locked", 0o755) }
            expectOneLine(try runTapebench(["run", "s.yaml", "--out", "locked/out"], in: work),
                          "locked/.out.lock: cannot create the lock file: permission denied")
            return
        }
        // Root writes through permissions; a read-only mount stops root too.
        _ = try withTmpfs(work + "/locked", options: "ro,size=64k") {
            expectOneLine(try runTapebench(["run", "s.yaml", "--out", "locked/out"], in: work),
                          "locked/.out.lock: cannot create the lock file: the file system is read-only")
        }
    }

    @Test("a full disk: the file and 'no space left'; the previous report intact, no staging folder left")
    func fullDisk() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        #expect(try runTapebench(["run", "s.yaml", "--out", "sized", "-q"], in: work).status == 0)
        // Room for one run's files (tmpfs counts whole 4 KiB pages), not for a second beside it.
        let pages = try FileManager.default.contentsOfDirectory(atPath: work + "/sized").reduce(0) { total, name in
            let size = (try FileManager.default.attributesOfItem(atPath: work + "/sized/" + name)[.size] as? Int) ?? 0
            return total + max(1, (size + 4_095) / 4_096)
        }
        _ = try withTmpfs(work + "/disk", options: "size=\((pages + pages / 2) * 4)k") {
            try FileManager.default.copyItem(atPath: work + "/sized", toPath: work + "/disk/out")
            let before = snapshot(work + "/disk/out")
            let result = try runTapebench(["run", "s.yaml", "--out", "disk/out"], in: work)
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("error: disk/out/"), "\(result.stderr)")
            #expect(result.stderr.hasSuffix(": no space left on the device\n"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(snapshot(work + "/disk/out") == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/disk").sorted() == ["out"])
        }
    }

    // MARK: - Corrupt baselines and reports

    /// A folder with a small scenario and its baseline; `damage` applied to the baseline folder.
    func baseline(_ damage: (String) throws -> Void) throws -> String {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        #expect(try runTapebench(["check", "s.yaml", "--update-baselines"], in: work).status == 0)
        try damage(work + "/reports/baselines/small")
        return work
    }

    static let damages: [(String, @Sendable (String) throws -> Void, String)] = [
        ("truncated report.json", { folder in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.json"))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: folder + "/report.json"))
        }, "report.json: not valid JSON (truncated or damaged?): not a Tapebench report.json"),
        ("empty report.json", { try Data().write(to: URL(fileURLWithPath: $0 + "/report.json")) },
         "report.json: empty file: not a Tapebench report.json"),
        ("garbage report.json", { try Data("\u{0}\u{1}garbage".utf8).write(to: URL(fileURLWithPath: $0 + "/report.json")) },
         "report.json: not valid JSON (truncated or damaged?): not a Tapebench report.json"),
        ("another JSON as report.json", { try Data("{\"agents\": 3}".utf8).write(to: URL(fileURLWithPath: $0 + "/report.json")) },
         "report.json: not a Tapebench report.json (it has no schema_version and agents)"),
        ("no fills.csv", { try FileManager.default.removeItem(atPath: $0 + "/fills.csv") },
         "fills.csv: missing: a report folder holds fills.csv beside report.json"),
        ("garbage fills.csv", { try Data("hello\n".utf8).write(to: URL(fileURLWithPath: $0 + "/fills.csv")) },
         "fills.csv:1: not a Tapebench fills.csv (the first line is not 'order_id,agent,variant,time,ticker,side,type,quantity,price,commission,slippage,rule')"),
    ]

    @Test("check with a damaged baseline: exit 2 naming the file", arguments: damages.indices)
    func checkDamaged(index: Int) throws {
        let (_, damage, message) = Self.damages[index]
        let work = try baseline(damage)
        let result = try runTapebench(["check", "s.yaml"], in: work)
        expectOneLine(result, "reports/baselines/small/" + message)
        #expect(result.stdout.hasSuffix("1 scenario(s): 0 regression(s), 1 error(s)\n"))
        // Accepting this run replaces a baseline that cannot be read, and says so.
        let update = try runTapebench(["check", "s.yaml", "--update-baselines"], in: work)
        #expect(update.status == 0)
        #expect(update.stdout.contains("small: baseline replaced; the old one could not be read (reports/baselines/small/\(message))"))
        #expect(try runTapebench(["check", "s.yaml"], in: work).status == 0)
    }

    @Test("diff with a damaged report folder: exit 2 naming the file (a missing fills.csv is not '1274 more fill rows differ')",
          arguments: damages.indices)
    func diffDamaged(index: Int) throws {
        let (_, damage, message) = Self.damages[index]
        let work = try baseline { _ in }
        try FileManager.default.copyItem(atPath: work + "/reports/baselines/small", toPath: work + "/copy")
        try damage(work + "/copy")
        expectOneLine(try runTapebench(["diff", "reports/baselines/small", "copy"], in: work), "copy/" + message)
        expectOneLine(try runTapebench(["diff", "copy", "reports/baselines/small"], in: work), "copy/" + message)
    }

    @Test("diff finds a damaged run.sqlite", arguments: ["garbage", "truncated"])
    func damagedDatabase(kind: String) throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        #expect(try runTapebench(["run", "s.yaml", "--out", "a", "-q"], in: work).status == 0)
        #expect(try runTapebench(["run", "s.yaml", "--out", "b", "-q"], in: work).status == 0)
        #expect(try runTapebench(["diff", "a", "b"], in: work).status == 0)
        let database = URL(fileURLWithPath: work + "/b/run.sqlite")
        let bytes = try Data(contentsOf: database)
        try (kind == "garbage" ? Data(repeating: 0x41, count: bytes.count) : bytes.prefix(bytes.count / 3)).write(to: database)
        let result = try runTapebench(["diff", "a", "b"], in: work)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: b/run.sqlite: "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
