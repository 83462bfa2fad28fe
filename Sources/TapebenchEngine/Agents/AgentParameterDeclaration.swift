import TapebenchCore
import Yams

/// A numeric parameter an agent kind reads from `params:` and lets a sweep vary
/// (`--param agent.<id>.<name>=…`). Its range is the kind's own `configure` check, which a sweep runs for
/// every value, so a swept agent is exactly the agent a scenario stating that value configures.
public struct AgentParameterDeclaration: Sendable, Hashable {
    public var name: String
    /// Whole numbers only (bars, basis points); else decimals.
    public var wholeNumbers: Bool
    /// What it means, with its unit and default.
    public var summary: String

    public init(_ name: String, wholeNumbers: Bool = true, _ summary: String) {
        self.name = name
        self.wholeNumbers = wholeNumbers
        self.summary = summary
    }
}

extension Array where Element == AgentParameterDeclaration {
    /// The names, in the kind's order (a kind's list of known `params:` keys).
    public var names: [String] { map(\.name) }
}

/// The same agent configured again with some of its parameters replaced: its `params:` mapping with those keys
/// set, read by its kind's `configure`, as if the scenario had said so.
public struct AgentReconfiguration: @unchecked Sendable {
    // Unchecked: a parsed YAML node is an immutable value; its `Tag` (a class) is never changed after parsing.
    let params: Node?
    let owner: Node
    let file: String
    let path: String
    let folder: String
    let windowBars: Int
    let kind: any AgentKind

    /// The agent's definition with `overrides` (parameter name, value as YAML text) in its params; an error is
    /// the kind's own message (as `configure` words it).
    public func configure(_ overrides: [(name: String, text: String)]) throws -> any AgentDefinition {
        var pairs: [(Node, Node)] = params?.mapping.map { $0.map { ($0.key, $0.value) } } ?? []
        for (name, text) in overrides {
            if let index = pairs.firstIndex(where: { $0.0.string == name }) {
                pairs[index].1 = Node(text)
            } else {
                pairs.append((Node(name), Node(text)))
            }
        }
        let fields = try YAMLFields(Node(pairs), file: file, path: path + ".params")
        var parameters = AgentParameters(fields: fields, owner: try YAMLFields(owner, file: file, path: path), folder: folder, windowBars: windowBars)
        let definition = try kind.configure(&parameters)
        try parameters.rejectUnknownKeys(known: [])
        return definition
    }
}
