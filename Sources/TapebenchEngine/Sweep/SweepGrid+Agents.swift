import TapebenchCore
import TapebenchExecution

extension SweepGrid {
    /// The scenario that replays `points` of the grid: one fill-model variant per point (`p<i+1>`), and each agent
    /// with a swept parameter replaced by a `SweptAgentDefinition` that gives each point's lane the agent
    /// configured with that point's values. Every agent axis is checked against the whole grid first (the agent
    /// exists, its kind declares the parameter, the kind's `configure` accepts every value), so every shard of a
    /// grid refuses the same bad axis with the same line.
    public func scenario(_ scenario: Scenario, points selected: [Int]) throws -> Scenario {
        var result = scenario
        result.fillModels = selected.map(variant)
        let axes = parameters.indices.filter { parameters[$0].agentParameter != nil }
        guard !axes.isEmpty else { return result }
        for axis in axes {
            let (id, name) = parameters[axis].agentParameter!
            guard let config = scenario.agents.first(where: { $0.id == id }) else {
                throw problem(axis, "no agent '\(id)' in the scenario" + NameSuggestion.hint(for: id, among: scenario.agents.map(\.id)))
            }
            let declared = config.declaredParameters
            guard let declaration = declared.first(where: { $0.name == name }) else {
                let known = declared.isEmpty ? "; kind \(config.kind) declares no parameters a sweep can vary" : NameSuggestion.hint(for: name, among: declared.names)
                throw problem(axis, "agent '\(id)' (kind \(config.kind)) has no parameter '\(name)'" + known)
            }
            if declaration.wholeNumbers, let value = parameters[axis].values.first(where: { ($0.number?.raw ?? 0) % Fixed.scale != 0 }) {
                throw problem(axis, "\(name) takes whole numbers, got \(value.text)")
            }
        }
        for (index, config) in scenario.agents.enumerated() {
            let mine = axes.filter { parameters[$0].agentParameter!.agent == config.id }
            guard !mine.isEmpty else { continue }
            guard let reconfiguration = config.reconfiguration else {
                throw problem(mine[0], "agent '\(config.id)' was not read from a scenario file, so its parameters cannot be varied")
            }
            // One definition per distinct combination of this agent's values, configured (and checked) once.
            var combinations: [[ParameterValue]] = []
            var definitions: [any AgentDefinition] = []
            var byPoint: [Int] = []
            for point in points {
                let values = mine.map { point[$0] }
                if let known = combinations.firstIndex(of: values) { byPoint.append(known); continue }
                let overrides = zip(mine, values).map { (name: parameters[$0].agentParameter!.parameter, text: $1.text) }
                do {
                    definitions.append(try reconfiguration.configure(overrides))
                } catch let error as InputError {
                    // The kind's own words, about the parameter it names (which may be another one of the agent's).
                    let leaf = error.field.map { String($0.split(separator: ".").last ?? "") + " " } ?? ""
                    throw problem(mine[0], "with \(overrides.map { "\($0.name)=\($0.text)" }.joined(separator: ", ")), \(leaf)\(error.message)")
                }
                combinations.append(values)
                byPoint.append(combinations.count - 1)
            }
            var variantDefinition: [String: Int] = [:]
            for point in selected { variantDefinition["p\(point + 1)"] = byPoint[point] }
            result.agents[index].definition = SweptAgentDefinition(base: config.definition, definitions: definitions, byVariant: variantDefinition)
        }
        return result
    }

    private func problem(_ axis: Int, _ message: String) -> InputError {
        InputError(file: "--param", message: "'\(parameters[axis].name)': \(message)")
    }
}

/// An agent of a sweep with an agent axis: each lane (a grid point's fill-model variant) gets the agent
/// configured with that point's values. Points with the same values share one prepared definition (an order
/// tape is read once); each lane still runs its own agent, as every lane does in a run, since an agent's
/// decisions depend on its lane's account.
struct SweptAgentDefinition: AgentDefinition {
    var base: any AgentDefinition
    var definitions: [any AgentDefinition]
    /// Variant name (`p3`) → index into `definitions`.
    var byVariant: [String: Int]

    var parameterList: [(name: String, value: String)] { base.parameterList }

    func prepare(_ context: AgentContext) throws -> PreparedAgent {
        let prepared = try definitions.map { try $0.prepare(context) }
        let byVariant = self.byVariant
        var swept = PreparedAgent(makeLaneAgent: { lane in prepared[byVariant[lane.fillModel]!].makeAgent(for: lane) },
                                  checkDataPeriod: { first, last in for agent in prepared { try agent.checkDataPeriod(first, last) } })
        // Every point's agent reads at most the longest of their reaches (nil, all of the window, if one may).
        swept.windowBarsRead = prepared.contains { $0.windowBarsRead == nil } ? nil : prepared.compactMap(\.windowBarsRead).max()
        return swept
    }
}
