import TapebenchCore
import TapebenchExecution
import Yams

/// Fill models in a scenario: `fill_model: NAME` (one preset), or `fill_models:` a list of presets and
/// variants (`{name, preset, …overrides}`). The parts a variant may override, their keys, types, ranges and
/// forms are the groups of the parameter registry, `FillModelParameter.all` (listed in
/// docs/fill-model-parameters.md); nothing here names a parameter.
enum FillModelParsing {
    /// The keys a variant may override: the groups of the parameter registry (`FillModelParameter.all`).
    static var overrideKeys: [String] { FillModelParameter.groups }
    /// Parts an engine preset's own rules decide: a `backtrader` variant sets its slippage under `backtrader:`.
    static var decidedByEngines: [String] {
        FillModelParameter.groups.filter { group in FillModelParameter.all.contains { $0.group == group && $0.rules == .own } }
    }

    static func variants(_ top: inout YAMLFields) throws -> [FillModelSpec] {
        let single = try top.string("fill_model")
        let listNode = top.node("fill_models")
        if single != nil && listNode != nil {
            throw top.error("fill_models", "give fill_model or fill_models, not both")
        }
        if let single {
            guard let spec = FillModelSpec.preset(single) else {
                throw top.error("fill_model", "unknown fill model '\(single)'; expected one of: \(FillModelSpec.presetNames.joined(separator: ", "))")
            }
            return [spec]
        }
        guard let listNode else { return [.seed] }
        guard let items = listNode.sequence, items.count > 0 else {
            throw top.error("fill_models", "expected a list of presets or variants", node: listNode)
        }
        var specs: [FillModelSpec] = []
        for (index, item) in items.enumerated() {
            let path = "fill_models[\(index)]"
            let spec: FillModelSpec
            if case .scalar(let scalar) = item {
                guard let preset = FillModelSpec.preset(scalar.string) else {
                    throw InputError(file: top.file, line: item.mark?.line, field: path,
                                     message: "unknown preset '\(scalar.string)'; expected one of: \(FillModelSpec.presetNames.joined(separator: ", "))")
                }
                spec = preset
            } else {
                spec = try variant(YAMLFields(item, file: top.file, path: path))
            }
            if specs.contains(where: { $0.name == spec.name }) {
                throw InputError(file: top.file, line: item.mark?.line, field: path, message: "variant name '\(spec.name)' is used twice")
            }
            specs.append(spec)
        }
        return specs
    }

    static func variant(_ fields: YAMLFields) throws -> FillModelSpec {
        var fields = fields
        let presetName = try fields.string("preset") ?? "seed"
        guard var spec = FillModelSpec.preset(presetName) else {
            throw fields.error("preset", "unknown preset '\(presetName)'; expected one of: \(FillModelSpec.presetNames.joined(separator: ", "))")
        }
        guard let name = try fields.string("name") else { throw fields.error("name", "required: a name for the variant's column") }
        if let problem = SafeName.problem(name) {
            throw fields.error("name", "\(SafeName.quoted(name)) is not a variant name: \(problem)")
        }
        spec.name = name
        try apply(&fields, to: &spec)
        try fields.rejectUnknownKeys(known: ["name", "preset"] + overrideKeys)
        return spec
    }

    /// Applies whatever overrides `fields` holds, group by group of the parameter registry.
    static func apply(_ fields: inout YAMLFields, to spec: inout FillModelSpec) throws {
        let engine = spec.backtraderBroker != nil ? "backtrader" : spec.backtestingBroker != nil ? "backtesting" : nil
        if let engine, let key = decidedByEngines.first(where: { fields.node($0) != nil }) {
            throw fields.error(key, engine == "backtrader"
                ? "backtrader's broker decides this part under the backtrader preset; set its slippage with backtrader: {slip_perc, slip_fixed, slip_open, slip_match, slip_limit, slip_out}"
                : "backtesting.py's broker decides this part under the backtesting preset; set backtesting: {spread, trade_on_close, exclusive_orders}")
        }
        for group in FillModelParameter.groups {
            guard let node = fields.node(group) else { continue }
            let parameters = FillModelParameter.all.filter { $0.group == group }
            for case .engine(let owner) in parameters.map(\.rules) where owner != engine {
                let whose = owner == "backtrader" ? "backtrader's" : "backtesting.py's"
                throw fields.error(group, "only a variant of preset \(owner) takes \(whose) broker settings", node: node)
            }
            try apply(group: group, node: node, parameters: parameters, fields: fields, to: &spec)
        }
    }

    /// One group: a scalar (`stop: gap_aware`, `market_timing: next_close`, `participation: none`) or a mapping
    /// of the group's keys, which takes exactly one of its forms (if it has forms), its required keys, and
    /// modifiers only beside the form they refine.
    static func apply(group: String, node: Node, parameters: [FillModelParameter], fields: YAMLFields, to spec: inout FillModelSpec) throws {
        let own = parameters.first { $0.key == group }
        let keyed = parameters.filter { $0.field != nil }
        if case .scalar(let scalar) = node {
            if let word = FillModelParameter.groupWords[group], scalar.string == word.word, let target = FillModelParameter.named(word.key) {
                FillModelParameter.reset(group: group, in: &spec)
                target.write(&spec, word.value)
                return
            }
            if let own {
                own.write(&spec, try located(own.parse(scalar.string), fields: fields, key: group, node: node))
                return
            }
        } else if keyed.isEmpty, let own {
            _ = try located(own.parse("a collection"), fields: fields, key: group, node: node)
        }
        var mapping = try YAMLFields(node, file: fields.file, path: fields.qualified(group))
        var given: [(parameter: FillModelParameter, value: ParameterValue)] = []
        for parameter in keyed {
            if let value = try mapping.value(parameter, key: parameter.field!) { given.append((parameter, value)) }
        }
        try mapping.rejectUnknownKeys(known: keyed.map { $0.field! })
        let forms = keyed.filter { $0.role == .form }
        if !forms.isEmpty, given.filter({ $0.parameter.role == .form }).count != 1 {
            throw fields.error(group, "give exactly one of: \(forms.map { $0.field! }.joined(separator: ", "))")
        }
        for parameter in keyed where parameter.role == .required && !given.contains(where: { $0.parameter.key == parameter.key }) {
            throw mapping.error(parameter.field!, "required")
        }
        for (parameter, _) in given {
            guard case .modifier(let of) = parameter.role, !given.contains(where: { of.contains($0.parameter.key) }) else { continue }
            let names = of.compactMap { FillModelParameter.named($0)?.field }
            throw mapping.error(parameter.field!, "applies only beside \(names.joined(separator: " or "))")
        }
        FillModelParameter.reset(group: group, in: &spec)
        for (parameter, value) in given.sorted(by: { $0.parameter.role.writeOrder < $1.parameter.role.writeOrder }) { parameter.write(&spec, value) }
    }

    static func located(_ result: Result<ParameterValue, ParameterProblem>, fields: YAMLFields, key: String, node: Node) throws -> ParameterValue {
        switch result {
        case .success(let value): return value
        case .failure(let problem): throw fields.error(key, problem.message, node: node)
        }
    }
}

extension YAMLFields {
    /// A fill-model parameter's value under `key`, checked by the registry.
    mutating func value(_ parameter: FillModelParameter, key: String) throws -> ParameterValue? {
        guard let value = node(key) else { return nil }
        let text: String
        if case .scalar(let scalar) = value { text = scalar.string } else { text = "a collection" }
        return try FillModelParsing.located(parameter.parse(text), fields: self, key: key, node: value)
    }
}
