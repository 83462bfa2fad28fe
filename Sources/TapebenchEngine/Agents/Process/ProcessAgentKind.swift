#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore

/// `kind: process`: an agent in any language, a program Tapebench starts once per lane and talks to in
/// lockstep over JSON lines (docs/agent-protocol.md).
///
/// ```yaml
/// - id: mine
///   kind: process
///   command: [python3, agents/my_agent.py]   # run in the scenario's folder
///   params: {threshold: 3}                   # passed on in hello, as JSON
///   timeout_ms: 5000                         # for each answer (default 5000)
///   startup_timeout_ms: 30000                # for the first (hello), which waits for the program to start
/// ```
public struct ProcessAgentKind: AgentKind {
    public let name = "process"
    public let agentKeys = ["command", "timeout_ms", "startup_timeout_ms"]

    public init() {}

    public func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        guard let command = try params.agentStrings("command"), !command.isEmpty else {
            throw params.agentError("command", "required: the program and its arguments, e.g. [python3, agents/my_agent.py]")
        }
        let timeout = try params.agentInteger("timeout_ms", range: 1...3_600_000) ?? 5_000
        // An interpreter's start on a busy machine takes seconds; never less than the per-answer bound.
        let startup = try params.agentInteger("startup_timeout_ms", range: 1...3_600_000) ?? max(30_000, timeout)
        let program = try ProcessAgentKind.resolve(command[0], folder: params.folder, error: { params.agentError("command", $0) })
        let json = try params.json()
        return ProcessAgentDefinition(launch: AgentLaunch(program: program, arguments: command, folder: params.folder.isEmpty ? "." : params.folder),
                                      params: json, timeoutMilliseconds: Int(timeout), startupTimeoutMilliseconds: Int(startup))
    }

    /// The program's path: with a `/`, relative to the scenario's folder; otherwise the first executable
    /// file of that name on PATH (as a shell finds it).
    public static func resolve(_ program: String, folder: String, error: (String) -> InputError) throws -> String {
        if program.contains("/") {
            let path = PathText.resolve(program, in: folder)
            guard isExecutableFile(path) else { throw error("\(InputError.quote(program)) is not an executable file (relative to the scenario's folder)") }
            return path
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            if isExecutableFile(candidate) { return candidate }
        }
        throw error("no program \(InputError.quote(program)) on PATH")
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }
}

/// A process agent as a scenario configures it.
public struct ProcessAgentDefinition: AgentDefinition, Hashable {
    public var launch: AgentLaunch
    /// `params:` as JSON text, sent in hello.
    public var params: String
    /// How long Tapebench waits for each answer.
    public var timeoutMilliseconds: Int
    /// How long it waits for the answer to hello, which includes the program's start.
    public var startupTimeoutMilliseconds: Int

    public init(launch: AgentLaunch, params: String, timeoutMilliseconds: Int, startupTimeoutMilliseconds: Int = 30_000) {
        self.launch = launch
        self.params = params
        self.timeoutMilliseconds = timeoutMilliseconds
        self.startupTimeoutMilliseconds = startupTimeoutMilliseconds
    }

    public var parameterList: [(name: String, value: String)] {
        [("command", launch.arguments.joined(separator: " ")), ("timeout_ms", "\(timeoutMilliseconds)"),
         ("startup_timeout_ms", "\(startupTimeoutMilliseconds)"), ("params", params)]
    }

    /// The command as its list of arguments, the timeouts as numbers, `params` as the JSON value it is.
    public var parameters: [ParameterEntry] {
        [ParameterEntry("command", .list(launch.arguments.map(AgentParameterValue.text))), ParameterEntry("timeout_ms", .integer(Int64(timeoutMilliseconds))),
         ParameterEntry("startup_timeout_ms", .integer(Int64(startupTimeoutMilliseconds))), ParameterEntry("params", AgentParameterValue.fromJSON(params))]
    }

    public func prepare(_ context: AgentContext) throws -> PreparedAgent {
        let definition = self, settings = context.settings, tickers = context.tickers
        return PreparedAgent(makeLaneAgent: { lane in ProcessAgent(definition: definition, lane: lane, tickers: tickers, settings: settings) })
    }
}
