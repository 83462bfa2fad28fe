import Foundation
import Testing
import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchTestSupport

/// Issue 10 through the engine and the command line: order tapes read as written, and data that reads
/// as nothing or cannot be read stops with one line.
@Suite("attack: order tapes and data through the engine and the command line")
struct ReadingAttackScenarioTests {
    static let bars = (0..<3).map { TestBar(minute: Int64($0), open: "100", high: "101", low: "99", close: "100") }
    static let yaml = """
        name: tape
        data: {paths: [data], tickers: [TST]}
        agents: [{id: tape, kind: order_tape, params: {file: orders.csv}}]
        """
    static let header = "time,ticker,side,type,quantity,limit_price,stop_price"

    func error(_ body: () throws -> Void) -> InputError? {
        do { try body(); return nil } catch let error as InputError { return error } catch { return nil }
    }

    @Test("a tape row dated 1900 is an error naming file, line and field (it filled at the first 2024 bar)",
          arguments: ["1900-01-02T09:30:00-05:00", "0", "2031-01-02T09:30:00-05:00"])
    func rowOutsideThePeriod(time: String) throws {
        let tape = [Self.header, "2024-03-11T09:30:00-04:00,TST,buy,market,10,,", "\(time),TST,sell,market,10,,"].joined(separator: "\n") + "\n"
        let failure = try #require(error { _ = try runTestScenario(bars: Self.bars, tape: tape, yaml: Self.yaml) })
        #expect(failure.file.hasSuffix("/orders.csv") && failure.line == 3 && failure.field == "time", "\(failure)")
        #expect(failure.message.contains("is outside the data's period (2024-03-11 to 2024-03-11, America/New_York dates)"), "\(failure)")
    }

    @Test("a row before the first bar of the data's first day waits for it, as any row waits for its bar")
    func rowEarlyOnTheFirstDay() throws {
        let tape = [Self.header, "2024-03-11T04:00:00-04:00,TST,buy,market,10,,"].joined(separator: "\n")
        let result = try runTestScenario(bars: Self.bars, tape: tape, yaml: Self.yaml)
        #expect(result.lanes[0].trades.count == 1)
    }

    @Test("a row after its ticker's last bar on the data's last day is listed as a cancelled order, never dropped without a word")
    func rowAfterTheLastBar() throws {
        let tape = [Self.header, "2024-03-11T09:30:00-04:00,TST,buy,market,10,,", "2024-03-11T15:00:00-04:00,TST,sell,limit,10,100.50,"].joined(separator: "\n")
        let run = try runTestScenario(bars: Self.bars, tape: tape, yaml: Self.yaml).lanes[0]
        #expect(run.orders.count == 2)
        let late = try #require(run.orders.last)
        #expect(late.status == .cancelled && late.purpose == "tape_line_3" && late.type == .limit && late.quantity == 10)
        #expect(late.rejectReason == "end_of_replay: never submitted: no TST bar at or after its time")
    }

    @Test("CRLF, CR-only, a UTF-8 byte order mark and quoted fields read the same orders as plain LF (CRLF was 'expected the header')")
    func lineEndings() throws {
        let rows = [Self.header, "2024-03-11T09:30:00-04:00,TST,buy,market,10,,", "2024-03-11T09:31:00-04:00,TST,sell,limit,10,100.50,"]
        let folder = try temporaryFolder()
        let forms: [String: [UInt8]] = [
            "lf": Array(rows.joined(separator: "\n").utf8),
            "crlf": Array((rows.joined(separator: "\r\n") + "\r\n").utf8),
            "cr": Array(rows.joined(separator: "\r").utf8),
            "bom": [0xEF, 0xBB, 0xBF] + Array((rows.joined(separator: "\r\n") + "\r\n").utf8),
            "quoted": Array(([Self.header] + rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map { "\"\($0)\"" }.joined(separator: ",") }).joined(separator: "\n").utf8),
        ]
        for (name, bytes) in forms { try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name).csv")) }
        let reference = try OrderTape.load(path: folder + "/lf.csv").orders
        #expect(reference["TST"]?.count == 2)
        for name in forms.keys.sorted() where name != "lf" {
            #expect(try OrderTape.load(path: "\(folder)/\(name).csv").orders == reference, "\(name)")
        }
        let crlf = try runTestScenario(bars: Self.bars, tape: rows.joined(separator: "\r\n") + "\r\n", yaml: Self.yaml)
        #expect(crlf.lanes[0].trades.map(\.fill.quantity) == [10, 10])
    }

    @Test("an empty tape, a tape that is not text, and a FIFO tape are errors naming the file")
    func unreadableTapes() throws {
        let folder = try temporaryFolder()
        #expect(FileManager.default.createFile(atPath: folder + "/empty.csv", contents: Data()))
        #expect(error { _ = try OrderTape.load(path: folder + "/empty.csv") }?.message == "empty file: expected the header \(Self.header)")
        try Data(Array(Self.header.utf8) + [0, 0, 0]).write(to: URL(fileURLWithPath: folder + "/nul.csv"))
        #expect(error { _ = try OrderTape.load(path: folder + "/nul.csv") }?.message.hasPrefix("binary data, not text") == true)
        #expect(mkfifo(folder + "/fifo.csv", 0o600) == 0)
        #expect(error { _ = try OrderTape.load(path: folder + "/fifo.csv") }?.message.hasPrefix("not a regular file (a FIFO)") == true)
    }

    @Test("data validate: a header-only flat file is a no_bars error, exit 1 (it was '0 bars checked', exit 0)")
    func validateZeroBars() throws {
        let folder = try temporaryFolder()
        try "ticker,volume,open,close,high,low,window_start,transactions\n".write(toFile: folder + "/2024-03-11.csv", atomically: true, encoding: .utf8)
        let result = try runTapebench(["data", "validate", "2024-03-11.csv", "--json", "v.json"], in: folder)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("no_bars  error       1"), "\(result.stdout)")
    }

    @Test("a FIFO in the data and a run on it: one line, exit 2, never blocked")
    func fifoThroughTheCommandLine() throws {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        #expect(mkfifo(folder + "/data/x.csv", 0o600) == 0)
        try "name: f\ndata: {paths: [data], tickers: [X]}\nagents: [{id: a, kind: breakout}]\n".write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        for arguments in [["data", "inspect", "data"], ["run", "s.yaml"]] {
            let result = try runTapebench(arguments, in: folder)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.hasSuffix("data/x.csv: not a regular file (a FIFO); Tapebench reads only regular files and archive members\n"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        }
    }

    @Test("--date-format and --decimal on the command line read what detection cannot guess")
    func declaredOnTheCommandLine() throws {
        let folder = try temporaryFolder()
        try "Datetime;Open;High;Low;Close\n05-03-2024 09.30;1,5;1,6;1,4;1,55\n".write(toFile: folder + "/X.csv", atomically: true, encoding: .utf8)
        let refused = try runTapebench(["data", "inspect", "X.csv"], in: folder)
        // On the command line the suggestion is the flag, not the scenario's YAML key.
        #expect(refused.status == 2 && refused.stderr.contains("state its form as --date-format '%d-%m-%Y %H.%M'"), "\(refused.stderr)")
        let read = try runTapebench(["data", "inspect", "X.csv", "--date-format", "%d-%m-%Y %H.%M", "--decimal", ","], in: folder)
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.contains("X.csv   csv     X          1  2024-03-05T14:30:00Z"), "\(read.stdout)")
        #expect(read.stdout.contains("decimal comma, date_format '%d-%m-%Y %H.%M'"), "\(read.stdout)")
    }
}
