import Testing
import TapebenchCore
@testable import TapebenchEngine

/// Names from a scenario reach folder names and CSV cells. Each case is an attack seen in the wild (issue 10):
/// a name that walks out of `reports/runs`, one that is the root, one that nests folders, and cells a
/// spreadsheet would run as formulas.
@Suite("attack: names from a scenario used as paths and CSV cells") struct ScenarioNameSafetyTests {
    func error(name: String = "d", ticker: String = "A", agent: String = "a", variant: String? = nil, group: String? = nil) -> String? {
        var yaml = "name: '\(name)'\ndata:\n  paths: [x]\n  tickers: ['\(ticker)']\nagents:\n  - id: '\(agent)'\n    kind: vwap_mean_reversion\n"
        if let variant { yaml += "fill_models:\n  - name: '\(variant)'\n" }
        if let group { yaml += "risk:\n  max_group_pct: 30\n  groups: {'\(group)': [A]}\n" }
        do {
            _ = try Scenario.parse(yaml: yaml, file: "s.yaml", contentHash: "h")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("a scenario name that is not one safe path component is a located error", arguments: [
        ("../../../../victim", "s.yaml:1: field 'name': '../../../../victim' is not a scenario name: use only letters, digits, '_', '-', '.'"),
        ("/", "s.yaml:1: field 'name': '/' is not a scenario name: use only letters, digits, '_', '-', '.'"),
        ("a/b", "s.yaml:1: field 'name': 'a/b' is not a scenario name: use only letters, digits, '_', '-', '.'"),
        (".", "s.yaml:1: field 'name': '.' is not a scenario name: must start with a letter or a digit (a name starting with '.' is unsafe as a file name or in a spreadsheet)"),
        ("..", "s.yaml:1: field 'name': '..' is not a scenario name: must start with a letter or a digit (a name starting with '.' is unsafe as a file name or in a spreadsheet)"),
        ("-rf", "s.yaml:1: field 'name': '-rf' is not a scenario name: must start with a letter or a digit (a name starting with '-' is unsafe as a file name or in a spreadsheet)"),
        ("a\\b", "s.yaml:1: field 'name': 'a\\b' is not a scenario name: use only letters, digits, '_', '-', '.'"),
        ("naïve", "s.yaml:1: field 'name': 'naïve' is not a scenario name: use only letters, digits, '_', '-', '.'"),
        (String(repeating: "x", count: 101), "s.yaml:1: field 'name': '\(String(repeating: "x", count: 40))…' is not a scenario name: at most 100 characters, got 101"),
    ])
    func scenarioName(name: String, message: String) {
        #expect(error(name: name) == message)
    }

    @Test("ordinary names pass: letters, digits, '_', '-', '.', up to 100 characters", arguments: [
        "default", "fill-models", "run_2024.03", "1st", String(repeating: "x", count: 100),
    ])
    func ordinary(name: String) {
        #expect(error(name: name) == nil)
    }

    @Test("tickers, agent ids, variant and group names that a spreadsheet reads as a formula are refused", arguments: ["=", "+", "-", "@"])
    func formulas(lead: String) {
        #expect(error(ticker: lead + "SUM") == "s.yaml:4: field 'data.tickers': '\(lead)SUM' is not a ticker symbol: "
                + (lead == "-" ? "must start with a letter or a digit (a name starting with '-' is unsafe as a file name or in a spreadsheet)"
                               : "use only upper-case letters, digits, '.', '-'"))
        #expect(error(agent: lead + "cmd") != nil)
        #expect(error(agent: lead + "cmd")!.hasPrefix("s.yaml:6: field 'agents[0].id': '\(lead)cmd' is not an agent id: "))
        #expect(error(variant: lead + "x")!.hasPrefix("s.yaml:9: field 'fill_models[0].name': '\(lead)x' is not a variant name: "))
        #expect(error(group: lead + "g")!.hasPrefix("s.yaml:10: field 'risk.groups.\(lead)g': '\(lead)g' is not a group name: "))
    }

    @Test("the formula from the issue, as an agent id, is refused")
    func hyperlink() {
        #expect(error(agent: "=HYPERLINK(\"http://x\")") != nil)
        #expect(error(ticker: "BRK.B") == nil)
        #expect(error(ticker: "BF-B") == nil)
    }
}
