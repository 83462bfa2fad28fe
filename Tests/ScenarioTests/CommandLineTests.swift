import Foundation
import Testing
import TapebenchTestSupport

@Suite struct CommandLineTests {
    @Test("run prints a summary and the paths it wrote")
    func run() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["run", Repository.defaultScenario, "--out", folder + "/out"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("vwap-mr"))
        for file in ["report.json", "report.md", "fills.csv", "run.sqlite"] {
            #expect(result.stdout.contains("wrote \(folder)/out/\(file)"))
            #expect(FileManager.default.fileExists(atPath: "\(folder)/out/\(file)"))
        }
    }

    @Test("a malformed scenario: one line naming file, line and field; exit 2; nothing written")
    func badScenario() throws {
        let folder = try temporaryFolder()
        let scenario = folder + "/bad.yaml"
        let text = try String(contentsOfFile: Repository.defaultScenario, encoding: .utf8)
            .replacingOccurrences(of: "max_open_positions: 10", with: "max_open_positions: ten")
        try text.write(toFile: scenario, atomically: true, encoding: .utf8)
        let result = try runTapebench(["run", scenario, "--out", folder + "/out"], in: folder)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("error: \(scenario):14: field 'risk.max_open_positions': expected a whole number") == true, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["bad.yaml"])
    }

    @Test("a malformed data file: one line naming file, line and field; exit 2; nothing written")
    func badData() throws {
        let folder = try temporaryFolder()
        let data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try """
            ticker,volume,open,close,high,low,window_start,transactions
            AAPL,100,10.00,10.01,10.02,9.99,1710163800000000000,3
            AAPL,100,10.00,10.01,10.02,9.99,1710163860000000000,3
            AAPL,1x0,10.00,10.01,10.02,9.99,1710163920000000000,3

            """.write(toFile: data + "/2024-03-11.csv", atomically: true, encoding: .utf8)
        try """
            name: bad-data
            data:
              paths: [data]
              tickers: [AAPL]
            agents:
              - id: a
                kind: vwap_mean_reversion
            """.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let result = try runTapebench(["run", "s.yaml", "--out", "out"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr == "error: data/2024-03-11.csv:4: field 'volume': expected a number, got '1x0'\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["data", "s.yaml"])
    }

    @Test("an unknown ticker names the scenario line that lists it")
    func unknownTicker() throws {
        let folder = try temporaryFolder()
        let scenario = folder + "/s.yaml"
        let text = try String(contentsOfFile: Repository.defaultScenario, encoding: .utf8)
            .replacingOccurrences(of: "../datasets/default", with: Repository.root + "/datasets/default")
            .replacingOccurrences(of: "tickers: [AAPL,", with: "tickers: [ZZZZ, AAPL,")
        try text.write(toFile: scenario, atomically: true, encoding: .utf8)
        let result = try runTapebench(["run", scenario, "--out", folder + "/out"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(scenario):6: field 'data.tickers': unknown ticker 'ZZZZ'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    @Test("a failed run leaves an earlier report folder as it was")
    func keepsEarlierReport() throws {
        let folder = try temporaryFolder()
        let first = try runTapebench(["run", Repository.defaultScenario, "--out", "out"], in: folder)
        #expect(first.status == 0)
        let before = FileManager.default.contents(atPath: folder + "/out/report.json")
        try "name: x\n".write(toFile: folder + "/bad.yaml", atomically: true, encoding: .utf8)
        let second = try runTapebench(["run", "bad.yaml", "--out", "out"], in: folder)
        #expect(second.status == 2)
        #expect(FileManager.default.contents(atPath: folder + "/out/report.json") == before)
    }
}

@Suite("Mistyped commands and late validation errors")
struct CommandSuggestionLineTests {
    @Test("a mistyped command gets one line with 'did you mean', exit 2")
    func didYouMean() throws {
        let folder = try temporaryFolder()
        let run = try runTapebench(["rnu", "scenarios/default.yaml"], in: folder)
        #expect(run.status == 2)
        #expect(run.stderr == "error: unknown command 'rnu' for 'tapebench'; did you mean 'run'? (see 'tapebench --help')\n")
        let inspect = try runTapebench(["data", "inspekt", "x"], in: folder)
        #expect(inspect.status == 2)
        #expect(inspect.stderr == "error: unknown command 'inspekt' for 'tapebench data'; did you mean 'inspect'? (see 'tapebench data --help')\n")
        let nothingClose = try runTapebench(["frobnicate"], in: folder)
        #expect(nothingClose.stderr.hasPrefix("error: unknown command 'frobnicate' for 'tapebench'; the commands are run, check, diff"))
    }

    @Test("an option refused while running prints its own command's usage, not the root's")
    func ownUsage() throws {
        let result = try runTapebench(["data", "inspect", Repository.root + "/datasets/default", "--timezone", "Mars/Olympus"], in: try temporaryFolder())
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: --timezone: unknown time zone 'Mars/Olympus': no such zone in "))
        #expect(result.stderr.contains("Usage: tapebench data inspect <paths>"))
        #expect(result.stderr.contains("See 'tapebench data inspect --help'"))
    }
}

@Suite("Help for a passthrough command")
struct PassthroughHelpTests {
    /// `bench agent` passes its trailing words to the agent's program; `--help` there was taken for a program.
    @Test("bench agent --help prints its help, exit 0")
    func help() throws {
        let result = try runTapebench(["bench", "agent", "--help"], in: try temporaryFolder())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: tapebench bench agent"))
    }
}
