#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fields of CSV records with double quotes, as RFC 4180 and Python's `csv` module (excel dialect) read
/// them: a quote opens a quoted field only at the start of a field; inside it, separators and line breaks
/// are text and `""` is one quote; text after the closing quote is kept (`"ab"c` → `abc`); a quote inside an
/// unquoted field is text (`5"` → `5"`). Records without a quote take `splitFields`, the fast path.
public enum CSVFields {
    static let quote: UInt8 = 34

    /// Whether a record holds a double quote (and so needs `splitQuoted`).
    @inlinable public static func hasQuote(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return false }
        return memchr(base, 34, line.count) != nil
    }

    /// Splits `line` into fields whose text (quotes removed, `""` made one quote) is written to `scratch`;
    /// `fields` are ranges into `scratch`.
    public static func splitQuoted(_ line: UnsafeBufferPointer<UInt8>, separator: UInt8, into fields: inout [Range<Int>], scratch: inout [UInt8]) {
        fields.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        var state = State.fieldStart
        var start = 0
        for c in line {
            switch state {
            case .fieldStart, .unquoted, .quoteInQuoted:
                if c == separator {
                    fields.append(start..<scratch.count)
                    start = scratch.count
                    state = .fieldStart
                } else if c == quote && state == .fieldStart {
                    state = .quoted
                } else if c == quote && state == .quoteInQuoted {
                    scratch.append(quote)
                    state = .quoted
                } else {
                    scratch.append(c)
                    state = .unquoted
                }
            case .quoted:
                if c == quote { state = .quoteInQuoted } else { scratch.append(c) }
            }
        }
        fields.append(start..<scratch.count)
    }

    /// The fields of one line of text (dialect detection works on the sample as text).
    public static func split(_ text: String, separator: UInt8) -> [String] {
        var bytes = Array(text.utf8)
        var fields: [Range<Int>] = []
        return bytes.withUnsafeMutableBufferPointer { raw in
            let line = UnsafeBufferPointer(raw)
            if !hasQuote(line) {
                splitFields(line, separator: separator, into: &fields)
                return fields.map { line.text($0) }
            }
            var scratch: [UInt8] = []
            splitQuoted(line, separator: separator, into: &fields, scratch: &scratch)
            return scratch.withUnsafeBufferPointer { s in fields.map { s.text($0) } }
        }
    }

    /// How often `separator` occurs outside quotes in a line (for guessing the separator from a header).
    static func count(_ separator: UInt8, in text: String) -> Int {
        var inQuotes = false
        var count = 0
        for c in text.utf8 {
            if c == quote { inQuotes.toggle() } else if c == separator && !inQuotes { count += 1 }
        }
        return count
    }
}
