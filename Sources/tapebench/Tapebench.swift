import ArgumentParser
import TapebenchEngine

@main
struct Tapebench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapebench",
        abstract: "Deterministic replay and fill-model testbench for trading agents.",
        version: TapebenchVersion.current,
        subcommands: [RunCommand.self, CheckCommand.self, DiffCommand.self, SweepCommand.self, GraduateCommand.self, DataCommand.self, DatasetCommand.self, BenchCommand.self])
}
