import Foundation
import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchExecution

/// The documentation and the report schema are derived from the parameter registry; these tests fail when either
/// drifts from it. `TAPEBENCH_RECORD=1 swift test --filter ParameterDocsTests` rewrites the docs file.
@Suite struct ParameterDocsTests {
    static let docsPath = Repository.root + "/docs/fill-model-parameters.md"

    @Test("docs/fill-model-parameters.md is the text generated from the registry and the agent kinds")
    func docsCurrent() throws {
        let expected = ParameterDocumentation.markdown()
        if ProcessInfo.processInfo.environment["TAPEBENCH_RECORD"] == "1" {
            try expected.write(toFile: Self.docsPath, atomically: true, encoding: .utf8)
        }
        let current = try? String(contentsOfFile: Self.docsPath, encoding: .utf8)
        #expect(current == expected, "docs/fill-model-parameters.md is out of date: TAPEBENCH_RECORD=1 swift test --filter ParameterDocsTests")
        for parameter in FillModelParameter.all { #expect(expected.contains("| `\(parameter.key)` |")) }
        #expect(expected.contains("| `vwap_mean_reversion` | `lookback_bars` |"))
    }

    /// The schema of one parameter's value in report.json, as the registry types it.
    static func schema(_ parameter: FillModelParameter) -> [String: Any] {
        switch parameter.type {
        case .decimal(let range, _), .percent(let range):
            return ["type": ["number", "null"], "minimum": range.lowerBound.doubleValue, "maximum": range.upperBound.doubleValue]
        case .whole(let range): return ["type": ["integer", "null"], "minimum": range.lowerBound, "maximum": range.upperBound]
        case .flag: return ["type": ["boolean", "null"]]
        case .choice(let words): return ["enum": words.map { $0 as Any } + [NSNull()]]
        }
    }

    @Test("report.schema.json types every registry parameter of a fill model, and no other")
    func schemaCurrent() throws {
        var properties: [String: Any] = [:]
        for p in FillModelParameter.all { properties[p.key] = Self.schema(p) }
        let expected: [String: Any] = ["type": "object", "additionalProperties": false, "required": FillModelParameter.all.map(\.key),
                                       "properties": properties]
        let data = try Data(contentsOf: URL(fileURLWithPath: Repository.root + "/reports/report.schema.json"))
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let fillModel = (root?["$defs"] as? [String: Any])?["fill_model"] as? [String: Any]
        let parameters = (fillModel?["properties"] as? [String: Any])?["parameters"] as? [String: Any] ?? [:]
        let matches = NSDictionary(dictionary: parameters).isEqual(to: expected)
        if !matches {
            let text = try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys, .prettyPrinted])
            try text.write(to: URL(fileURLWithPath: NSTemporaryDirectory() + "/fill-model-parameters.schema.json"))
        }
        #expect(matches, "the schema's $defs.fill_model.properties.parameters differs; the expected one is in \(NSTemporaryDirectory())fill-model-parameters.schema.json")
    }
}
