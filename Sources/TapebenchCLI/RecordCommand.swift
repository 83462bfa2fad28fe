import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchData
import TapebenchLive
import TapebenchReports

/// `tapebench record`: Polygon minute bars to flat files that `tapebench run` reads.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record Polygon minute bars (REST aggregates API) as Polygon flat files.",
        discussion: """
            The key is read from POLYGON_API_KEY and sent only in an Authorization header to the base URL's host; \
            it is never printed or written (errors show REDACTED). Writes OUT/us_stocks_sip/minute_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz, \
            one file per trading day, whole (temporary name, then rename), and OUT/.tapebench-record.json (files, DELAYED, gaps). \
            A day file is replaced only when tapebench record wrote it and it is unchanged. 429 and 5xx are retried with \
            exponential backoff and full jitter, honouring Retry-After. --follow then polls every 60 s during each session up to --to. \
            Exit codes: 0 ok (also when stopped by SIGINT); 2 input, network or API error.
            """)

    @Option(help: "Tickers, comma-separated (e.g. AAPL,MSFT).")
    var tickers: String

    @Option(help: "First date (YYYY-MM-DD, America/New_York).")
    var from: String

    @Option(help: "Last date (YYYY-MM-DD).")
    var to: String

    @Option(help: "Output folder (made if missing).")
    var out: String

    @Flag(help: "After the dates, poll every 60 s during each regular session up to --to.")
    var follow = false

    @Option(help: "API base URL (default: $TAPEBENCH_POLYGON_BASE_URL or https://api.polygon.io).")
    var baseURL: String?

    @Flag(help: "Ask for bars not adjusted for splits (adjusted=false).")
    var unadjusted = false

    @Option(help: "Tries per request before giving up (429, 5xx, cut connections).")
    var tries = 6

    @OptionGroup var output: OutputOptions

    func run() throws {
        let key = try PolygonKey.read()
        let redaction = Redaction(key: key)
        do {
            guard let start = CivilDate(iso: from) else { throw InputError(file: "--from", message: "\(InputError.quote(from)) is not a date (YYYY-MM-DD)") }
            guard let end = CivilDate(iso: to) else { throw InputError(file: "--to", message: "\(InputError.quote(to)) is not a date (YYYY-MM-DD)") }
            guard start <= end else { throw InputError(file: "--to", message: "\(to) is before --from \(from)") }
            guard tries >= 1, tries <= 20 else { throw InputError(file: "--tries", message: "must be 1 to 20, got \(tries)") }
            let list = tickers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !list.isEmpty else { throw InputError(file: "--tickers", message: "no ticker given") }
            StopRequest.installSignalHandlers()
            let client = try PolygonClient(baseURL: PolygonKey.baseURL(baseURL), key: key, adjusted: !unadjusted, retry: RetryPolicy(attempts: tries))
            let log = output.verbose ? { (line: String) in FileHandle.standardError.write(Data("tapebench: \(redaction.apply(line))\n".utf8)) } : { _ in }
            let recorder = try Recorder(client: client, tickers: list, folder: out, log: log)
            for path in try recorder.record(from: start, to: end) { print("wrote \(path)") }
            if follow { try recorder.follow(until: end) }
            if recorder.manifest.files.values.contains(where: \.delayed) { print("note: Polygon answered DELAYED (see \(out)/\(RecordManifest.fileName))") }
        } catch {
            throw PolygonKey.redacted(error, redaction)
        }
    }
}

/// The key and base URL from the environment, and errors with the key taken out.
enum PolygonKey {
    static func read() throws -> String {
        guard let key = ProcessInfo.processInfo.environment["POLYGON_API_KEY"], !key.isEmpty else {
            throw InputError(file: "POLYGON_API_KEY", message: "not set: the Polygon API key is read from this environment variable (never printed or written)")
        }
        guard key.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\"" }) else {
            throw InputError(file: "POLYGON_API_KEY", message: "holds spaces or characters an API key does not have")
        }
        return key
    }

    static func baseURL(_ option: String?) -> String {
        option ?? ProcessInfo.processInfo.environment["TAPEBENCH_POLYGON_BASE_URL"] ?? PolygonClient.defaultBaseURL
    }

    /// Any error as one line without the key (an InputError keeps its shape).
    static func redacted(_ error: Error, _ redaction: Redaction) -> Error {
        if var e = error as? InputError {
            e.file = redaction.apply(e.file)
            e.message = redaction.apply(e.message)
            return e
        }
        if error is ExitCode || error is ValidationError || error is FileSystemError { return error }
        return InputError(file: "tapebench", message: redaction.apply(ErrorReport.message(for: error) ?? String(describing: error)))
    }
}
