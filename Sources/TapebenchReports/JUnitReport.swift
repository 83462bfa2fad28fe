/// JUnit XML for CI systems: one test case per scenario and lane.
public enum JUnitReport {
    public struct Case: Sendable, Codable {
        public var suite: String
        public var name: String
        /// Nil when it passed; the failure's lines otherwise.
        public var failure: [String]?
        public var error: String?

        public init(suite: String, name: String, failure: [String]?, error: String? = nil) {
            self.suite = suite
            self.name = name
            self.failure = failure
            self.error = error
        }
    }

    public static func render(_ cases: [Case]) -> String {
        let failures = cases.filter { $0.failure != nil }.count, errors = cases.filter { $0.error != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"tapebench check\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for suite in Array(Set(cases.map(\.suite))).sorted() {
            let members = cases.filter { $0.suite == suite }
            out += "  <testsuite name=\"\(escape(suite))\" tests=\"\(members.count)\" failures=\"\(members.filter { $0.failure != nil }.count)\" errors=\"\(members.filter { $0.error != nil }.count)\">\n"
            for c in members {
                out += "    <testcase classname=\"\(escape(suite))\" name=\"\(escape(c.name))\""
                if let failure = c.failure {
                    out += ">\n      <failure message=\"\(escape(failure.first ?? "regression"))\">\(escape(failure.joined(separator: "\n")))</failure>\n    </testcase>\n"
                } else if let error = c.error {
                    out += ">\n      <error message=\"\(escape(error))\"/>\n    </testcase>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// XML text or attribute value: markup escaped, line breaks and tabs as character references (an
    /// attribute keeps them), and characters XML 1.0 forbids (other controls) as U+FFFD, so that a
    /// hostile name or message can neither add elements nor make the file unreadable to a CI system.
    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                let v = scalar.value
                out.unicodeScalars.append(v < 0x20 || v == 0xFFFE || v == 0xFFFF ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }
}
