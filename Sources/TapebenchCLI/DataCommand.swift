import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchData
import TapebenchReports

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Look at input data.", subcommands: [Inspect.self, Validate.self, Convert.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Tickers, periods, bar counts and the detected format or dialect, per file (and archive member).")

        @Argument(help: "Files, folders or bundles.")
        var paths: [String]

        @OptionGroup var dialect: DialectOptions

        @OptionGroup var session: SessionOption

        func run() throws {
            let calendar = try session.calendar()
            let (sources, skipped, failures) = try reportingInputErrors {
                try DataInspector.inspect(paths: paths, hints: try dialect.hints(), calendar: calendar)
            }
            var rows: [[String]] = []
            for source in sources {
                for ticker in source.tickers.keys.sorted() {
                    let span = source.tickers[ticker]!
                    rows.append([source.source, source.format.rawValue, ticker, String(span.bars),
                                 span.first?.iso8601 ?? "", span.last?.iso8601 ?? "", String(span.outsideSession)])
                }
                if source.tickers.isEmpty { rows.append([source.source, source.format.rawValue, "", "0", "", "", "0"]) }
            }
            // Only what was read: a file that failed is not a row of an empty table, only its error line.
            if !rows.isEmpty {
                print(Table(header: ["source", "format", "ticker", "bars", "first bar (UTC)", "last bar (UTC)", "outside \(calendar.session.rawValue)"], rows: rows,
                            leftAligned: [0, 1, 2, 4, 5]).plain())
            }
            for source in sources where source.dialect != nil {
                print(MarkdownText.terminal("\(source.source): \(source.dialect!)"))
            }
            for file in skipped { print(MarkdownText.terminal("skipped (not bar data): \(file)")) }
            for failure in failures { FileHandle.standardError.write(Data("error: \(ErrorReport.oneLine(failure.description))\n".utf8)) }
            if !failures.isEmpty { throw ExitCode(2) }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check data for out-of-order and duplicate bars, bad prices, gaps, bad ticks and halts.",
            discussion: "Prints a summary, writes every finding as JSON when --json names a file, and exits 1 when a finding is at error level under the policy.")

        @Argument(help: "Files, folders or bundles.")
        var paths: [String]

        @OptionGroup var dialect: DialectOptions

        @OptionGroup var session: SessionOption

        @Option(help: "Also write every finding as JSON to this file (nothing is written without it).")
        var json: String?

        @Option(help: "Action for a kind of finding, as KIND=error|drop|keep (repeatable).")
        var policy: [String] = []

        @Option(help: "Bad-tick threshold in percent.")
        var badTickPct: String?

        @Option(help: "Minutes without a bar inside a session that count as a halt.")
        var haltMinutes: Int64?

        func run() throws {
            var validation = ValidationPolicy()
            for entry in policy {
                let parts = entry.split(separator: "=").map(String.init)
                guard parts.count == 2, let kind = FindingKind(rawValue: parts[0]), let action = FindingAction(rawValue: parts[1]) else {
                    throw ValidationError("--policy takes KIND=error|drop|keep with KIND one of \(FindingKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                validation.actions[kind] = action
            }
            if let badTickPct {
                guard let value = Fixed(parsing: badTickPct), value.raw > 0, value.raw % 1_000_000 == 0 else { throw ValidationError("--bad-tick-pct takes a percentage with at most two decimals") }
                validation.badTickBasisPoints = value.raw / 1_000_000
            }
            if let haltMinutes { validation.haltMinutes = haltMinutes }
            let calendar = try session.calendar()
            let report = try reportingInputErrors {
                try DataValidation.validate(paths: paths, hints: try dialect.hints(), policy: validation, calendar: calendar)
            }
            print("\(report.barsSeen) bars checked, \(report.barsKept) would be replayed, \(report.identicalDuplicates) identical repeats")
            if report.isEmpty {
                print("no findings")
            } else {
                print(DataQualitySection.table(report).plain())
            }
            if let json {
                let body: JSONValue = .object([
                    "schema_version": .integer(1),
                    "bars_seen": .integer(report.barsSeen),
                    "bars_kept": .integer(report.barsKept),
                    "identical_duplicates": .integer(report.identicalDuplicates),
                    "findings": .array(report.findings.map { JSONReport.finding($0) }),
                ])
                try AtomicFile.write(body.rendered(), to: json)
                print("wrote \(json)")
            }
            if report.hasErrors { throw ExitCode(1) }
        }
    }

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Rewrite any supported input as Polygon flat files, one per day.")

        @Argument(help: "Files, folders or bundles.")
        var paths: [String]

        @Option(help: "Output folder (gets us_stocks_sip/minute_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz): new, empty, or one Tapebench wrote.")
        var to: String

        @Option(help: "Comma-separated tickers to keep (default: all).")
        var tickers: String?

        @OptionGroup var dialect: DialectOptions

        func run() throws {
            let selected = tickers.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
            try OutputFolder.prepareForAdding(to)
            let (files, bars) = try reportingInputErrors {
                try DataConversion.convert(paths: paths, hints: try dialect.hints(), tickers: selected, to: to)
            }
            print("wrote \(bars) bars in \(files.count) day files under \(to)")
        }
    }
}

/// The scenario's `data.session` on the command line: which hours are regular, and so what a missing minute, a
/// halt and an out-of-hours bar are (`data validate`, `data inspect`).
struct SessionOption: ParsableArguments {
    @Option(help: "The market's hours and days, as a scenario's data.session: nyse (default), 24x5 or 24x7.")
    var session: String?

    func calendar() throws -> ExchangeCalendar {
        guard let session else { return .nyse }
        guard let parsed = MarketSession(name: session) else {
            throw ValidationError("--session: expected \(MarketSession.expected), got \(InputError.quote(session))")
        }
        return ExchangeCalendar(session: parsed)
    }
}

/// Dialect statements for CSV files, on the command line.
struct DialectOptions: ParsableArguments {
    @Option(help: "Zone of times written without an offset: exchange (America/New_York), utc, or an IANA zone name (Europe/London).")
    var timezone: String?

    @Option(help: "Order of M/D/YYYY-style dates: mdy or dmy.")
    var dateOrder: String?

    @Option(help: "Prices are integers × 10^N.")
    var priceScale: Int?

    @Option(help: "The ticker of every bar in files without a ticker column.")
    var ticker: String?

    @Option(help: "A regular expression whose first group takes the ticker from a file name.")
    var tickerPattern: String?

    @Option(help: "Column for a role, as ROLE=NAME (roles: \(DialectHints.roles.joined(separator: ", "))).")
    var column: [String] = []

    @Option(help: "The decimal mark of prices and volumes: '.' or ','.")
    var decimal: String?

    @Option(help: "The form of the time (or date) column, strftime-like: '%Y%m%d', '%d.%m.%Y %H:%M'.")
    var dateFormat: String?

    @Option(help: "The form of the time-of-day column beside a date column, strftime-like: '%H%M%S'.")
    var timeFormat: String?

    func hints() throws -> DialectHints {
        var hints = DialectHints()
        hints.wording = .commandLine
        if let timezone {
            do {
                hints.zone = try TimeZoneRule(name: timezone)
            } catch {
                throw ValidationError("--timezone: \(error.message)")
            }
        }
        if let dateOrder {
            guard let order = DateOrder(rawValue: dateOrder.lowercased()) else { throw ValidationError("--date-order must be mdy or dmy") }
            hints.dateOrder = order
        }
        if let decimal {
            guard decimal == "." || decimal == "," else { throw ValidationError("--decimal must be '.' or ','") }
            hints.decimalComma = decimal == ","
        }
        do {
            hints.dateFormat = try dateFormat.map { try DateTimeFormat($0) }
            hints.timeFormat = try timeFormat.map { try DateTimeFormat($0) }
        } catch {
            throw ValidationError("--date-format/--time-format: \((error as? DateTimeFormat.FormatError)?.message ?? "\(error)")")
        }
        hints.priceScale = priceScale
        hints.ticker = ticker
        hints.tickerPattern = tickerPattern
        for entry in column {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, DialectHints.roles.contains(parts[0]) else {
                throw ValidationError("--column takes ROLE=NAME with ROLE one of \(DialectHints.roles.joined(separator: ", "))")
            }
            hints.columns[parts[0]] = parts[1]
        }
        return hints
    }
}
