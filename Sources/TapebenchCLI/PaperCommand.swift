import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchLive
import TapebenchPaper

/// `tapebench paper`: the scenario's agents paper-trading minute by minute into a SQLite database.
struct PaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Paper-trade a scenario's agents minute by minute (live Polygon bars or a paced replay) into a SQLite database.",
        discussion: """
            The same orchestrator, executor and ledger as `run`. Each minute's orders, fills, positions and accounts are \
            committed in one transaction with the minute as a checkpoint (docs/paper-mode.md). Stopped (SIGINT/SIGTERM: the \
            minute in hand is finished, exit 0; or killed) and started again with the same command, it resumes after the last \
            committed minute: no order, fill or position lost or doubled. --source polygon reads POLYGON_API_KEY (never \
            printed or written) and trades the scenario's tickers from today's session to the close of its `to` date \
            (forever without one); the scenario's data paths are not read then. \
            Exit codes: 0 finished, stopped on request, or already finished; 2 input, database, network or API error.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Where bars come from: replay (the scenario's data, paced by the wall clock) or polygon (live).")
    var source: String

    @Option(help: "Replay pace: seconds of data per wall second (60 = a minute of bars per second), or max. Default 1 (real time).")
    var speed: String?

    @Option(help: "The paper database (made if missing; resumed if it is this scenario's).")
    var db = "paper.sqlite"

    @Option(help: "Polygon API base URL (default: $TAPEBENCH_POLYGON_BASE_URL or https://api.polygon.io).")
    var baseURL: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard source == "replay" || source == "polygon" else {
            throw InputError(file: "--source", message: "\(InputError.quote(source)) is not a source: replay or polygon")
        }
        let pace = try PaperCommand.pace(speed)
        if source == "polygon", speed != nil { throw InputError(file: "--speed", message: "only a replay is paced; polygon runs on real time") }
        let loaded = try Scenario.load(path: scenario, agents: CommandContext.agents)
        let key = source == "polygon" ? try PolygonKey.read() : nil
        let redaction = Redaction(key: key)
        StopRequest.installSignalHandlers()
        let clock = SystemWallClock()
        let log = { (line: String) in if !output.quiet { FileHandle.standardError.write(Data("tapebench: \(redaction.apply(line))\n".utf8)) } }
        do {
            let outcome = try PaperSession.run(scenario: loaded, sourceName: source, databasePath: db, log: log) { resumeAt -> any MinuteSource in
                if let key {
                    let client = try PolygonClient(baseURL: PolygonKey.baseURL(baseURL), key: key, clock: clock)
                    return PolygonMinuteSource(client: client, tickers: loaded.tickers, clock: clock, until: loaded.to, resumeAt: resumeAt)
                }
                let dataset = try Dataset(paths: loaded.dataPaths, hints: loaded.dialect)
                return ReplayMinuteSource(stream: try dataset.bars(loaded.selection, policy: loaded.validation), speed: pace, clock: clock, resumeAt: resumeAt)
            }
            switch outcome {
            case .finished(let minutes): print("finished: \(minutes) minute(s) committed to \(db)")
            case .stopped(let minutes): print("stopped: \(minutes) minute(s) committed to \(db); the same command resumes")
            case .alreadyFinished: print("\(db) is finished already: nothing to do")
            }
        } catch {
            throw PolygonKey.redacted(error, redaction)
        }
    }

    /// `max` → nil (no waiting); a positive number → itself; none → 1 (real time).
    static func pace(_ text: String?) throws -> Double? {
        guard let text else { return 1 }
        if text == "max" { return nil }
        guard let value = Double(text), value.isFinite, value > 0, value <= 1e9 else {
            throw InputError(file: "--speed", message: "\(InputError.quote(text)) is not a speed: a positive number or max")
        }
        return value
    }
}
