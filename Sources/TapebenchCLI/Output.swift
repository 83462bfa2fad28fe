import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchEngine

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

    /// A progress callback that rewrites one stderr line: bars read, rate, the replay's date and, when the
    /// scenario gives its period (`from` and `to`), how much of it is done and about how long is left.
    func progress(for scenario: Scenario? = nil) -> ((ReplayProgress) -> Void)? {
        guard showsProgress else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        let (from, to) = (scenario?.from, scenario?.to)
        return { step in
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.progressLine(step, seconds: seconds, from: from, to: to)).utf8))
        }
    }

    /// "1200000 bars replayed, 410000 bars/s, at 2024-03-15, 45 %, about 12 s left".
    static func progressLine(_ step: ReplayProgress, seconds: Double, from: CivilDate?, to: CivilDate?) -> String {
        let rate = seconds > 0 ? Int(Double(step.bars) / seconds) : 0
        var line = "  \(step.bars) bars replayed, \(rate) bars/s, at \(step.time.iso8601.prefix(10))"
        if let done = step.fraction(from: from, to: to), done > 0 {
            line += ", \(Int(done * 100)) %"
            // Only once it means something: a second in and a hundredth of the way.
            if seconds >= 1, done >= 0.01 { line += ", about \(Int((seconds * (1 - done) / done).rounded())) s left" }
        }
        return line
    }

    func endProgress() {
        if showsProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
