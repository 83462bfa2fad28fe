// Tapebench — quoting a user's input inside an error message.

extension InputError {
    /// Characters of input quoted in a message before it is cut with "…".
    public static let quoteLimit = 40

    /// `text` as an error message quotes it: in single quotes, at most `quoteLimit` characters (then "…"),
    /// control characters written as escapes, so a message stays one short line whatever the input holds
    /// (a 20 MB field, a line break, a terminal escape sequence). Every message that quotes input uses this.
    public static func quote(_ text: some StringProtocol) -> String {
        var result = "'"
        var count = 0
        for character in text {
            if count == quoteLimit { return result + "…'" }
            result += escaped(character)
            count += 1
        }
        return result + "'"
    }

    /// Bytes as `quote` quotes text; only a prefix is decoded, so a huge field costs nothing.
    public static func quote(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Four bytes per character at most, plus one to see whether more follows.
        let prefix = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, quoteLimit * 4 + 1)])
        let text = String(decoding: prefix, as: UTF8.self)
        if prefix.count < bytes.count, text.count <= quoteLimit {
            // The decoded prefix was cut inside the limit (many 4-byte characters): still say there is more.
            return String(quote(text).dropLast()) + "…'"
        }
        return quote(text)
    }

    /// A byte array as `quote` quotes text.
    public static func quote(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { quote($0) }
    }

    private static func escaped(_ character: Character) -> String {
        switch character {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\r\n": return "\\r\\n"
        case "\t": return "\\t"
        case "\0": return "\\0"
        default:
            guard character.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) else {
                return String(character)
            }
            return character.unicodeScalars.map { scalar in
                scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
                    ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : String(scalar)
            }.joined()
        }
    }
}
