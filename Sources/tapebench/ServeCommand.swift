import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a run database over the seed system's HTTP API, with a dashboard at /.",
        discussion: """
            Answers the paper-trading routes (GET /api/paper-trading/agents, …/agents/ID/account, positions, \
            orders, trades, performance), the graduation routes (GET /api/agents/ID/graduation/eligibility, \
            POST /api/agents/ID/graduate with {"force": bool}), /openapi.json, and the dashboard at /, which \
            polls them and so follows paper mode as it trades. The database is opened read-only; POST graduate \
            changes only the registry. Listens on loopback unless --allow-remote (the API has no \
            authentication). Stops on Ctrl-C or SIGTERM. Exit 2 when the database or an option is wrong.
            """)

    @Argument(help: "The database: a run's run.sqlite, or the one paper mode writes.")
    var database: String

    @Option(help: "The port (0: any free one; the line on stdout names it).")
    var port = 8080

    @Option(help: "The address to listen on; a non-loopback one needs --allow-remote.")
    var host = "127.0.0.1"

    @Flag(help: "Allow a --host other than loopback (prints a warning: anyone who reaches it can graduate agents).")
    var allowRemote = false

    @Option(help: "The agent registry POST graduate changes (SQLite; created when missing; only a registry Tapebench created is changed).")
    var registry = "reports/agents.sqlite"

    @Option(help: "How often the dashboard polls, in seconds (0: it loads once).")
    var refresh = 5

    func run() throws {
        let configuration = ServeConfiguration(database: database, registry: registry, host: host, port: port,
                                               allowRemote: allowRemote, refreshSeconds: refresh)
        if let warning = try configuration.check() { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
        let outcome = ServeOutcome()
        let done = DispatchSemaphore(value: 0)
        let (database, host) = (database, host)
        Task {
            do {
                try await TapebenchServe.run(configuration, logLevel: .warning) { port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    FileHandle.standardOutput.write(Data("serving \(database) on http://\(shown):\(port)/ (dashboard at /, API under /api, OpenAPI at /openapi.json); Ctrl-C stops\n".utf8))
                }
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }
}

/// The server task's error, handed to the waiting command.
final class ServeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    var error: (any Error)? { lock.withLock { stored } }
    func set(_ error: any Error) { lock.withLock { stored = error } }
}
