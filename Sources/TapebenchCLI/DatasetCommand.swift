import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchData
import TapebenchReports

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset", abstract: "Make datasets.", subcommands: [Synth.self])

    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth",
            abstract: "Write a deterministic synthetic dataset as Polygon flat files.",
            discussion: "Same arguments, same bytes: the embedded datasets are made with this command.")

        @Option(help: "Comma-separated tickers.")
        var tickers: String?

        @Option(help: "Generate this many tickers named T00001, T00002, … (for benchmarks).")
        var tickerCount: Int?

        @Option(help: "flat: Polygon flat files under --out; csv-bundle: one .tar.gz at --out with a CSV per ticker.")
        var layout: String = "flat"

        @Option(help: "Number of trading days.")
        var days: Int

        @Option(help: "Random seed.")
        var seed: UInt64

        @Option(help: "First day (YYYY-MM-DD); later if it is not a trading day.")
        var start: String = "2024-03-04"

        @Option(name: .shortAndLong, help: "Output folder (flat: new, empty, or one Tapebench wrote), or the bundle file (csv-bundle).")
        var out: String

        func validate() throws {
            guard days > 0, days <= 5_000 else { throw ValidationError("--days must be between 1 and 5000") }
            guard CivilDate(iso: start) != nil else { throw ValidationError("--start must be a date as YYYY-MM-DD, got '\(start)'") }
            guard !tickerList.isEmpty else { throw ValidationError("give --tickers or --ticker-count") }
            guard ["flat", "csv-bundle"].contains(layout) else { throw ValidationError("--layout must be flat or csv-bundle") }
            if let tickerCount, !(1...100_000).contains(tickerCount) { throw ValidationError("--ticker-count must be between 1 and 100000") }
        }

        var tickerList: [String] {
            let named = (tickers ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let numbered = (0..<(tickerCount ?? 0)).map { "T" + String(repeating: "0", count: max(0, 5 - String($0 + 1).count)) + String($0 + 1) }
            return named + numbered
        }

        func run() throws {
            let dataset = SyntheticDataset(tickers: tickerList, start: CivilDate(iso: start)!, days: days, seed: seed)
            if layout == "csv-bundle" {
                try reportingInputErrors { try dataset.writeCSVBundle(to: out) }
                print("wrote a CSV bundle of \(tickerList.count) tickers × \(days) days to \(out)")
            } else {
                try OutputFolder.prepareForAdding(out)
                let files = try reportingInputErrors { try dataset.write(to: out) }
                print("wrote \(files.count) day files for \(tickerList.count) tickers under \(out)")
            }
        }
    }
}
