import TapebenchCore

/// An agent's `params:` from a scenario, read by its kind: typed, located values (each error names the
/// file, the line and the field, e.g. `agents[0].params.lookback_bars`), keys never read are errors.
public struct AgentParameters {
    var fields: YAMLFields?
    /// The agent's own mapping, for errors about `params` itself and keys beside it (`AgentKind.agentKeys`).
    private(set) var owner: YAMLFields
    /// The scenario file's folder (relative paths in parameters are resolved against it).
    public let folder: String
    /// The orchestrator's `window_bars`: the most bars an agent can look back over.
    public let windowBars: Int

    init(fields: YAMLFields?, owner: YAMLFields, folder: String, windowBars: Int) {
        self.fields = fields
        self.owner = owner
        self.folder = folder
        self.windowBars = windowBars
    }

    /// Whether the scenario gave `params:` at all.
    public var isGiven: Bool { fields != nil }

    /// An error about a key of `params`, or about `params` itself when `key` is nil.
    public func error(_ key: String?, _ message: String) -> InputError {
        guard let key, let fields else { return owner.error("params", message) }
        return fields.error(key, message)
    }

    public mutating func integer(_ key: String, range: ClosedRange<Int64>) throws -> Int64? { try fields?.integer(key, range: range) }
    public mutating func decimal(_ key: String, range: ClosedRange<Fixed>) throws -> Fixed? { try fields?.decimal(key, range: range) }
    public mutating func boolean(_ key: String) throws -> Bool? { try fields?.boolean(key) }
    public mutating func string(_ key: String) throws -> String? { try fields?.string(key) }

    public mutating func requiredString(_ key: String) throws -> String {
        guard fields != nil else { throw error(nil, "required: \(key)") }
        return try fields!.requiredString(key)
    }

    /// A path, resolved against the scenario file's folder.
    public mutating func path(_ key: String) throws -> String? { try string(key).map { PathText.resolve($0, in: folder) } }

    /// Fails on the first key never read, listing `known`.
    public func rejectUnknownKeys(known: [String]) throws { try fields?.rejectUnknownKeys(known: known) }

    /// The whole `params:` mapping as compact JSON text, keys in file order (`{}` without params), for a
    /// kind that passes its parameters on (a process agent, in its hello message); every key counts as
    /// read. Plain YAML numbers must be JSON numbers (`1_000`, `0x1F`, `.inf` are errors), true/false and
    /// null are JSON's, everything else is a string.
    public mutating func json() throws -> String {
        guard fields != nil else { return "{}" }
        return try fields!.json()
    }

    // MARK: - Keys beside params

    /// An error about a key of the agent's own mapping (`agents[0].command`).
    public func agentError(_ key: String, _ message: String) -> InputError { owner.error(key, message) }

    /// A list of texts under the agent's own key (a single text is a list of one).
    public mutating func agentStrings(_ key: String) throws -> [String]? { try owner.strings(key)?.map(\.value) }

    public mutating func agentInteger(_ key: String, range: ClosedRange<Int64>) throws -> Int64? { try owner.integer(key, range: range) }
}
