/// Names a scenario gives (its own name, agent ids, variant names, tickers) end up in folder names and
/// in CSV cells that people open in spreadsheets. Tapebench accepts only names that are safe in both:
/// one path component (never `.`, `..`, empty or containing `/`), of bounded length, that no spreadsheet
/// reads as a formula (`=`, `+`, `-`, `@` first). Real tickers and ids never need more.
public enum SafeName {
    /// The longest name accepted (a folder name gets suffixes such as `-graduate-paper` and must stay
    /// well under the 255 bytes file systems allow).
    public static let maxLength = 100

    /// What is wrong with `text` as a name (scenario name, agent id, variant name), or nil when it is
    /// fine: 1 to 100 ASCII letters, digits, `_`, `-`, `.`, starting with a letter or a digit.
    public static func problem(_ text: String) -> String? {
        check(text, allowed: { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == "-" || $0 == "." },
              rule: "letters, digits, '_', '-', '.'", maxLength: maxLength)
    }

    /// The longest ticker accepted.
    public static let maxTickerLength = 32

    /// What is wrong with `text` as a ticker, or nil: 1 to 32 upper-case ASCII letters, digits, `.`, `-`,
    /// starting with a letter or a digit (`BRK.B`, `BF-B`).
    public static func tickerProblem(_ text: String) -> String? {
        check(text, allowed: { ($0.isASCIILetter && $0.isUppercase) || $0.isASCIIDigit || $0 == "." || $0 == "-" },
              rule: "upper-case letters, digits, '.', '-'", maxLength: maxTickerLength)
    }

    static func check(_ text: String, allowed: (Character) -> Bool, rule: String, maxLength: Int) -> String? {
        guard let first = text.first else { return "empty" }
        guard text.allSatisfy(allowed) else { return "use only \(rule)" }
        guard first.isASCIILetter || first.isASCIIDigit else {
            return "must start with a letter or a digit (a name starting with '\(first)' is unsafe as a file name or in a spreadsheet)"
        }
        guard text.count <= maxLength else { return "at most \(maxLength) characters, got \(text.count)" }
        return nil
    }

    /// A name as it may be quoted in an error message: at most 40 characters, control characters shown
    /// as `?`, so a hostile name cannot flood or garble the one-line message.
    public static func quoted(_ text: String) -> String {
        let shown = text.prefix(40).map { $0.isASCII && ($0.asciiValue! < 0x20 || $0.asciiValue! == 0x7F) ? "?" : String($0) }.joined()
        return "'" + shown + (text.count > 40 ? "…" : "") + "'"
    }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}
