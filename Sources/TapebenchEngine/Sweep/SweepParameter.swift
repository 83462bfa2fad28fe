import TapebenchCore
import TapebenchExecution

/// A parameter swept over values: a fill-model parameter of the registry (`slippage.bps=0:20:1`,
/// `stop=at_stop,to_market`) or an agent's (`agent.vwap-mr.lookback_bars=10:40:10`); values as
/// START:STOP:STEP (stop included) or a list V1,V2,…
public struct SweepParameter: Sendable, Hashable {
    public var name: String
    public var values: [ParameterValue]

    /// Every name a sweep takes besides agents' (`agent.<id>.<parameter>`): the registry's keys.
    public static var names: [String] { FillModelParameter.all.map(\.key) }
    static let agentPrefix = "agent."

    /// The fill-model parameter swept, or nil for an agent's.
    public var fillModelParameter: FillModelParameter? { FillModelParameter.named(name) }

    /// The agent's id and parameter of `agent.<id>.<parameter>` (an id may hold dots; a parameter does not).
    public var agentParameter: (agent: String, parameter: String)? {
        guard name.hasPrefix(Self.agentPrefix), let dot = name.lastIndex(of: "."), dot >= name.index(name.startIndex, offsetBy: Self.agentPrefix.count) else { return nil }
        let id = String(name[name.index(name.startIndex, offsetBy: Self.agentPrefix.count)..<dot])
        let parameter = String(name[name.index(after: dot)...])
        return id.isEmpty || parameter.isEmpty ? nil : (id, parameter)
    }

    /// Parses `name=start:stop:step` or `name=v1,v2,…`; the message of a thrown error says what is wrong. An
    /// agent's parameter is checked against the scenario later (`SweepGrid.scenario`); its values are numbers.
    public init(parsing text: String) throws {
        func problem(_ message: String) -> InputError { InputError(file: "--param", message: "'\(text)': \(message)") }
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw problem("expected NAME=START:STOP:STEP or NAME=V1,V2,… with NAME one of \(Self.names.joined(separator: ", ")) or agent.<id>.<parameter>")
        }
        name = parts[0]
        values = []
        let parameter = FillModelParameter.named(name)
        guard parameter != nil || agentParameter != nil else {
            throw problem("unknown parameter '\(name)'" + NameSuggestion.hint(for: name, among: Self.names) + " (or agent.<id>.<parameter>)")
        }
        let range = parts[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if range.count == 3 {
            if let parameter, case .flag = parameter.type { throw problem("\(name) takes true or false: list them (\(name)=true,false)") }
            if let parameter, case .choice(let words) = parameter.type { throw problem("\(name) takes words: list them (\(name)=\(words.joined(separator: ",")))") }
            guard let start = Fixed(parsing: range[0]), let stop = Fixed(parsing: range[1]), let step = Fixed(parsing: range[2]),
                  step.raw > 0, stop >= start else {
                throw problem("START:STOP:STEP needs numbers with STOP ≥ START and STEP > 0")
            }
            var value = start
            while true {
                values.append(.number(value))
                guard values.count <= 10_000 else { throw problem("more than 10 000 values") }
                // Wide: a step as large as a `Fixed` allows goes past STOP, not past the range.
                let next = value.wide + step.wide
                guard next <= stop.wide else { break }
                value = Fixed(raw: Int64(next))
            }
        } else {
            let items = parts[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for item in items {
                if let parameter {
                    switch parameter.parse(item) {
                    case .success(let value): values.append(value)
                    case .failure(let error): throw problem("\(name): \(error.message)")
                    }
                } else {
                    guard let number = Fixed(parsing: item) else { throw problem("expected numbers separated by commas") }
                    values.append(.number(number))
                }
            }
        }
        if let parameter {
            for value in values {
                if case .failure(let error) = parameter.check(value) { throw problem("\(name): \(error.message)") }
            }
        }
    }

    /// The spec with this (fill-model) parameter set to `value`; an agent's parameter leaves it as it is.
    public func apply(_ value: ParameterValue, to spec: FillModelSpec) -> FillModelSpec {
        guard let parameter = fillModelParameter else { return spec }
        var spec = spec
        parameter.write(&spec, value)
        return spec
    }

    /// Whether the (fill-model) parameter means anything on `base`: an engine's own settings only under its
    /// preset, and none of the parts an engine preset decides itself (as a scenario's `fill_models` refuses them),
    /// so that no sweep draws a flat line over a parameter the replay never reads.
    public func check(base: FillModelSpec) throws {
        guard let parameter = fillModelParameter else { return }
        let engine = FillModelParameter.engine(of: base)
        switch parameter.rules {
        case .engine(let owner) where owner != engine:
            throw InputError(file: "--param", message: "'\(name)' needs a base fill model of preset \(owner); the scenario's first fill model is '\(base.name)'")
        case .own where engine != nil:
            let own = FillModelParameter.all.filter { $0.rules == .engine(engine!) && $0.type != .flag }.map(\.key).joined(separator: " or ")
            throw InputError(file: "--param", message: "'\(name)': the \(engine!) preset's broker decides this part of '\(base.name)'; sweep \(own)")
        default: break
        }
    }
}
