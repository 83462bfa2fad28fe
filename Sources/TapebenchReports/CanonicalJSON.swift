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

    /// The canonical text, ending in a line feed. Written as bytes into one buffer: appending each piece to a
    /// `String` cost about 150 instructions a byte of report.json (cachegrind, 200 × 13).
    public func rendered() -> String {
        var out = ByteText(capacity: 1 << 16)
        render(into: &out, indent: 0)
        out.append(byte: UInt8(ascii: "\n"))
        return out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    private func render(into out: inout ByteText, indent: Int) {
        switch self {
        case .object(let members):
            if members.isEmpty { out.append(literal: "{}"); return }
            out.append(literal: "{\n")
            // Sorted with their values: no look-up of each key again.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, member) in sorted.enumerated() {
                JSONValue.indent(indent + 2, into: &out)
                JSONValue.escape(member.key, into: &out)
                out.append(literal: ": ")
                member.value.render(into: &out, indent: indent + 2)
                if i + 1 < sorted.count { out.append(literal: ",\n") } else { out.append(byte: UInt8(ascii: "\n")) }
            }
            JSONValue.indent(indent, into: &out)
            out.append(byte: UInt8(ascii: "}"))
        case .array(let items):
            if items.isEmpty { out.append(literal: "[]"); return }
            out.append(literal: "[\n")
            for (i, item) in items.enumerated() {
                JSONValue.indent(indent + 2, into: &out)
                item.render(into: &out, indent: indent + 2)
                if i + 1 < items.count { out.append(literal: ",\n") } else { out.append(byte: UInt8(ascii: "\n")) }
            }
            JSONValue.indent(indent, into: &out)
            out.append(byte: UInt8(ascii: "]"))
        case .string(let text): JSONValue.escape(text, into: &out)
        case .number(let text): out.append(text)
        case .bool(let value): if value { out.append(literal: "true") } else { out.append(literal: "false") }
        case .null: out.append(literal: "null")
        }
    }

    private static func indent(_ count: Int, into out: inout ByteText) {
        for _ in 0..<count { out.append(byte: UInt8(ascii: " ")) }
    }

    /// `text` as a JSON string: quoted, with `"`, `\` and control characters escaped.
    static func escape(_ text: String, into out: inout ByteText) {
        out.append(byte: UInt8(ascii: "\""))
        // Most text (names, times, reasons) has nothing to escape: appended whole, not byte by byte. A byte of
        // a multi-byte UTF-8 sequence is never below 0x80, so the bytes tell.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            out.append(text)
            out.append(byte: UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(literal: "\\\"")
            case UInt8(ascii: "\\"): out.append(literal: "\\\\")
            case UInt8(ascii: "\n"): out.append(literal: "\\n")
            case UInt8(ascii: "\r"): out.append(literal: "\\r")
            case UInt8(ascii: "\t"): out.append(literal: "\\t")
            case ..<0x20:
                let hex: StaticString = "0123456789abcdef"
                out.append(literal: "\\u00")
                hex.withUTF8Buffer { digits in
                    out.append(byte: digits[Int(byte >> 4)])
                    out.append(byte: digits[Int(byte & 0x0F)])
                }
            default: out.append(byte: byte)
            }
        }
        out.append(byte: UInt8(ascii: "\""))
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
