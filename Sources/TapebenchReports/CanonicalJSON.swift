import TapebenchCore

/// A JSON value rendered canonically: object keys sorted by their UTF-8 bytes, two-space indentation,
/// LF line ends, numbers as pre-formatted text (see `number(_:)`), so equal values give equal bytes.
public indirect enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// A number already formatted by one of the fixed formatters below.
    case number(String)
    case bool(Bool)
    case null

    /// Money and prices: exact, at least two decimals, trailing zeros beyond that trimmed.
    public static func money(_ value: Fixed) -> JSONValue { .number(value.formatted(minimumFractionDigits: 2)) }
    public static func money(_ value: Fixed?) -> JSONValue { value.map(money) ?? .null }
    public static func integer(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }
    /// Statistics: rounded to six decimals (ties to even), always six digits.
    public static func statistic(_ value: Double) -> JSONValue { .number(formatStatistic(value, digits: 6)) }
    public static func string(_ value: String?) -> JSONValue { value.map { JSONValue.string($0) } ?? .null }

    public func rendered() -> String {
        var out = ""
        render(into: &out, indent: 0)
        out += "\n"
        return out
    }

    private func render(into out: inout String, indent: Int) {
        switch self {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                JSONValue.indent(indent + 2, into: &out)
                JSONValue.escape(key, into: &out)
                out += ": "
                members[key]!.render(into: &out, indent: indent + 2)
                out += i + 1 < keys.count ? ",\n" : "\n"
            }
            JSONValue.indent(indent, into: &out)
            out += "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                JSONValue.indent(indent + 2, into: &out)
                item.render(into: &out, indent: indent + 2)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            JSONValue.indent(indent, into: &out)
            out += "]"
        case .string(let text): JSONValue.escape(text, into: &out)
        case .number(let text): out += text
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// `count` spaces, cut from one string: a `String(repeating:)` per line was a new string (past 15 bytes,
    /// an allocation) for every member of report.json.
    private static func indent(_ count: Int, into out: inout String) {
        var left = count
        while left > 0 {
            let part = min(left, spaces.utf8.count)
            out += Substring(spaces.utf8.prefix(part))
            left -= part
        }
    }

    private static let spaces = String(repeating: " ", count: 64)

    static func escape(_ text: String, into out: inout String) {
        out += "\""
        // Most text (names, times, reasons) has nothing to escape: appended whole, not scalar by scalar. A
        // byte of a multi-byte UTF-8 sequence is never below 0x80, so the bytes tell.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// A double rounded to `digits` decimals (ties to even) and written without exponent or locale.
/// Non-finite values are written as 0 (they cannot occur in the statistics Tapebench reports).
extension ByteText {
    /// `formatStatistic(value, digits:)` written straight in, no `String` on the way (equity.csv's drawdown,
    /// on every row).
    mutating func append(statistic value: Double, digits: Int) {
        guard value.isFinite else { return append(statistic: 0, digits: digits) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded(.toNearestOrEven)
        guard abs(scaled) < 9e18 else { return append(formatStatistic(value, digits: digits)) }
        let units = Int64(scaled)
        if units < 0 { append(byte: UInt8(ascii: "-")) }
        let magnitude = units.magnitude
        append(digitsOf: magnitude / UInt64(scale), width: 1)
        guard digits > 0 else { return }
        append(byte: UInt8(ascii: "."))
        append(digitsOf: magnitude % UInt64(scale), width: digits)
    }
}

public func formatStatistic(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return formatStatistic(0, digits: digits) }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (value * scale).rounded(.toNearestOrEven)
    guard abs(scaled) < 9e18 else {
        // Too large for the digits asked: the whole number, exact up to Int128, else as Swift prints it.
        if let whole = Int128(exactly: value.rounded()) { return String(whole) }
        return String(value)
    }
    let units = Int64(scaled)
    let negative = units < 0
    let magnitude = units.magnitude
    let whole = magnitude / UInt64(scale)
    var fraction = String(magnitude % UInt64(scale))
    fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
    return (negative ? "-" : "") + String(whole) + (digits > 0 ? "." + fraction : "")
}
