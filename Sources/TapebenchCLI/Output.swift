import ArgumentParser
import Foundation

/// `--quiet` and `--verbose`, and where things go: results to stdout and files, logs and progress to stderr.
/// Progress shows only on a terminal, and never under CI.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only the paths written (and errors).")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log each step to stderr.")
    var verbose = false

    func log(_ message: @autoclosure () -> String) {
        guard verbose else { return }
        FileHandle.standardError.write(Data("tapebench: \(message())\n".utf8))
    }

    var showsProgress: Bool {
        !quiet && isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    }

    /// A progress callback that rewrites one stderr line: bars read and rate.
    func progress() -> ((Int) -> Void)? {
        guard showsProgress else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        return { bars in
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let rate = seconds > 0 ? Int(Double(bars) / seconds) : 0
            FileHandle.standardError.write(Data("\r  \(bars) bars replayed, \(rate) bars/s".utf8))
        }
    }

    func endProgress() {
        if showsProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
