import ArgumentParser
import Foundation
import TapebenchEngine
import TapebenchReports

/// The `tapebench` command tree. The executable is `Tapebench.main(agents: [], commands: [ServeCommand.self])`;
/// a package with agent kinds of its own (see examples/swift-agent) calls `Tapebench.main(agents: [MyKind()])`
/// and gets every command but `serve`, with its kinds usable in scenarios beside the built-in ones.
public struct Tapebench: ParsableCommand {
    /// The tree with the commands a program adds (`CommandContext.commands`) after the live side's
    /// (record, paper), where `serve` has always been listed. Every command names itself (`commandName`): a
    /// name derived from the type is found by reflection, whose protocol lookups scan every conformance in
    /// the binary, at every start (13 M of the 58 M instructions a start took).
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "tapebench",
            abstract: "Deterministic replay and fill-model testbench for trading agents.",
            discussion: "Exit codes: 0 ok; 1 a regression, or findings at error level; 2 an input or environment error (one line on stderr).",
            version: TapebenchVersion.current,
            subcommands: [RunCommand.self, CheckCommand.self, DiffCommand.self, SweepCommand.self, MergeCommand.self, CalibrateCommand.self,
                          GraduateCommand.self, RecordCommand.self, PaperCommand.self]
                + CommandContext.commands + [DataCommand.self, DatasetCommand.self, BenchCommand.self])
    }

    public init() {}

    /// Every command runs through here, so that every error it throws becomes one line and a documented
    /// exit code (see `ErrorReport`), never a raw Foundation error.
    public static func main() { main(agents: []) }

    /// Runs the command line with `agents` registered after the built-in kinds (a name already taken is
    /// an error, exit 2) and `commands` added to the tree, then exits. `serve` comes in `commands` from the
    /// `tapebench` executable only: it brings the HTTP server (Hummingbird, swift-nio), which a package that
    /// adds an agent kind should not have to build.
    public static func main(agents: [any AgentKind], commands: [any ParsableCommand.Type] = []) {
        var registry = AgentRegistry.builtIn
        do {
            for kind in agents { try registry.register(kind) }
        } catch {
            fail(error.description)
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        // The tree (and so parsing, suggestions and usage) sees the added commands inside this scope only.
        CommandContext.$commands.withValue(commands) {
            if let problem = CommandSuggestion.problem(in: arguments, root: Tapebench.self) { fail(problem) }
            CommandContext.$agents.withValue(registry) { parseAndRun(arguments) }
        }
        Foundation.exit(0)
    }

    /// Parses and runs one command line, reporting a failure as its one line and exit code.
    static func parseAndRun(_ arguments: [String]) {
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

/// What the commands share beyond their arguments: the agent kinds a scenario may name, and the commands
/// the program added to the tree.
enum CommandContext {
    @TaskLocal static var agents = AgentRegistry.builtIn
    @TaskLocal static var commands: [any ParsableCommand.Type] = []
}
