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
            commandName: "read",
            abstract: "Stream every bar of a file (a Polygon flat file, a CSV file or bundle) and report bars/s and peak memory.",
            discussion: """
            --mode raw (the default) reads one file's rows into bars, nothing else. --mode dataset reads files and \
            folders as a replay does: every bar validated (default policy) and merged in replay order.
            """)

        @Argument(help: "The file to read (raw), or files and folders (dataset).")
        var paths: [String]

        @Option(help: "raw: one file's rows; dataset: validated and merged as a replay reads them.")
        var mode: Mode = .raw

        @Flag(help: "dataset: read on a thread of its own, handing batches of bars to this one (PipelinedBarStream).")
        var pipeline = false

        @Option(help: "Read it this many times; the best time is reported.")
        var repeats: Int = 3

        @OptionGroup var dialect: DialectOptions

        enum Mode: String, ExpressibleByArgument { case raw, dataset }

        func validate() throws {
            if mode == .raw, paths.count != 1 { throw ValidationError("--mode raw reads exactly one file") }
        }

        func run() throws {
            let hints = try dialect.hints()
            var best = Double.infinity
            var bestCPU = Double.infinity
            var bars = 0
            var checksum: Int64 = 0
            for _ in 0..<max(1, repeats) {
                bars = 0
                checksum = 0
                let started = DispatchTime.now().uptimeNanoseconds
                let cpuStarted = cpuSeconds()
                try reportingInputErrors {
                    switch mode {
                    case .raw: try readRaw(paths[0], hints: hints) { bars += 1; checksum &+= $0.close.raw }
                    case .dataset:
                        let merged = try Dataset(paths: paths, hints: hints).bars(DataSelection())
                        var stream: any BarStream = pipeline ? PipelinedBarStream(merged) : merged
                        while let bar = try stream.next() { bars += 1; checksum &+= bar.close.raw }
                    }
                }
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
                bestCPU = min(bestCPU, cpuSeconds() - cpuStarted)
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)  // Glibc imports the constant as an enum
            let peakMB = Double(usage.ru_maxrss) / 1024
            let size = paths.reduce(0) { $0 + byteSize($1) }
            print("input        \(paths.joined(separator: " ")) (\(size / 1_000_000) MB)")
            print("mode         \(mode.rawValue)\(pipeline ? ", pipelined" : "")")
            print("bars         \(bars)")
            print("best time    \(String(format: "%.3f", best)) s of \(repeats)")
            print("best CPU     \(String(format: "%.3f", bestCPU)) s (user + system, all threads)")
            print("throughput   \(String(format: "%.2f", Double(bars) / best / 1e6)) M bars/s")
            print("peak memory  \(String(format: "%.1f", peakMB)) MB (resident)")
            print("checksum     \(checksum)")
        }

        func readRaw(_ path: String, hints: DialectHints, _ body: (Bar) -> Void) throws {
            switch try DataInspector.format(of: path) {
            case .polygonFlatFile:
                try PolygonFlatFileReader.forEachBar(path: path, tickers: nil) { bar, _ in body(bar) }
            case .csv:
                try CSVReader.read(path: path, hints: hints) { bar, _ in body(bar) }
            default:
                throw InputError(file: path, message: "bench reads Polygon flat files and CSV files or bundles")
            }
        }

        /// User plus system time of the process so far, every thread.
        func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
            return seconds(usage.ru_utime) + seconds(usage.ru_stime)
        }

        /// Bytes of a file, or of the files under a folder.
        func byteSize(_ path: String) -> Int {
            let manager = FileManager.default
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
            guard isDirectory.boolValue else { return (try? manager.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
            var total = 0
            for case let relative as String in manager.enumerator(atPath: path) ?? FileManager.DirectoryEnumerator() {
                total += (try? manager.attributesOfItem(atPath: PathText.resolve(relative, in: path))[.size] as? Int) ?? 0
            }
            return total
        }
    }
}
