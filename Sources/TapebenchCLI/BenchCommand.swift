import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchData

/// Throughput of the readers, measured on the machine at hand. Wall-clock time is read here, in the
/// command-line layer only; nothing it measures goes into a report.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure reading speed and peak memory, and a process agent's round trips.", subcommands: [Read.self, Agent.self])

    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stream every bar of a file (a Polygon flat file, a CSV file or bundle) and report bars/s and peak memory.")

        @Argument(help: "The file to read.")
        var path: String

        @Option(help: "Read it this many times; the best time is reported.")
        var repeats: Int = 3

        @OptionGroup var dialect: DialectOptions

        func run() throws {
            let hints = try dialect.hints()
            var best = Double.infinity
            var bars = 0
            var checksum: Int64 = 0
            for _ in 0..<max(1, repeats) {
                bars = 0
                checksum = 0
                let started = DispatchTime.now().uptimeNanoseconds
                try reportingInputErrors {
                    switch try DataInspector.format(of: path) {
                    case .polygonFlatFile:
                        try PolygonFlatFileReader.forEachBar(path: path, tickers: nil) { bar, _ in bars += 1; checksum &+= bar.close.raw }
                    case .csv:
                        try CSVReader.read(path: path, hints: hints) { bar, _ in bars += 1; checksum &+= bar.close.raw }
                    default:
                        throw InputError(file: path, message: "bench reads Polygon flat files and CSV files or bundles")
                    }
                }
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)  // Glibc imports the constant as an enum
            let peakMB = Double(usage.ru_maxrss) / 1024
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print("file         \(path) (\(size / 1_000_000) MB)")
            print("bars         \(bars)")
            print("best time    \(String(format: "%.3f", best)) s of \(repeats)")
            print("throughput   \(String(format: "%.2f", Double(bars) / best / 1e6)) M bars/s")
            print("peak memory  \(String(format: "%.1f", peakMB)) MB (resident)")
            print("checksum     \(checksum)")
        }
    }
}
