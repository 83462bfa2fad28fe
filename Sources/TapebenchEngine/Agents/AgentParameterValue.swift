import TapebenchCore

/// An agent parameter's value as the scenario gave it, typed, so report.json can write numbers as numbers
/// and a process agent's `params` as the object it is (`AgentDefinition.parameters`).
public indirect enum AgentParameterValue: Sendable, Hashable, CustomStringConvertible {
    case integer(Int64)
    case decimal(Fixed)
    case bool(Bool)
    case text(String)
    /// A JSON number as written (a process agent's params: any JSON number, kept to the digit).
    case number(String)
    case list([AgentParameterValue])
    /// Keys in the order given.
    case object([ParameterEntry])
    case null

    /// The text report.md and the CLI show.
    public var description: String {
        switch self {
        case .integer(let v): String(v)
        case .decimal(let v): v.formatted(minimumFractionDigits: 0)
        case .bool(let v): v ? "true" : "false"
        case .text(let v): v
        case .number(let v): v
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let entries): "{" + entries.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "}"
        case .null: "null"
        }
    }

    /// Each parameter's text (`AgentDefinition.parameterList` of a kind that declares typed parameters).
    public static func texts(_ parameters: [ParameterEntry]) -> [(name: String, value: String)] {
        parameters.map { ($0.name, $0.value.description) }
    }

    /// A process agent's `params` (compact JSON text, already checked when the scenario was read) as values;
    /// text that does not parse stays text.
    static func fromJSON(_ text: String) -> AgentParameterValue {
        var bytes = Array(text.utf8)
        guard let value = bytes.withUnsafeMutableBufferPointer({ try? JSONParser.parse(UnsafeBufferPointer($0)) }) else { return .text(text) }
        return AgentParameterValue(value)
    }

    private init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let v): self = .bool(v)
        case .number(let v): self = .number(v)
        case .string(let v): self = .text(v)
        case .array(let items): self = .list(items.map(AgentParameterValue.init))
        case .object(let members): self = .object(members.map { ParameterEntry(name: $0.key, value: AgentParameterValue($0.value)) })
        }
    }
}

/// A named parameter.
public struct ParameterEntry: Sendable, Hashable {
    public var name: String
    public var value: AgentParameterValue

    public init(name: String, value: AgentParameterValue) {
        self.name = name
        self.value = value
    }

    public init(_ name: String, _ value: AgentParameterValue) { self.init(name: name, value: value) }
}
