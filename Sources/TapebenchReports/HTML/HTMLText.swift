import TapebenchCore

/// report.html's one output buffer: every part of the page appends to it, so building the page costs
/// time in proportion to its length (no string rebuilt per part). Text from outside (names, reasons) goes
/// through `text`, which escapes it; markup through `raw`.
struct HTMLText {
    private(set) var out: String

    init(capacity: Int = 1 << 16) {
        out = ""
        out.reserveCapacity(capacity)
    }

    /// Markup of Tapebench's own.
    mutating func raw(_ markup: String) { out += markup }

    /// Text escaped for an element's content or a quoted attribute: & < > " '.
    mutating func text(_ text: String) {
        // Most text has nothing to escape: appended whole.
        guard text.utf8.contains(where: HTMLText.needsEscape) else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    /// `<code>text</code>`, escaped.
    mutating func code(_ text: String) {
        out += "<code>"
        self.text(text)
        out += "</code>"
    }

    /// A coordinate or a value with two decimals, as every SVG number on the page is written.
    mutating func number(_ value: Double) { out += formatStatistic(value, digits: 2) }

    /// `name="value"` with a number, preceded by a space.
    mutating func attribute(_ name: String, _ value: Double) {
        out += " "
        out += name
        out += "=\""
        number(value)
        out += "\""
    }

    /// A table with numbers right-aligned (`Table`'s columns), its cells escaped.
    mutating func table(_ table: Table) {
        out += "<table>\n<tr>"
        for cell in table.header {
            out += "<th>"
            text(cell)
            out += "</th>"
        }
        out += "</tr>\n"
        for row in table.rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() {
                out += table.leftAligned.contains(i) ? "<td>" : "<td class=\"num\">"
                text(cell)
                out += "</td>"
            }
            out += "</tr>\n"
        }
        out += "</table>\n"
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }
}
