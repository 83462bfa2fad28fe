import TapebenchCore

/// report.html's one output buffer: every part of the page appends to it, so building the page costs
/// time in proportion to its length (no string rebuilt per part). Text from outside (names, reasons) goes
/// through `text`, which escapes it; markup through `raw`.
struct HTMLText {
    /// Bytes, not a `String`: each append to a string went through its generic machinery (report.html cost
    /// about 350 instructions a byte; cachegrind, 200 × 13).
    private var bytes: ByteText

    init(capacity: Int = 1 << 16) { bytes = ByteText(capacity: capacity) }

    /// The page so far.
    var out: String { bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    /// Markup of Tapebench's own.
    mutating func raw(_ markup: String) { bytes.append(markup) }

    /// Text escaped for an element's content or a quoted attribute: & < > " '.
    mutating func text(_ text: String) {
        // Most text has nothing to escape: appended whole.
        guard text.utf8.contains(where: HTMLText.needsEscape) else {
            bytes.append(text)
            return
        }
        // Byte by byte: the five are ASCII, and no byte of a multi-byte character is below 0x80.
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(literal: "&amp;")
            case UInt8(ascii: "<"): bytes.append(literal: "&lt;")
            case UInt8(ascii: ">"): bytes.append(literal: "&gt;")
            case UInt8(ascii: "\""): bytes.append(literal: "&quot;")
            case UInt8(ascii: "'"): bytes.append(literal: "&#39;")
            default: bytes.append(byte: byte)
            }
        }
    }

    /// `<code>text</code>`, escaped.
    mutating func code(_ text: String) {
        bytes.append(literal: "<code>")
        self.text(text)
        bytes.append(literal: "</code>")
    }

    /// A coordinate or a value with two decimals, as every SVG number on the page is written.
    mutating func number(_ value: Double) { bytes.append(statistic: value, digits: 2) }

    /// `name="value"` with a number, preceded by a space.
    mutating func attribute(_ name: String, _ value: Double) {
        bytes.append(byte: UInt8(ascii: " "))
        bytes.append(name)
        bytes.append(literal: "=\"")
        number(value)
        bytes.append(byte: UInt8(ascii: "\""))
    }

    /// A table with numbers right-aligned (`Table`'s columns), its cells escaped.
    mutating func table(_ table: Table) {
        bytes.append(literal: "<table>\n<tr>")
        for cell in table.header {
            bytes.append(literal: "<th>")
            text(cell)
            bytes.append(literal: "</th>")
        }
        bytes.append(literal: "</tr>\n")
        for row in table.rows {
            bytes.append(literal: "<tr>")
            for (i, cell) in row.enumerated() {
                if table.leftAligned.contains(i) { bytes.append(literal: "<td>") } else { bytes.append(literal: "<td class=\"num\">") }
                text(cell)
                bytes.append(literal: "</td>")
            }
            bytes.append(literal: "</tr>\n")
        }
        bytes.append(literal: "</table>\n")
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }
}
