import ArgumentParser
import Foundation
import TapebenchEngine
import TapebenchReports

/// The `tapebench` command tree. The executable is `Tapebench.main(agents: [])`; a package with agent
/// kinds of its own (see examples/swift-agent) calls `Tapebench.main(agents: [MyKind()])` and gets every
/// command, with its kinds usable in scenarios beside the built-in ones.
public struct Tapebench: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tapebench",
        abstract: "Deterministic replay and fill-model testbench for trading agents.",
        discussion: "Exit codes: 0 ok; 1 a regression, or findings at error level; 2 an input or environment error (one line on stderr).",
        version: TapebenchVersion.current,
        subcommands: [RunCommand.self, CheckCommand.self, DiffCommand.self, SweepCommand.self, MergeCommand.self, CalibrateCommand.self, GraduateCommand.self, RecordCommand.self, PaperCommand.self, ServeCommand.self, DataCommand.self, DatasetCommand.self, BenchCommand.self])

    public init() {}

    /// Every command runs through here, so that every error it throws becomes one line and a documented
    /// exit code (see `ErrorReport`), never a raw Foundation error.
    public static func main() { main(agents: []) }

    /// Runs the command line with `agents` registered after the built-in kinds (a name already taken is
    /// an error, exit 2), then exits.
    public static func main(agents: [any AgentKind]) {
        var registry = AgentRegistry.builtIn
        do {
            for kind in agents { try registry.register(kind) }
        } catch {
            fail(error.description)
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = CommandSuggestion.problem(in: arguments, root: Tapebench.self) { fail(problem) }
        CommandContext.$agents.withValue(registry) {
            var command: ParsableCommand
            do {
                command = try parseAsRoot(arguments)
            } catch {
                exitReporting(error)
            }
            do {
                try command.run()
            } catch let error as ValidationError {
                // Found while running, after parsing: the parser would print the root's usage, so the
                // command's own usage is printed here.
                let name = CommandSuggestion.path(of: type(of: command), root: Tapebench.self)
                FileHandle.standardError.write(Data("error: \(error.message)\nUsage: \(usageString(for: type(of: command)))\n  See '\(name) --help' for more information.\n".utf8))
                Foundation.exit(ErrorReport.inputOrEnvironment)
            } catch {
                exitReporting(error)
            }
        }
        Foundation.exit(0)
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

/// What the commands share beyond their arguments: the agent kinds a scenario may name.
enum CommandContext {
    @TaskLocal static var agents = AgentRegistry.builtIn
}
