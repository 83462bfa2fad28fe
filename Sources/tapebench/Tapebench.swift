import ArgumentParser
import Foundation
import TapebenchEngine
import TapebenchReports

@main
struct Tapebench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapebench",
        abstract: "Deterministic replay and fill-model testbench for trading agents.",
        discussion: "Exit codes: 0 ok; 1 a regression, or findings at error level; 2 an input or environment error (one line on stderr).",
        version: TapebenchVersion.current,
        subcommands: [RunCommand.self, CheckCommand.self, DiffCommand.self, SweepCommand.self, GraduateCommand.self, DataCommand.self, DatasetCommand.self, BenchCommand.self])

    /// Every command runs through here, so that every error it throws becomes one line and a documented
    /// exit code (see `ErrorReport`), never a raw Foundation error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exitReporting(error)
        }
    }

    static func exitReporting(_ error: Error) -> Never {
        if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
        if let message = ErrorReport.message(for: error) { fail(message) }
        switch exitCode(for: error) {
        case .success:
            exit(withError: error)  // --help, --version
        case .validationFailure:
            // A command line the parser refused: its message and the usage, as an input error.
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ErrorReport.inputOrEnvironment)
        default:
            fail(ErrorReport.oneLine(String(describing: error)))
        }
    }
}
