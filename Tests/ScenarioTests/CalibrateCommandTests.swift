import Foundation
import Testing
import TapebenchTestSupport

/// `tapebench calibrate` end to end, on the real-shaped fill logs and the real bars in ../shared/data.
@Suite(.enabled(if: DataCommandTests.sharedAvailable, "needs ../shared/data"))
struct CalibrateCommandTests {
    static let shared = DataCommandTests.shared
    static let bars = shared + "/real/csv-iso"

    static func files(_ folder: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            out[name] = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        }
        return out
    }

    @Test("fits the IB Flex log, writes the same bytes twice, and its replay.yaml runs the orders it wrote")
    func fitsAndReplays() throws {
        let folder = try temporaryFolder()
        let args = ["calibrate", Self.shared + "/fills/ib_flex_trades.csv", "--data", Self.bars, "--bootstrap", "200", "--out", "cal"]
        let first = try runTapebench(args, in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("23 orders fitted (52 fills, ib_flex layout), 21 left out; reference next-open"))
        #expect(first.stdout.contains("wrote cal/fill-models.yaml"))
        let written = try Self.files(folder + "/cal")
        #expect(Set(written.keys) == [".tapebench-run", "calibration.md", "calibration.json", "residuals-by-size.svg", "residuals-by-time.svg",
                                      "fill-models.yaml", "orders.csv", "replay.yaml"])
        #expect(written["orders.csv"]!.split(separator: "\n").count == 24)
        #expect(written["replay.yaml"]!.contains("paths: [\"\(Self.bars)\"]"))
        let again = try runTapebench(args, in: folder)
        #expect(again.status == 0)
        #expect(try Self.files(folder + "/cal") == written)

        let replay = try runTapebench(["run", "cal/replay.yaml", "--out", "replayed"], in: folder)
        #expect(replay.status == 0, "\(replay.stderr)")
        let fills = try String(contentsOfFile: folder + "/replayed/fills.csv", encoding: .utf8).split(separator: "\n")
        #expect(fills.count == 1 + 23 * 4)  // every order under each of the four fitted variants
    }

    @Test("--replay prints the observed and replayed shortfall distributions and writes them into calibration.json")
    func replayOption() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["calibrate", Self.shared + "/fills/generic_fills.csv", "--data", Self.bars, "--model", "sqrt-impact",
                                       "--bootstrap", "100", "--replay", "--out", "cal"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("observed "))
        #expect(result.stdout.contains("fit-sqrt-impact"))
        let json = try String(contentsOfFile: folder + "/cal/calibration.json", encoding: .utf8)
        #expect(json.contains("\"replay\": {"))
        #expect(json.contains("\"not_filled\": {\n      \"fit-sqrt-impact\": 0\n"))
    }

    @Test("bad_fills.csv: one error line per planted fault, exit 2, nothing written")
    func badFills() throws {
        let folder = try temporaryFolder()
        let path = Self.shared + "/fills/bad_fills.csv"
        let result = try runTapebench(["calibrate", path, "--data", Self.bars, "--out", "cal"], in: folder)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 5, "\(result.stderr)")
        #expect(lines.map { $0.split(separator: ":")[2] } == ["5", "10", "15", "21", "26"])
        #expect(lines.allSatisfy { $0.hasPrefix("error: \(path):") })
        #expect(!FileManager.default.fileExists(atPath: folder + "/cal"))
    }

    @Test("a header without a price column says what to declare; --column declares it")
    func declareColumns() throws {
        let folder = try temporaryFolder()
        let log = "When,Sym,Action,Shares,Px\n" + (0..<12).map { i in "2013-10-07T1\(i % 6):1\(i % 10):05-04:00,SPY,buy,100,168.\(20 + i)" }.joined(separator: "\n") + "\n"
        try log.write(toFile: folder + "/mine.csv", atomically: true, encoding: .utf8)
        let refused = try runTapebench(["calibrate", "mine.csv", "--data", Self.bars, "--out", "cal"], in: folder)
        #expect(refused.status == 2)
        #expect(refused.stderr == "error: mine.csv:1: cannot tell the fill log's columns: no time column in 'When,Sym,Action,Shares,Px'; declare it with --column time=NAME (roles: time, ticker, side, quantity, price, decision_time, order_type, order_id)\n")
        let declared = try runTapebench(["calibrate", "mine.csv", "--data", Self.bars, "--column", "time=When", "--column", "price=Px",
                                         "--column", "ticker=Sym", "--bootstrap", "50", "--out", "cal"], in: folder)
        #expect(declared.status == 0, "\(declared.stderr)")
        #expect(declared.stdout.contains("12 orders fitted (12 fills, columns layout)"))
    }

    @Test("an output folder holding a file Tapebench did not write is refused before any work, and left alone")
    func foreignFolder() throws {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/cal", withIntermediateDirectories: false)
        try "mine".write(toFile: folder + "/cal/notes.txt", atomically: true, encoding: .utf8)
        let result = try runTapebench(["calibrate", Self.shared + "/fills/generic_fills.csv", "--data", Self.bars, "--out", "cal"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: cal: holds 'notes.txt', which Tapebench did not write"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/cal") == ["notes.txt"])
    }
}
