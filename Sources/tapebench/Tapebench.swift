import ArgumentParser

@main
struct Tapebench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tapebench",
        abstract: "Deterministic replay and fill-model testbench for trading agents.",
        version: "0.1.0",
        subcommands: [RunCommand.self, DatasetCommand.self])
}
