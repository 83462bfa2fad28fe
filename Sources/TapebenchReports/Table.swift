import TapebenchCore

/// A plain-text or Markdown table with right-aligned numbers and left-aligned text.
public struct Table: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// Columns to left-align (text); the rest are right-aligned (numbers).
    public var leftAligned: Set<Int>

    public init(header: [String], rows: [[String]], leftAligned: Set<Int> = [0]) {
        self.header = header
        self.rows = rows
        self.leftAligned = leftAligned
    }

    static func widths(_ lines: [[String]]) -> [Int] {
        (lines.first ?? []).indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
    }

    func pad(_ text: String, _ width: Int, left: Bool) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + fill : fill + text
    }

    /// Every cell escaped (`MarkdownText.inline`): a name or a reason cannot break the table or become HTML.
    public func markdown() -> String {
        let lines = ([header] + rows).map { $0.map(MarkdownText.inline) }
        let w = Table.widths(lines)
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { pad($1, w[$0], left: leftAligned.contains($0)) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + w.enumerated().map { i, width in
            leftAligned.contains(i) ? ":" + String(repeating: "-", count: width + 1) : String(repeating: "-", count: width + 1) + ":"
        }.joined(separator: "|") + "|"
        return ([line(lines[0]), rule] + lines.dropFirst().map(line)).joined(separator: "\n") + "\n"
    }

    /// An HTML table; numbers right-aligned.
    public func html() -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;") }
        var out = "<table>\n<tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
        for row in rows {
            out += "<tr>" + row.enumerated().map { i, cell in
                leftAligned.contains(i) ? "<td>\(esc(cell))</td>" : "<td class=\"num\">\(esc(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }

    /// For a terminal: control characters in cells shown as `?` (no escape sequences reach it).
    public func plain() -> String {
        let lines = ([header] + rows).map { $0.map(MarkdownText.terminal) }
        let w = Table.widths(lines)
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { pad($1, w[$0], left: leftAligned.contains($0)) }.joined(separator: "  ")
        }
        return lines.map(line).joined(separator: "\n") + "\n"
    }
}

/// Money for people: dollars with two decimals, rounded by the one rule.
func dollars(_ value: Fixed) -> String { value.rounded(toFractionDigits: 2) }

/// A fraction as a percentage with two decimals.
func percentText(_ fraction: Double) -> String { formatStatistic(fraction * 100, digits: 2) + "%" }
