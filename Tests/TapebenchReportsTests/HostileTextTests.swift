import Foundation
import TapebenchTestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TapebenchCore
import TapebenchEngine
@testable import TapebenchReports

/// Text from outside (a description, data file names, messages) in the reports (issue 10: report.md
/// embedded names and descriptions raw: `<script>`, `<img onerror>`, `javascript:` links, `|` breaking
/// tables).
@Suite("attack: outputs that could be turned against their reader")
struct HostileTextTests {
    static let hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) ![i](x) a|b `c` \\ &amp; P&L\nline two\u{1B}[31m"

    @Test("Markdown inline text: markup shown as text, ordinary text unchanged", arguments: [
        ("vwap-mr under seed: return 0.01 → 0.02", "vwap-mr under seed: return 0.01 → 0.02"),
        ("total P&L", "total P&L"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("![i](http://x/t.png)", "!\\[i\\](http://x/t.png)"),
        ("a|b", "a\\|b"),
        ("`code`", "\\`code\\`"),
        ("back\\slash", "back\\\\slash"),
        ("&amp; &#60; &x", "&amp;amp; &amp;#60; &x"),
        ("one\ntwo\r\nthree\tfour", "one two three four"),
        ("bell\u{07} esc\u{1B}[2J rtl\u{202E}txt", "bell\u{FFFD} esc\u{FFFD}\\[2J rtl\u{FFFD}txt"),
    ])
    func inline(text: String, escaped: String) {
        #expect(MarkdownText.inline(text) == escaped)
    }

    @Test("a paragraph cannot open a block: heading, list, quote, rule", arguments: [
        ("# big", "\\# big"), ("- item", "\\- item"), ("> quote", "&gt; quote"), ("=====", "\\====="), ("plain text", "plain text"),
    ])
    func paragraph(text: String, escaped: String) {
        #expect(MarkdownText.paragraph(text) == escaped)
    }

    @Test("a hostile cell keeps a Markdown table to its columns")
    func table() {
        let markdown = Table(header: ["name", "n"], rows: [[Self.hostile, "1"]]).markdown()
        let lines = markdown.split(separator: "\n")
        #expect(lines.count == 3)
        // Cell borders: the pipes not preceded by a backslash.
        let borders = lines.map { line in zip(line.dropFirst(), line).filter { $0.0 == "|" && $0.1 != "\\" }.count + (line.first == "|" ? 1 : 0) }
        #expect(borders == [3, 3, 3])
        #expect(!markdown.contains("<script") && !markdown.contains("<img") && !markdown.contains("[click]("))
        #expect(!markdown.contains("\u{1B}"))
    }

    @Test("a plain table on a terminal shows control characters as '?'")
    func plain() {
        #expect(Table(header: ["a"], rows: [["x\u{1B}[2Jy\nz"]]).plain() == "a       \nx?[2Jy z\n")
    }

    /// A run whose description and data file name are hostile.
    func hostileRun() throws -> RunDigest {
        let folder = TestScratch.root + "tapebench-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = "TST <img src=x onerror=alert(1)>|[a](javascript:b).csv"
        var rows = ["timestamp,ticker,open,high,low,close,volume"]
        for minute in 0..<30 {
            rows.append("2024-03-11T\(9 + (30 + minute) / 60):\(String(format: "%02d", (30 + minute) % 60)):00-04:00,TST,10.00,10.10,9.90,10.05,\(minute == 5 ? 0 : 1_000)")
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
        let yaml = """
            name: hostile
            description: '\(Self.hostile.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\n", with: "\n\n").replacingOccurrences(of: "\u{1B}", with: ""))'
            data:
              paths: ['\(file)']
              tickers: [TST]
            agents:
              - id: a
                kind: vwap_mean_reversion
            """
        try yaml.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        return try RunFolder(path: folder + "/out").run(try Scenario.load(path: folder + "/s.yaml"))
    }

    @Test("report.md with a hostile description and data file name: no HTML, no links, tables whole")
    func markdownReport() throws {
        let result = try hostileRun()
        #expect(result.scenario.description?.contains("<script>") == true)
        #expect(result.quality.examples(perKind: 5).contains { $0.origin.file.contains("onerror") })
        let markdown = MarkdownReport.render(result)
        #expect(!markdown.contains("<script") && !markdown.contains("<img") && !markdown.contains("[click](") && !markdown.contains("[a]("))
        #expect(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(markdown.contains("TST &lt;img src=x onerror=alert(1)&gt;\\|\\[a\\](javascript:b).csv"))
        // Every table row has as many cell borders as its header.
        var expected: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { expected = nil; continue }
            let borders = zip(line.dropFirst(), line).filter { $0.0 == "|" && $0.1 != "\\" }.count + 1
            if let expected { #expect(borders == expected, "\(line)") } else { expected = borders }
        }
    }

    @Test("report.html with the same: every tag is Tapebench's own")
    func htmlReport() throws {
        let html = HTMLReport.render(try hostileRun())
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("href="))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test("JUnit XML with hostile names and messages parses, and gives the text back")
    func junit() throws {
        let message = "bad \"quote\" <failure> & ]]> \u{01}\nsecond line"
        let xml = JUnitReport.render([
            JUnitReport.Case(suite: "s\"><evil/>", name: Self.hostile, failure: [message]),
            JUnitReport.Case(suite: "t", name: "e", failure: nil, error: message),
        ])
        let parsed = JUnitCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = parsed
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(parsed.elements == ["testsuites", "testsuite", "testcase", "failure", "testsuite", "testcase", "error"])
        #expect(parsed.attributes.contains("s\"><evil/>"))
        #expect(parsed.attributes.contains("bad \"quote\" <failure> & ]]> \u{FFFD}\nsecond line"))
    }
}

final class JUnitCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var attributes: [String] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(name)
        self.attributes += attributes.values
    }
}
