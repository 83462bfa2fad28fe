import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchData
import TapebenchReports

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Look at input data.", subcommands: [Inspect.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tickers, periods, bar counts and the detected format or dialect, per file (and archive member).")

        @Argument(help: "Files, folders or bundles.")
        var paths: [String]

        @OptionGroup var dialect: DialectOptions

        func run() throws {
            let (sources, skipped) = try reportingInputErrors { try DataInspector.inspect(paths: paths, hints: try dialect.hints()) }
            var rows: [[String]] = []
            for source in sources {
                for ticker in source.tickers.keys.sorted() {
                    let span = source.tickers[ticker]!
                    rows.append([source.source, source.format.rawValue, ticker, String(span.bars),
                                 span.first?.iso8601 ?? "", span.last?.iso8601 ?? ""])
                }
                if source.tickers.isEmpty { rows.append([source.source, source.format.rawValue, "", "0", "", ""]) }
            }
            print(Table(header: ["source", "format", "ticker", "bars", "first bar (UTC)", "last bar (UTC)"], rows: rows,
                        leftAligned: [0, 1, 2, 4, 5]).plain())
            for source in sources where source.dialect != nil {
                print("\(source.source): \(source.dialect!)")
            }
            for file in skipped { print("skipped (not bar data): \(file)") }
        }
    }
}

/// Dialect statements for CSV files, on the command line.
struct DialectOptions: ParsableArguments {
    @Option(help: "Zone of times written without an offset: exchange (America/New_York) or utc.")
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

    func hints() throws -> DialectHints {
        var hints = DialectHints()
        if let timezone {
            guard let zone = TimeZoneRule(rawValue: timezone.lowercased()) else { throw ValidationError("--timezone must be exchange or utc") }
            hints.zone = zone
        }
        if let dateOrder {
            guard let order = DateOrder(rawValue: dateOrder.lowercased()) else { throw ValidationError("--date-order must be mdy or dmy") }
            hints.dateOrder = order
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
