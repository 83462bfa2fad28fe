import TapebenchExecution

/// docs/fill-model-parameters.md, generated from the declarations (`FillModelParameter.all` and the agent kinds'
/// `parameters`), so the documentation cannot drift from what the parser, the sweep and report.json read.
/// A test compares the file with this text (`TAPEBENCH_RECORD=1` rewrites it).
public enum ParameterDocumentation {
    public static func markdown(agents: AgentRegistry = .builtIn) -> String {
        var out = """
            # Fill-model parameters

            Generated from `FillModelParameter.all` (Sources/TapebenchExecution/Parameters); do not edit by hand.
            Each key is, at once, the path under a `fill_models:` variant (`slippage.bps` is `slippage: {bps: …}`,
            `stop` is `stop: …`), the name `tapebench sweep --param` takes, the column of sweep.csv and the field under
            `parameters` of each fill model in report.json (null there when the part is of another form or another
            preset's). A group with forms (`slippage`, `commission`) takes exactly one of them; a modifier only beside
            the form it refines.

            | key | values | unit | read under | meaning |
            |---|---|---|---|---|

            """
        for p in FillModelParameter.all {
            var meaning = p.summary
            if case .modifier(let of) = p.role { meaning += " Refines \(of.map { "`\($0)`" }.joined(separator: " or "))." }
            if p.role == .form { meaning += " A form of `\(p.group)`." }
            out += "| `\(p.key)` | \(p.typeText) | \(p.unit) | \(rules(p.rules)) | \(meaning) |\n"
        }
        out += """

            # Agent parameters a sweep can vary

            `tapebench sweep --param agent.<id>.<parameter>=…` varies the parameter of the scenario's agent `<id>`; each
            value is checked by the agent's kind exactly as `params:` in the scenario would be.

            | kind | parameter | meaning |
            |---|---|---|

            """
        for kind in agents.kinds {
            for p in kind.parameters {
                out += "| `\(kind.name)` | `\(p.name)` | \(p.wholeNumbers ? "" : "(decimal) ")\(p.summary) |\n"
            }
        }
        return out
    }

    static func rules(_ rules: FillModelParameter.Rules) -> String {
        switch rules {
        case .any: return "every preset"
        case .own: return "seed, conservative (not the engine presets)"
        case .engine(let name): return "preset \(name) only"
        }
    }
}
