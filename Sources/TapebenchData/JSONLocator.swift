/// Finds where a value sits in JSON text, for errors that name a line: Foundation's decoder says which
/// field is wrong but not where it is. Used only when an error is raised, so it scans from the start.
enum JSONLocator {
    private struct Container {
        var isArray: Bool
        var index = 0
        var key: String? = nil
    }

    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    /// The 1-based line on which the value at `path` starts (`results`, 3, `h`: the `h` of the fourth
    /// result), or nil when the text has no such value.
    static func line(of path: [Step], in bytes: some Collection<UInt8>) -> Int? {
        let b = Array(bytes)
        var stack: [Container] = []
        var line = 1
        var expectingKey = false
        var i = 0
        /// A value starts here: is it the one sought?
        func isTarget() -> Bool {
            guard stack.count == path.count else { return false }
            for (container, step) in zip(stack, path) {
                switch step {
                case .index(let n): if !container.isArray || container.index != n { return false }
                case .key(let k): if container.isArray || container.key != k { return false }
                }
            }
            return true
        }
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\n"):
                line += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if isTarget() { return line }
                stack.append(Container(isArray: c == UInt8(ascii: "[")))
                expectingKey = c == UInt8(ascii: "{")
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","):
                if let top = stack.last, top.isArray { stack[stack.count - 1].index += 1 } else { expectingKey = true }
            case UInt8(ascii: "\""):
                var text: [UInt8] = []
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "\"") {
                    if b[i] == UInt8(ascii: "\\") { i += 1 }
                    if i < b.count { text.append(b[i]) }
                    i += 1
                }
                if expectingKey, let top = stack.last, !top.isArray {
                    stack[stack.count - 1].key = String(decoding: text, as: UTF8.self)
                    expectingKey = false
                } else if isTarget() {
                    return line
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ":"):
                break
            default:
                // A number, true, false or null: one token.
                if isTarget() { return line }
                while i + 1 < b.count, !",]}\n \t\r".utf8.contains(b[i + 1]) { i += 1 }
            }
            i += 1
        }
        return nil
    }
}
