import Foundation
import Testing
import TapebenchTestSupport

/// A small scenario in `folder`: 40 hand-made bars of one ticker under data/, the scenario as `file`.
@discardableResult
func writeSmallScenario(in folder: String, name: String = "small", file: String = "s.yaml", extra: String = "") throws -> String {
    try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
    let bars = (0..<40).map { m -> TestBar in
        let price = 100 + (m % 7 == 0 ? -1 : 0)
        return TestBar(minute: Int64(m), open: "\(price).00", high: "\(price).50", low: "\(price - 1).50", close: "\(price).10")
    }
    let text = (["ticker,volume,open,close,high,low,window_start,transactions"] + bars.map(\.row)).joined(separator: "\n") + "\n"
    try text.write(toFile: folder + "/data/2024-03-11.csv", atomically: true, encoding: .utf8)
    let yaml = """
        name: '\(name)'
        data:
          paths: [data]
          tickers: [TST]
        agents:
          - id: a
            kind: vwap_mean_reversion
            params: {lookback_bars: 10, min_session_bars: 5}
        \(extra)
        """
    try yaml.write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
    return folder + "/" + file
}

/// Every file under `folder` with its bytes: what "untouched" is checked against.
func snapshot(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return files }
    while let relative = walker.nextObject() as? String {
        files[relative] = FileManager.default.contents(atPath: folder + "/" + relative) ?? Data("<folder>".utf8)
    }
    return files
}

/// The attacks of issue 10 on what Tapebench writes, each as the issue gave it, against the built binary.
@Suite("attack: Tapebench never deletes or writes what it did not create")
struct OutputSafetyTests {
    @Test("name: '../../../../victim' leaves victim/ untouched: exit 2, one line, nothing written")
    func traversal() throws {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: root + "/victim", withIntermediateDirectories: true)
        try "the user's work\n".write(toFile: root + "/victim/thesis.txt", atomically: true, encoding: .utf8)
        let work = root + "/a/b"  // reports/runs/../../../../victim from here is root/victim
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try writeSmallScenario(in: work, name: "../../../../victim")
        let before = snapshot(root + "/victim")
        let result = try runTapebench(["run", "s.yaml"], in: work)
        #expect(result.status == 2)
        #expect(result.stderr == "error: s.yaml:1: field 'name': '../../../../victim' is not a scenario name: use only letters, digits, '_', '-', '.'\n")
        #expect(snapshot(root + "/victim") == before)
        #expect(!FileManager.default.fileExists(atPath: work + "/reports"))
    }

    @Test("name: '/' leaves every other run under reports/runs alone; a name with '/' makes no nested folders",
          arguments: ["/", "a/b", ".", ".."])
    func rootName(name: String) throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work, name: "other", file: "other.yaml")
        #expect(try runTapebench(["run", "other.yaml", "-q"], in: work).status == 0)
        let before = snapshot(work + "/reports")
        try writeSmallScenario(in: work, name: name)
        let result = try runTapebench(["run", "s.yaml"], in: work)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: s.yaml:1: field 'name': "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(snapshot(work + "/reports") == before)
    }

    @Test("run --out on an ordinary folder holding the scenario file: refused in one line, exit 2, nothing touched")
    func outOnOrdinaryFolder() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        let before = snapshot(work)
        let result = try runTapebench(["run", "s.yaml", "--out", "."], in: work)
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(snapshot(work) == before)
        let named = try runTapebench(["run", work + "/s.yaml", "--out", work], in: work + "/data")
        #expect(named.status == 2)
        #expect(named.stderr == "error: \(work): holds 'data', which Tapebench did not write; Tapebench replaces only folders it wrote: choose another output folder, or move this one away\n")
        #expect(snapshot(work) == before)
    }

    @Test("sweep, graduate and check --update-baselines refuse a folder they did not write, before replaying")
    func otherCommands() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        for folder in ["mine", "reports/baselines/small"] {
            try FileManager.default.createDirectory(atPath: work + "/" + folder, withIntermediateDirectories: true)
            try "keep me\n".write(toFile: work + "/" + folder + "/notes.txt", atomically: true, encoding: .utf8)
        }
        // A baseline folder with the report files and one more file of the user's is not Tapebench's either.
        try "{}".write(toFile: work + "/reports/baselines/small/report.json", atomically: true, encoding: .utf8)
        let before = snapshot(work)
        for arguments in [["sweep", "s.yaml", "--param", "slippage.bps=0,1", "--out", "mine"],
                          ["graduate", "s.yaml", "--to", "paper", "--out", "mine"],
                          ["check", "s.yaml", "--update-baselines"]] {
            let result = try runTapebench(arguments, in: work)
            #expect(result.status == 2, "\(arguments[0]): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("holds 'notes.txt', which Tapebench did not write"), "\(arguments[0]): \(result.stderr)")
            #expect(snapshot(work) == before, "\(arguments[0]) touched the folder")
        }
    }

    @Test("a run folder carries the marker, is replaced by the next run, and leaves nothing beside it")
    func ownFolder() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        #expect(try runTapebench(["run", "s.yaml", "-q"], in: work).status == 0)
        let folder = work + "/reports/runs/small"
        #expect(try String(contentsOfFile: folder + "/.tapebench-run", encoding: .utf8) == "tapebench output folder, format 1\n")
        let first = try String(contentsOfFile: folder + "/report.json", encoding: .utf8)
        #expect(try runTapebench(["run", "s.yaml", "-q"], in: work).status == 0)
        #expect(try String(contentsOfFile: folder + "/report.json", encoding: .utf8) == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/reports/runs").sorted() == ["small"])
    }

    @Test("a folder an earlier Tapebench wrote (report files, no marker) is recognised and replaced")
    func legacyFolder() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        try FileManager.default.createDirectory(atPath: work + "/old-run", withIntermediateDirectories: true)
        for file in ["report.json", "report.md", "fills.csv", "run.sqlite"] {
            try "old\n".write(toFile: work + "/old-run/" + file, atomically: true, encoding: .utf8)
        }
        let result = try runTapebench(["run", "s.yaml", "--out", "old-run", "-q"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/old-run/.tapebench-run"))
        #expect(try String(contentsOfFile: work + "/old-run/report.json", encoding: .utf8) != "old\n")
    }

    @Test("data validate writes no validation.json unless --json names it")
    func validateWritesNothing() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        let before = snapshot(work)
        let result = try runTapebench(["data", "validate", "data"], in: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(snapshot(work) == before)
        #expect(try runTapebench(["data", "validate", "data", "--json", "v.json"], in: work).status == 0)
        #expect(FileManager.default.fileExists(atPath: work + "/v.json"))
    }

    @Test("data convert and dataset synth add files only into a folder that is new, empty or Tapebench's")
    func addingCommands() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        let day = "/us_stocks_sip/minute_aggs_v1/2024/03/2024-03-11.csv.gz"
        try FileManager.default.createDirectory(atPath: work + "/vendor/us_stocks_sip/minute_aggs_v1/2024/03", withIntermediateDirectories: true)
        try "the vendor's file\n".write(toFile: work + "/vendor" + day, atomically: true, encoding: .utf8)
        let before = snapshot(work)
        let synth = ["dataset", "synth", "--tickers", "AAA", "--days", "1", "--seed", "1", "--start", "2024-03-11", "--out"]
        for arguments in [synth + ["vendor"], ["data", "convert", "data", "--to", "vendor"]] {
            let result = try runTapebench(arguments, in: work)
            #expect(result.status == 2)
            #expect(result.stderr == "error: vendor: holds 'us_stocks_sip' and no .tapebench-run marker, so Tapebench did not write it; Tapebench replaces only folders it wrote: choose another output folder, or move this one away\n")
            #expect(snapshot(work) == before)
        }
        // A new folder is marked; the next conversion adds to it and leaves what else is there alone.
        #expect(try runTapebench(synth + ["fresh"], in: work).status == 0)
        #expect(FileManager.default.fileExists(atPath: work + "/fresh/.tapebench-run"))
        try FileManager.default.createDirectory(atPath: work + "/fresh/.spool", withIntermediateDirectories: true)
        try "mine\n".write(toFile: work + "/fresh/.spool/keep", atomically: true, encoding: .utf8)
        let converted = try runTapebench(["data", "convert", "data", "--to", "fresh"], in: work)
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/fresh/.spool/keep"))
        #expect(FileManager.default.fileExists(atPath: work + "/fresh" + day))
    }

    @Test("two runs of the same scenario at once both succeed, one after the other, and the folder is whole")
    func concurrentRuns() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        let results = Locked<[CommandResult]>([])
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            Thread {
                if let result = try? runTapebench(["run", "s.yaml", "-q"], in: work) { results.withLock { $0.append(result) } }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(results.withLock { $0.map(\.status) } == [0, 0], "\(results.withLock { $0.map(\.stderr) })")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/reports/runs").sorted() == ["small"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/reports/runs/small").sorted()
                == [".tapebench-run", "equity.csv", "fills.csv", "report.html", "report.json", "report.md", "returns.csv", "round_trips.csv",
                   "run.sqlite", "trades.csv"])
    }

    @Test("--no-wait while another process holds the output: one line naming that process, exit 2, nothing touched")
    func noWait() throws {
        let work = try temporaryFolder()
        try writeSmallScenario(in: work)
        try FileManager.default.createDirectory(atPath: work + "/reports/runs", withIntermediateDirectories: true)
        // This test process holds the lock, as a running tapebench would.
        let descriptor = open(work + "/reports/runs/.small.lock", O_RDWR | O_CREAT, 0o644)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX) == 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        let result = try runTapebench(["run", "s.yaml", "--no-wait"], in: work)
        #expect(result.status == 2)
        #expect(result.stderr == "error: reports/runs/small: process \(getpid()) is writing it; try again when it ends (lock: reports/runs/.small.lock)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/reports/runs") == [".small.lock"])
    }
}

/// A value shared with threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
