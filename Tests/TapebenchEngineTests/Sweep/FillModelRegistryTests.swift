import Testing
import TapebenchCore
import TapebenchExecution
@testable import TapebenchEngine

/// The registry is the one vocabulary of fill-model parameters: every entry is swept and parsed through it, and
/// nothing is parsed that it does not declare.
@Suite struct FillModelRegistryTests {
    /// A base whose rules read `p` and that uses the form a modifier refines.
    static func base(for p: FillModelParameter) -> FillModelSpec {
        switch p.rules {
        case .engine("backtrader"): return .backtrader
        case .engine: return .backtesting
        default: break
        }
        var spec = FillModelSpec.seed
        if p.key.hasPrefix("participation.") { spec.participation = Participation(maxBasisPoints: 1_000) }
        if p.key == "commission.regulatory_fees" || p.key == "commission.minimum" || p.key == "commission.maximum_pct" {
            spec.commission = .perShare(rate: Fixed(raw: 500_000), minimum: .zero, maximumBasisPoints: 10_000, regulatoryFees: false)
        }
        return spec
    }

    /// Two different valid values of `p`: the ends of its range, both flags, the first two words.
    static func values(for p: FillModelParameter) -> [ParameterValue] {
        switch p.type {
        case .flag: return [.flag(false), .flag(true)]
        case .choice(let words): return [.word(words[1]), .word(words[0])]
        case .whole(let r): return [.number(Fixed(r.lowerBound)), .number(Fixed(r.upperBound))]
        case .decimal(let r, _), .percent(let r): return [.number(r.lowerBound), .number(r.upperBound)]
        }
    }

    /// Entries with two valid values (`backtesting.hedging` has one: true is refused).
    static let sweepable = FillModelParameter.all.filter { $0.refused == nil }.map(\.key)

    @Test("every registry entry can be swept, and each of its values changes the spec to that value", arguments: sweepable)
    func everyEntrySweeps(key: String) throws {
        let p = try #require(FillModelParameter.named(key))
        let values = Self.values(for: p)
        let parameter = try SweepParameter(parsing: "\(key)=" + values.map(\.text).joined(separator: ","))
        #expect(parameter.values == values)
        let grid = SweepGrid(base: Self.base(for: p), parameters: [parameter])
        try grid.check()
        var a = grid.variant(0), b = grid.variant(1)
        a.name = "x"
        b.name = "x"
        #expect(a != b, "sweeping \(key) over \(values.map(\.text)) leaves the spec alike")
        #expect(p.read(grid.variant(0)) == values[0])
        #expect(p.read(grid.variant(1)) == values[1])
    }

    func parse(_ variant: String, preset: String) throws -> FillModelSpec {
        let yaml = "name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n"
            + "fill_models:\n  - name: v\n    preset: \(preset)\n    \(variant)\n"
        return try Scenario.parse(yaml: yaml, file: "s.yaml", contentHash: "h").fillModels[0]
    }

    @Test("every registry entry is read from a scenario's variant under its key, to the same value a sweep sets", arguments: sweepable)
    func everyEntryParses(key: String) throws {
        let p = try #require(FillModelParameter.named(key))
        let value = Self.values(for: p)[1]
        let preset = { if case .engine(let name) = p.rules { return name } else { return "seed" } }()
        var text: String
        if let field = p.field {
            var entries = ["\(field): \(value.text)"]
            // A modifier beside its form (at its highest value: a participation cap of 0 is none).
            if case .modifier(let of) = p.role, let form = FillModelParameter.named(of[0]) {
                entries.insert("\(form.field!): \(Self.values(for: form)[1].text)", at: 0)
            }
            text = "\(p.group): {\(entries.joined(separator: ", "))}"
        } else {
            text = "\(key): \(value.text)"
        }
        let spec = try parse(text, preset: preset)
        #expect(p.read(spec) == value, "\(text)")
    }

    @Test("a refused value (backtesting.hedging: true) is an error with its reason, in a scenario and in a sweep")
    func refusedValues() throws {
        #expect(throws: InputError.self) { try parse("backtesting: {hedging: true}", preset: "backtesting") }
        do {
            _ = try parse("backtesting: {hedging: true}", preset: "backtesting")
        } catch let error as InputError {
            #expect(error.description.contains("field 'fill_models[0].backtesting.hedging': not supported: Tapebench's account nets each ticker's trades"), "\(error)")
        }
        #expect(try parse("backtesting: {hedging: false}", preset: "backtesting").backtestingBroker != nil)
        #expect(throws: (any Error).self) { try SweepParameter(parsing: "backtesting.hedging=false,true") }
    }

    @Test("the keys a variant takes are the registry's groups, and each group's keys are the registry's")
    func keysAreTheRegistrys() throws {
        #expect(FillModelParsing.overrideKeys == FillModelParameter.groups)
        #expect(FillModelParameter.groups == ["market_timing", "limit", "stop", "intrabar_path", "participation", "slippage", "slippage_on_open",
                                              "slippage_capped_to_bar", "commission", "tick_size", "backtrader", "backtesting"])
        do {
            _ = try parse("bogus: 1", preset: "seed")
            Issue.record("no error")
        } catch let error as InputError {
            #expect(error.message == "unknown key; expected one of: " + (["name", "preset"] + FillModelParameter.groups).joined(separator: ", "))
        }
        for group in FillModelParameter.groups {
            let fields = FillModelParameter.all.filter { $0.group == group }.compactMap(\.field)
            guard !fields.isEmpty else { continue }
            let preset = group == "backtrader" || group == "backtesting" ? group : "seed"
            do {
                _ = try parse("\(group): {bogus: 1}", preset: preset)
                Issue.record("no error for \(group)")
            } catch let error as InputError {
                #expect(error.message == "unknown key; expected one of: " + fields.joined(separator: ", "), "\(group)")
            }
        }
    }

    @Test("hand-computed: percentages are whole basis points; a modifier alone in its group is refused")
    func handComputed() throws {
        #expect(try parse("commission: {pct: 0.25, regulatory_fees: true}", preset: "seed").commission == .percentOfNotional(basisPoints: 25, regulatoryFees: true))
        #expect(try parse("participation: {max_pct: 2.5}", preset: "seed").participation == Participation(maxBasisPoints: 250))
        #expect(try parse("participation: none", preset: "conservative").participation == nil)
        #expect(try parse("market_timing: {latency_bars: 2}", preset: "seed").marketTiming == .latency(bars: 2))
        #expect(throws: InputError(file: "s.yaml", line: 11, field: "fill_models[0].commission.regulatory_fees", message: "applies only beside per_share or pct")) {
            try parse("commission: {per_fill: 1, regulatory_fees: true}", preset: "seed")
        }
        #expect(throws: InputError(file: "s.yaml", line: 11, field: "fill_models[0].commission.pct", message: "at most two decimals (whole basis points), got 0.125")) {
            try parse("commission: {pct: 0.125}", preset: "seed")
        }
    }

    @Test("a modifier swept on conservative refines the per-share part of its greatest-of commission")
    func modifierInsideGreatestOf() throws {
        let grid = SweepGrid(base: .conservative, parameters: [try SweepParameter(parsing: "commission.minimum=2")])
        try grid.check()
        #expect(grid.variant(0).commission == .greatestOf([FillModelSpec.seed.commission,
                                                           .perShare(rate: Fixed(raw: 500_000), minimum: Fixed(2), maximumBasisPoints: 100, regulatoryFees: true)]))
    }
}
