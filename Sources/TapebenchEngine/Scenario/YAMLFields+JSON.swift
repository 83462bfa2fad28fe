import TapebenchCore
import Yams

extension YAMLFields {
    /// The mapping as compact JSON text, keys in file order; every key counts as read. A value JSON cannot
    /// say the same way (`0x1F`, `1_000`, `.inf`, an alias, a non-text key) is an error naming its field.
    mutating func json() throws -> String {
        markAllUsed()
        var out = JSONBuffer(capacity: 256)
        try YAMLFields.write(entries.map { ($0.key, $0.value) }, to: &out, file: file, path: path, depth: 0)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    private static let maximumDepth = 32

    private static func write(_ members: [(String, Node)], to out: inout JSONBuffer, file: String, path: String, depth: Int) throws {
        out.byte(UInt8(ascii: "{"))
        for (i, (key, value)) in members.enumerated() {
            if i > 0 { out.byte(UInt8(ascii: ",")) }
            out.string(key)
            out.byte(UInt8(ascii: ":"))
            try write(value, to: &out, file: file, path: path + "." + key, depth: depth + 1)
        }
        out.byte(UInt8(ascii: "}"))
    }

    private static func write(_ node: Node, to out: inout JSONBuffer, file: String, path: String, depth: Int) throws {
        func error(_ message: String) -> InputError { InputError(file: file, line: node.mark?.line, field: path, message: message) }
        guard depth <= maximumDepth else { throw error("nested more than \(maximumDepth) levels deep") }
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return out.string(scalar.string) }
            let text = scalar.string
            // The scenario was read with the basic resolver (every plain scalar text): the value's YAML type
            // is resolved here, from its text, as the default resolver would have at reading.
            let resolved = Node(text)
            switch Resolver.default.resolveTag(of: resolved) {
            case .null: out.raw("null")
            case .bool: out.raw(resolved.bool == true ? "true" : "false")
            case .int, .float:
                guard isJSONNumber(text) else {
                    throw error("\(InputError.quote(text)) is not a number as JSON writes it (write it plainly, like 1000 or 0.5, or quote it as text)")
                }
                out.rawText(text)
            default: out.string(text)
            }
        case .sequence(let sequence):
            out.byte(UInt8(ascii: "["))
            for (i, item) in sequence.enumerated() {
                if i > 0 { out.byte(UInt8(ascii: ",")) }
                try write(item, to: &out, file: file, path: path + "[\(i)]", depth: depth + 1)
            }
            out.byte(UInt8(ascii: "]"))
        case .mapping(let mapping):
            var members: [(String, Node)] = []
            for (key, value) in mapping {
                guard case .scalar(let scalar) = key else { throw error("keys must be text") }
                guard !members.contains(where: { $0.0 == scalar.string }) else { throw error("key '\(scalar.string.prefix(40))' given twice") }
                members.append((scalar.string, value))
            }
            try write(members, to: &out, file: file, path: path, depth: depth)
        case .alias:
            throw error("YAML aliases are not supported in params")
        }
    }

    /// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < bytes.count, bytes[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            return i - start
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let start = i
        guard digits() > 0 else { return false }
        if bytes[start] == UInt8(ascii: "0"), i - start > 1 { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == bytes.count
    }
}
