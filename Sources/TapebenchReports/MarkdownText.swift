/// Text from outside Tapebench (a scenario's description, the names of data files, reasons and
/// findings that quote them, anything read back from a baseline) made safe to put into Markdown and
/// onto a terminal: it shows as the text it is, and cannot become HTML (`<script>`, `<img onerror>`),
/// a link or an image (`[x](javascript:…)`), a new table cell (`|`), a new line or block, or an
/// escape sequence for the reader's terminal. Ordinary text (names, numbers, `P&L`, `→`) is unchanged.
public enum MarkdownText {
    /// For a table cell or a phrase inside a line.
    public static func inline(_ text: String) -> String {
        // Most cells (numbers, tickers, times) need nothing: told by their bytes and returned as they are
        // (walked Character by Character, they were most of report.md's time).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && !changes($0) }) { return text }
        var out = ""
        var characters = text[...]
        while let c = characters.popFirst() {
            switch c {
            case "\\", "`", "|", "[", "]": out += "\\" + String(c)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&" where startsCharacterReference(characters): out += "&amp;"
            default:
                if c.isNewline || c == "\t" {
                    out += " "
                } else if isControl(c) {
                    out += "\u{FFFD}"
                } else {
                    out.append(c)
                }
            }
        }
        return out
    }

    /// The printable ASCII characters `inline` may change: escaped with a backslash, or written as entities.
    private static func changes(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "&"): return true
        default: return false
        }
    }

    /// For a paragraph of its own: inline, plus a first character that would open a block (a heading
    /// `#`, a list `-`/`+`/`*`, a quote, a rule `=`/`-`, fenced code `~`) escaped.
    public static func paragraph(_ text: String) -> String {
        let line = inline(text).drop { $0 == " " }
        guard let first = line.first, "#-+*=~_".contains(first) else { return String(line) }
        return "\\" + line
    }

    /// For a plain-text table or a message on a terminal: control characters (ESC sequences among
    /// them) shown as `?`, line breaks as spaces.
    public static func terminal(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || isControl($0) || $0 == "\t" }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : isControl($0) ? "?" : $0 })
    }

    /// `&name;`, `&#123;` or `&#x1F;`: what a Markdown renderer would turn into another character.
    static func startsCharacterReference(_ rest: Substring) -> Bool {
        let body = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "#") }
        return !body.isEmpty && rest.dropFirst(body.count).first == ";"
    }

    /// C0 and C1 control characters, DEL, and the bidirectional overrides that make text read other
    /// than it is (U+202A–U+202E, U+2066–U+2069).
    static func isControl(_ c: Character) -> Bool {
        c.unicodeScalars.contains { scalar in
            let v = scalar.value
            return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }
    }
}
