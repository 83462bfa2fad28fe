import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchData

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset", abstract: "Make datasets.", subcommands: [Synth.self])

    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a deterministic synthetic dataset as Polygon flat files.",
            discussion: "Same arguments, same bytes: the embedded datasets are made with this command.")

        @Option(help: "Comma-separated tickers.")
        var tickers: String

        @Option(help: "Number of trading days.")
        var days: Int

        @Option(help: "Random seed.")
        var seed: UInt64

        @Option(help: "First day (YYYY-MM-DD); later if it is not a trading day.")
        var start: String = "2024-03-04"

        @Option(name: .shortAndLong, help: "Output folder.")
        var out: String

        func validate() throws {
            guard days > 0, days <= 5_000 else { throw ValidationError("--days must be between 1 and 5000") }
            guard CivilDate(iso: start) != nil else { throw ValidationError("--start must be a date as YYYY-MM-DD, got '\(start)'") }
            guard !tickerList.isEmpty else { throw ValidationError("--tickers needs at least one ticker") }
        }

        var tickerList: [String] { tickers.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

        func run() throws {
            let dataset = SyntheticDataset(tickers: tickerList, start: CivilDate(iso: start)!, days: days, seed: seed)
            let files = try reportingInputErrors { try dataset.write(to: out) }
            print("wrote \(files.count) day files for \(tickerList.count) tickers under \(out)")
        }
    }
}
