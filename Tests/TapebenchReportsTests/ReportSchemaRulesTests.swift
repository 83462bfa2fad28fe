import Foundation
import Testing
import TapebenchCore

/// reports/report.schema.json must name every fill rule a report can carry (the engine presets' defect rules were
/// missing: a report.json of a backtrader or backtesting lane that met a defect did not validate).
@Suite struct ReportSchemaRulesTests {
    @Test("the schema's rule enum is exactly FillRule's cases")
    func rules() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("reports/report.schema.json"), encoding: .utf8)
        // The enum that lists market_next_open, read as the quoted strings up to its closing bracket ("enum" first).
        let start = try #require(text.range(of: "\"enum\": [\n            \"market_next_open\""))
        let end = try #require(text.range(of: "]", range: start.upperBound..<text.endIndex))
        let listed = text[start.lowerBound..<end.lowerBound].split(separator: "\"").enumerated().filter { $0.offset % 2 == 0 }.map { String($0.element) }
        #expect(Array(listed.dropFirst()) == FillRule.allCases.map(\.rawValue))
    }
}
