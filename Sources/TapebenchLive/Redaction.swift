/// Keeps the Polygon key out of everything Tapebench prints or writes: the key itself, wherever it
/// appears, and the value of any `apiKey=` query parameter (a `next_url` may carry one).
public struct Redaction: Sendable {
    public let key: String?

    public init(key: String?) { self.key = key }

    public static let mask = "REDACTED"

    public func apply(_ text: String) -> String {
        var text = text
        if let key, key.count >= 4 { text = text.replacingOccurrences(of: key, with: Redaction.mask) }
        // apiKey=…, up to the next separator, in any letter case.
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: "apikey=", options: .caseInsensitive) {
            out += rest[..<range.upperBound]
            var end = range.upperBound
            while end < rest.endIndex, !"&# \"'\n\t<>".contains(rest[end]) { end = rest.index(after: end) }
            if end > range.upperBound { out += Redaction.mask }
            rest = rest[end...]
        }
        return out + rest
    }
}

import Foundation
