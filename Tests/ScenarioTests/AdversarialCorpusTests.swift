import Foundation
import TapebenchTestSupport
import Testing

/// The adversarial corpus of issue 10, generated here and run through the built binary: hostile scenario
/// names, output folders, data files, order tapes, numbers and baselines. Whatever the case, Tapebench
/// must end by an exit code (never a signal), within a deadline (never hang), with a documented status;
/// an error is exactly one short line on stderr; and nothing outside the output folder it was given is
/// created, changed or removed (a `victim/` folder beside the case is watched too).
@Suite struct AdversarialCorpusTests {
    /// One attack: the files of a case folder, and the command run inside it.
    struct Case: CustomStringConvertible {
        var name: String
        var files: [String: Content]
        var arguments: [String]
        /// Statuses the case may end with; 2 (one line) by default.
        var statuses: Set<Int32> = [2]
        /// Paths (relative to the case folder) the command may create.
        var output = "out"
        var description: String { name }
    }

    enum Content {
        case text(String)
        case bytes([UInt8])
        case fifo
        case link(String)
    }

    static let header = "ticker,volume,open,close,high,low,window_start,transactions"
    static let goodDay = header + "\n" + (0..<30).map { "TST,1000,100,100.5,101,99.5,\((1_710_163_800 + Int64($0) * 60) * 1_000_000_000)," }.joined(separator: "\n") + "\n"
    static let tapeHeader = "time,ticker,side,type,quantity,limit_price,stop_price"

    static func scenario(name: String = "attack", tickers: String = "[TST]", agents: String = "[{id: a, kind: breakout}]", extra: String = "") -> String {
        "name: \(name)\ndata: {paths: [data], tickers: \(tickers)}\nagents: \(agents)\n\(extra)"
    }

    static func tapeScenario(_ rows: String) -> [String: Content] {
        ["s.yaml": .text(scenario(agents: "[{id: t, kind: order_tape, params: {file: orders.csv}}]")),
         "data/2024-03-11.csv": .text(goodDay), "orders.csv": .text(tapeHeader + "\n" + rows + "\n")]
    }

    static func run(_ files: [String: Content], _ name: String, statuses: Set<Int32> = [2]) -> Case {
        Case(name: name, files: files, arguments: ["run", "s.yaml", "--out", "out", "--quiet"], statuses: statuses)
    }

    static func withScenario(_ yaml: String, _ name: String, data: [String: Content] = ["data/2024-03-11.csv": .text(goodDay)], statuses: Set<Int32> = [2]) -> Case {
        run(data.merging(["s.yaml": .text(yaml)]) { $1 }, name, statuses: statuses)
    }

    static func bars(_ body: String, _ name: String, file: String = "data/2024-03-11.csv") -> Case {
        withScenario(scenario(), name, data: [file: .text(body)])
    }

    static let rest = #"{"ticker":"TST","status":"OK","adjusted":true,"queryCount":1,"resultsCount":1,"results":[{"o":100,"h":HIGH,"l":99,"c":100,"v":1000,"t":TIME}]}"#

    static var cases: [Case] {
        var cases: [Case] = []
        // Names and output folders.
        for name in ["'../../victim'", "'/'", "a/b", "'..'", "'.'", String(repeating: "n", count: 500), "'=cmd|calc'", "''"] {
            cases.append(Case(name: "scenario name \(name.prefix(20))", files: ["s.yaml": .text(scenario(name: name)), "data/2024-03-11.csv": .text(goodDay)],
                              arguments: ["run", "s.yaml", "--quiet"], output: "reports"))
        }
        cases.append(withScenario(scenario(agents: "[{id: '=HYPERLINK(\"x\")', kind: breakout}]"), "formula as agent id"))
        cases.append(withScenario(scenario(tickers: "['+SUM(1)']"), "formula as ticker"))
        cases.append(withScenario(scenario(tickers: "['@A1']"), "formula as ticker, @"))
        cases.append(Case(name: "--out on the folder holding the scenario", files: ["s.yaml": .text(scenario()), "data/2024-03-11.csv": .text(goodDay)],
                          arguments: ["run", "s.yaml", "--out", ".", "--quiet"], output: "-"))
        cases.append(Case(name: "--out on an ordinary folder", files: ["s.yaml": .text(scenario()), "data/2024-03-11.csv": .text(goodDay), "mine/notes.txt": .text("mine")],
                          arguments: ["run", "s.yaml", "--out", "mine", "--quiet"], output: "-"))
        cases.append(Case(name: "--out through a file", files: ["s.yaml": .text(scenario()), "data/2024-03-11.csv": .text(goodDay), "f": .text("file")],
                          arguments: ["run", "s.yaml", "--out", "f/out", "--quiet"], output: "-"))
        // Scenario files.
        cases.append(Case(name: "a scenario file named 'a' (Foundation's path methods trap on it)", files: ["a": .text(scenario()), "data/2024-03-11.csv": .text(goodDay)],
                          arguments: ["run", "a", "--out", "out", "--quiet"], statuses: [0]))
        cases.append(run(["s.yaml": .fifo], "the scenario is a FIFO"))
        cases.append(run(["s.yaml": .link("/dev/zero")], "the scenario is /dev/zero"))
        cases.append(run(["s.yaml": .text("{{{ not: yaml")], "not YAML"))
        cases.append(run(["s.yaml": .bytes([0xFF, 0xFE] + Array("name: x\n".utf8).flatMap { [$0, 0] })], "a UTF-16 scenario"))
        cases.append(withScenario(scenario(name: String(repeating: "x", count: 2_000_000)), "a 2 MB name"))
        cases.append(withScenario(scenario(extra: "fill_models: [seed, [&a [x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e]]]\n"), "aliases that expand to 262,144 nodes"))
        cases.append(withScenario(scenario(extra: "account: {initial_balance: 1e300}\n"), "an absurd balance"))
        cases.append(withScenario(scenario(extra: "seed: 99999999999999999999999999\n"), "a 26-digit seed"))
        cases.append(withScenario(scenario().replacingOccurrences(of: "[data]", with: "[/dev/zero]"), "data is /dev/zero"))
        // Data files.
        cases.append(bars(String(repeating: "x", count: 2 << 20), "a data file without a line break"))
        cases.append(run(["s.yaml": .text(scenario()), "data/x.csv": .fifo], "a FIFO named x.csv"))
        cases.append(bars("", "a 0-byte flat file"))
        cases.append(run(["s.yaml": .text(scenario()), "data/2024-03-11.csv.gz": .bytes([])], "a 0-byte .gz"))
        cases.append(run(["s.yaml": .text(scenario()), "data/2024-03-11.csv": .bytes([0xFF, 0xFE] + Array(goodDay.utf8).flatMap { [$0, 0] })], "a UTF-16 flat file"))
        cases.append(run(["s.yaml": .text(scenario()), "data/2024-03-11.csv": .bytes(Array(Self.header.utf8) + [10] + [UInt8](repeating: 0, count: 100_000))], "NUL bytes"))
        cases.append(bars(goodDay.replacingOccurrences(of: "\n", with: "\r"), "CR-only line endings", file: "data/2024-03-11.csv"))
        cases[cases.count - 1].statuses = [0]
        cases.append(bars(header + "\n", "a header and no bars"))
        cases.append(bars(header + "\nTST,93000000000000000000,100,100,101,99,1710163800000000000,\n", "a volume of 9.3e19"))
        cases.append(bars(header + "\nTST,1.7e308,100,100,101,99,1710163800000000000,\n", "a volume of 1.7e308"))
        cases.append(bars(header + "\nTST,1000,100,100,101,99,9223372036854775807,\n", "window_start at Int64.max"))
        cases.append(bars(header + "\nTST,1000,100,100,100000000000,99,1710163800000000000,\n", "a high of 1e11"))
        cases.append(bars(header + "\nTST,1000,100,100,101,99,1710163800000000000," + String(repeating: "9", count: 5_000_000) + "\n", "a 5 MB field"))
        for (high, time, label) in [("1e11", "1710163800000", "REST high of 1e11"), ("101", "123456789012345678901234567890", "REST time of 30 digits")] {
            cases.append(withScenario(scenario(), label, data: ["data/TST.json": .text(rest.replacingOccurrences(of: "HIGH", with: high).replacingOccurrences(of: "TIME", with: time))]))
        }
        cases.append(withScenario(scenario(), "a truncated REST page", data: ["data/TST.json": .text(String(rest.prefix(60)))]))
        // Order tapes.
        cases.append(run(tapeScenario("2024-03-11T09:31:00-04:00,TST,buy,market,9223372036854775807,,"), "a tape order for Int64.max shares"))
        cases.append(run(tapeScenario("2024-03-11T09:31:00-04:00,TST,buy,limit,10,90000000000,"), "a tape limit at 9e10"))
        cases.append(run(tapeScenario("1900-01-02T09:31:00-05:00,TST,buy,market,10,,"), "a tape row dated 1900"))
        cases.append(run(tapeScenario("2024-03-11T09:31:00-04:00,TST,buy,market,10,,\r\n2024-03-11T09:35:00-04:00,TST,sell,market,10,,\r"), "a tape with CRLF endings", statuses: [0]))
        cases.append(run(tapeScenario("2024-03-11T09:31:00-04:00,TST,sell,market,9000000000000000000,,"), "a short sale of 9e18 shares"))
        // Baselines.
        for (label, json) in [("empty", ""), ("truncated", "{\"schema_version\": 1, \"agents\": ["), ("garbage", "\u{1}\u{2}not json")] {
            cases.append(Case(name: "diff with a \(label) report.json", files: ["old/report.json": .text(json), "old/fills.csv": .text("x\n"),
                                                                              "new/report.json": .text(json), "new/fills.csv": .text("x\n")],
                              arguments: ["diff", "old", "new"], output: "-"))
        }
        return cases
    }

    @Test("every hostile input ends with a documented exit code and one line, within a deadline, touching nothing else", arguments: cases)
    func hostile(_ attack: Case) throws {
        let root = try temporaryFolder("corpus")
        let folder = root + "/case"
        try FileManager.default.createDirectory(atPath: root + "/victim", withIntermediateDirectories: true)
        try "precious".write(toFile: root + "/victim/keep.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (path, content) in attack.files.sorted(by: { $0.key < $1.key }) {
            let full = folder + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            switch content {
            case .text(let text): try Data(text.utf8).write(to: URL(fileURLWithPath: full))
            case .bytes(let bytes): try Data(bytes).write(to: URL(fileURLWithPath: full))
            case .fifo: #expect(mkfifo(full, 0o600) == 0)
            case .link(let target): try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: target)
            }
        }
        let before = try Self.snapshot(root)
        let outcome = try Self.run(attack.arguments, in: folder, deadline: 60)
        #expect(!outcome.timedOut, "hung: killed after the deadline")
        #expect(outcome.exited, "ended by signal \(outcome.status)")
        #expect(attack.statuses.contains(outcome.status), "status \(outcome.status): \(outcome.stderr.prefix(300))")
        if outcome.status == 2 {
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.filter { $0 == "\n" }.count == 1, "not one line: \(outcome.stderr.prefix(300))")
            #expect(outcome.stderr.utf8.count < 1_000, "\(outcome.stderr.utf8.count) bytes of error")
        }
        let after = try Self.snapshot(root)
        for (path, digest) in before {
            #expect(after[path] == digest, "\(path) was changed or removed")
        }
        let allowed = "case/\(attack.output)"
        for path in after.keys where before[path] == nil {
            #expect(path.hasPrefix(allowed + "/") || path == allowed, "\(path) was created")
        }
    }

    /// Every file and link under `root` (FIFOs by kind), with its contents.
    static func snapshot(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            let full = root + "/" + relative
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: result[relative] = "file \(info.st_size) \(FileManager.default.contents(atPath: full)?.hashValue ?? 0)"
            case S_IFLNK: result[relative] = "link " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "")
            case S_IFIFO: result[relative] = "fifo"
            case S_IFDIR: result[relative] = "folder"
            default: result[relative] = "other"
            }
        }
        return result
    }

    struct Outcome {
        var exited: Bool
        var status: Int32
        var stderr: String
        var timedOut: Bool
    }

    /// Runs the built binary with its output in files (no pipe to fill), killed after `deadline` seconds.
    static func run(_ arguments: [String], in folder: String, deadline: Double) throws -> Outcome {
        let errPath = TestScratch.root + "tapebench-corpus-\(UUID().uuidString).err"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.tapebench)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        let start = Date()
        var timedOut = false
        while process.isRunning {
            if Date().timeIntervalSince(start) > deadline {
                timedOut = true
                process.terminate()
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Outcome(exited: process.terminationReason == .exit, status: process.terminationStatus, stderr: stderr, timedOut: timedOut)
    }
}
