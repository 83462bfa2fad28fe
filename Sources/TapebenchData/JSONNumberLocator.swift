/// Finds the first number in a JSON text that a reader cannot hold: an integer beyond 64 bits, or a value
/// beyond a double's range. Foundation's decoder rejects such a page as "not valid JSON" without saying
/// where; this says the line and the path (`results[3].t`). It assumes the text is otherwise valid JSON.
enum JSONNumberLocator {
    struct Unreadable {
        var line: Int
        var path: String
        var text: String
        var reason: String
    }

    private enum Container {
        case object(key: String?)
        case array(index: Int)
    }

    static func unreadable(_ bytes: [UInt8]) -> Unreadable? {
        var stack: [Container] = []
        var line = 1
        var i = 0
        var lastString: String?
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "\n"):
                line += 1
            case UInt8(ascii: "{"):
                stack.append(.object(key: nil))
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if case .array(let index)? = stack.last { stack[stack.count - 1] = .array(index: index + 1) }
            case UInt8(ascii: ":"):
                if case .object? = stack.last { stack[stack.count - 1] = .object(key: lastString) }
            case UInt8(ascii: "\""):
                var j = i + 1
                var text: [UInt8] = []
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") { j += 1 }
                    if j < bytes.count { text.append(bytes[j]) }
                    j += 1
                }
                lastString = String(decoding: text, as: UTF8.self)
                i = j
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i
                while j < bytes.count, "+-.eE0123456789".utf8.contains(bytes[j]) { j += 1 }
                let text = String(decoding: bytes[i..<j], as: UTF8.self)
                if let reason = problem(text) { return Unreadable(line: line, path: path(stack), text: text, reason: reason) }
                i = j - 1
            default:
                break
            }
            i += 1
        }
        return nil
    }

    static func problem(_ text: String) -> String? {
        let isInteger = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if isInteger, Int64(text) == nil {
            return "\(text.filter(\.isNumber).count) digits, beyond a 64-bit integer (±9223372036854775807)"
        }
        if let value = Double(text), !value.isFinite { return "beyond the range of a floating-point number" }
        return nil
    }

    private static func path(_ stack: [Container]) -> String {
        var out = ""
        for container in stack {
            switch container {
            case .object(let key): if let key { out += out.isEmpty ? key : ".\(key)" }
            case .array(let index): out += "[\(index)]"
            }
        }
        return out
    }
}
