import Foundation
import Hummingbird
import Logging
import TapebenchCore
import TapebenchStore

/// `tapebench serve`: the seed system's paper-trading API and the dashboard over a run database, on
/// Hummingbird. Loopback only unless `allowRemote` (then a warning): the API has no authentication and its
/// POST route changes the agent registry.
public struct ServeConfiguration: Sendable {
    public var database: String
    public var registry: String
    public var host: String
    /// 0 asks the system for a free port (tests).
    public var port: Int
    public var allowRemote: Bool
    /// How often the dashboard polls, in seconds (0: never; it loads once).
    public var refreshSeconds: Int

    public init(database: String, registry: String = "reports/agents.sqlite", host: String = "127.0.0.1", port: Int = 8080,
                allowRemote: Bool = false, refreshSeconds: Int = 5) {
        self.database = database
        self.registry = registry
        self.host = host
        self.port = port
        self.allowRemote = allowRemote
        self.refreshSeconds = refreshSeconds
    }

    /// Whether `host` names this machine only: `localhost`, 127.0.0.0/8 or `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Checks the options before anything opens: an `InputError` for a port out of range or another address
    /// without `allowRemote`; the warning to print (stderr) for another address with it.
    public func check() throws -> String? {
        guard (0...65_535).contains(port) else { throw InputError(file: "--port", message: "must be from 0 to 65535, got \(port)") }
        guard (0...3_600).contains(refreshSeconds) else { throw InputError(file: "--refresh", message: "must be from 0 to 3600 seconds, got \(refreshSeconds)") }
        guard !host.isEmpty else { throw InputError(file: "--host", message: "empty") }
        if Self.isLoopback(host) { return nil }
        guard allowRemote else {
            throw InputError(file: "--host", message: "'\(host)' is not a loopback address; the API has no authentication and POST graduate changes the registry: add --allow-remote to serve beyond this machine")
        }
        return "warning: serving on \(host):\(port), reachable from other machines: anyone who reaches it can read every account and graduate agents (no authentication, no TLS)"
    }
}

/// A server started by `TapebenchServe.start`: its port, how many requests it answered, and how to stop it.
public struct RunningServer: Sendable {
    public let port: Int
    let task: Task<Void, any Error>
    let counter: RequestCounter

    /// Requests answered so far, by path (tests: that the dashboard polls; benchmarks: what was served).
    public func requests(to path: String) -> Int { counter.count(path) }

    /// Stops accepting, finishes the requests in flight, and returns when the server has shut down.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

public enum TapebenchServe {
    /// Opens the database (read-only) and checks the registry, then serves until the task is cancelled or
    /// SIGINT/SIGTERM arrives. `onRunning` gets the bound port.
    public static func run(_ configuration: ServeConfiguration, logLevel: Logger.Level = .info,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let application = try make(configuration, logLevel: logLevel, onRunning: onRunning)
        try await application.runService()
    }

    /// Starts a server in the background and returns once it listens (tests, benchmarks).
    public static func start(_ configuration: ServeConfiguration, logLevel: Logger.Level = .error) async throws -> RunningServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let counter = RequestCounter()
        let application = try make(configuration, logLevel: logLevel, counter: counter) { port in continuation.yield(port) }
        let task = Task {
            defer { continuation.finish() }
            try await application.runService(gracefulShutdownSignals: [])
        }
        for await port in ports { return RunningServer(port: port, task: task, counter: counter) }
        // The stream ended without a port: the server failed to start; its error says why.
        try await task.value
        throw InputError(file: "--port", message: "the server stopped before it listened")
    }

    static func make(_ configuration: ServeConfiguration, logLevel: Logger.Level, counter: RequestCounter? = nil,
                     onRunning: @escaping @Sendable (Int) async -> Void) throws -> some ApplicationProtocol {
        _ = try configuration.check()
        let database = try ServedDatabase(path: configuration.database)
        let registry = AgentStatusRegistry(path: configuration.registry)
        // A registry file that is not Tapebench's is refused now, not at the first request.
        _ = try registry.statuses(of: [])
        let graduation = GraduationService(database: database, registry: registry)
        let router = APIRoutes.router(database: database, graduation: graduation, refreshSeconds: configuration.refreshSeconds, counter: counter)
        var logger = Logger(label: "tapebench.serve")
        logger.logLevel = logLevel
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tapebench"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}

/// Requests answered per path, counted by a middleware when a `RunningServer` asks for it.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func add(_ path: String) { lock.withLock { counts[path, default: 0] += 1 } }
    func count(_ path: String) -> Int { lock.withLock { counts[path] ?? 0 } }
}

struct CountingMiddleware<Context: RequestContext>: RouterMiddleware {
    let counter: RequestCounter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        counter.add(request.uri.path)
        return try await next(request, context)
    }
}
