import TapebenchCore
import TapebenchExecution
import Yams

/// Fill models in a scenario: `fill_model: NAME` (one preset), or `fill_models:` a list of presets and
/// variants (`{name, preset, …overrides}`). The parts a variant may override, with their forms:
///
///     market_timing: next_open | next_close | same_bar_close | {latency_bars: N}
///     limit: {through_ticks: N, gap_fills_at_open: true}
///     stop: at_stop | gap_aware | to_market
///     intrabar_path: any | ohlc | olhc | nearest | worst
///     participation: {max_pct: 10, cancel_at_session_end: false} | none
///     slippage: {bps: 1} | {cents: 0.01} | {half_range: 1} | {volume_share: 0.1} | {sqrt_impact: 1}
///     slippage_on_open: true | false
///     slippage_capped_to_bar: true | false
///     commission: {per_fill: 0.5} | {per_order: 1} | {per_share: 0.005, minimum: 1, maximum_pct: 1, regulatory_fees: true}
///               | {pct: 0.1, regulatory_fees: false}
///     tick_size: 0.01
///     backtrader: {slip_perc: 0.0001, slip_fixed: 0, slip_open: false, slip_match: true, slip_limit: true,
///                  slip_out: false, defects: true}          # preset backtrader only
///     backtesting: {spread: 0.0002, trade_on_close: false, exclusive_orders: false, hedging: false,
///                   defects: true}                          # preset backtesting only
enum FillModelParsing {
    static let overrideKeys = ["market_timing", "limit", "stop", "intrabar_path", "participation", "slippage",
                               "slippage_on_open", "slippage_capped_to_bar", "commission", "tick_size", "backtrader", "backtesting"]
    /// Parts backtrader's own rules decide: a `backtrader` variant sets its slippage under `backtrader:`.
    static let decidedByBacktrader = ["market_timing", "limit", "stop", "intrabar_path", "slippage", "slippage_on_open",
                                      "slippage_capped_to_bar"]

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

    /// Applies whatever overrides `fields` holds.
    static func apply(_ fields: inout YAMLFields, to spec: inout FillModelSpec) throws {
        if spec.backtraderBroker != nil, let key = decidedByBacktrader.first(where: { fields.node($0) != nil }) {
            throw fields.error(key, "backtrader's broker decides this part under the backtrader preset; set its slippage with backtrader: {slip_perc, slip_fixed, slip_open, slip_match, slip_limit, slip_out}")
        }
        if spec.backtestingBroker != nil, let key = decidedByBacktrader.first(where: { fields.node($0) != nil }) {
            throw fields.error(key, "backtesting.py's broker decides this part under the backtesting preset; set backtesting: {spread, trade_on_close, exclusive_orders}")
        }
        if let node = fields.node("backtesting") {
            guard var broker = spec.backtestingBroker else {
                throw fields.error("backtesting", "only a variant of preset backtesting takes backtesting.py's broker settings", node: node)
            }
            var b = try YAMLFields(node, file: fields.file, path: fields.qualified("backtesting"))
            broker.spread = try b.decimal("spread", range: .zero...Fixed(raw: 10_000_000)) ?? broker.spread
            if let onClose = try b.boolean("trade_on_close") { spec.marketTiming = onClose ? .sameBarClose : .nextOpen }
            broker.defects = try b.boolean("defects") ?? broker.defects
            broker.exclusiveOrders = try b.boolean("exclusive_orders") ?? broker.exclusiveOrders
            // Netting only: a hedging account keeps opposite trades apart, which Tapebench's account (one net
            // position per ticker) cannot hold.
            if try b.boolean("hedging") == true {
                throw b.error("hedging", "not supported: Tapebench's account nets each ticker's trades (backtesting.py's default hedging=False); hedging=True keeps opposite trades open side by side")
            }
            try b.rejectUnknownKeys(known: ["spread", "trade_on_close", "exclusive_orders", "hedging", "defects"])
            spec.backtestingBroker = broker
        }
        if let node = fields.node("backtrader") {
            guard var broker = spec.backtraderBroker else {
                throw fields.error("backtrader", "only a variant of preset backtrader takes backtrader's broker settings", node: node)
            }
            var b = try YAMLFields(node, file: fields.file, path: fields.qualified("backtrader"))
            broker.slipPercent = try b.decimal("slip_perc", range: .zero...Fixed(raw: 10_000_000)) ?? broker.slipPercent
            broker.slipFixed = try b.decimal("slip_fixed", range: .zero...Fixed(1_000)) ?? broker.slipFixed
            broker.slipOpen = try b.boolean("slip_open") ?? broker.slipOpen
            broker.slipMatch = try b.boolean("slip_match") ?? broker.slipMatch
            broker.slipLimit = try b.boolean("slip_limit") ?? broker.slipLimit
            broker.slipOut = try b.boolean("slip_out") ?? broker.slipOut
            broker.defects = try b.boolean("defects") ?? broker.defects
            try b.rejectUnknownKeys(known: ["slip_perc", "slip_fixed", "slip_open", "slip_match", "slip_limit", "slip_out", "defects"])
            spec.backtraderBroker = broker
        }
        if let timing = fields.node("market_timing") {
            if case .scalar(let scalar) = timing {
                switch scalar.string {
                case "next_open": spec.marketTiming = .nextOpen
                case "next_close": spec.marketTiming = .nextClose
                case "same_bar_close": spec.marketTiming = .sameBarClose
                default: throw fields.error("market_timing", "expected next_open, next_close, same_bar_close or {latency_bars: N}, got \(InputError.quote(scalar.string))", node: timing)
                }
            } else {
                var t = try YAMLFields(timing, file: fields.file, path: fields.qualified("market_timing"))
                guard let bars = try t.integer("latency_bars", range: 0...1_000) else { throw t.error("latency_bars", "required") }
                try t.rejectUnknownKeys(known: ["latency_bars"])
                spec.marketTiming = bars == 0 ? .nextOpen : .latency(bars: Int(bars))
            }
        }
        if var limit = try fields.mapping("limit") {
            spec.limit.throughTicks = try limit.integer("through_ticks", range: 0...1_000) ?? spec.limit.throughTicks
            spec.limit.gapFillsAtOpen = try limit.boolean("gap_fills_at_open") ?? spec.limit.gapFillsAtOpen
            try limit.rejectUnknownKeys(known: ["through_ticks", "gap_fills_at_open"])
        }
        if let stop = try fields.string("stop") {
            guard let rule = StopRule(rawValue: stop) else {
                throw fields.error("stop", "expected one of: \(StopRule.allCases.map(\.rawValue).joined(separator: ", ")); got \(InputError.quote(stop))")
            }
            spec.stop = rule
        }
        if let path = try fields.string("intrabar_path") {
            guard let value = IntrabarPath(rawValue: path) else {
                throw fields.error("intrabar_path", "expected one of: \(IntrabarPath.allCases.map(\.rawValue).joined(separator: ", ")); got \(InputError.quote(path))")
            }
            spec.intrabarPath = value
        }
        if let node = fields.node("participation") {
            if case .scalar(let scalar) = node, scalar.string == "none" {
                spec.participation = nil
            } else {
                var p = try YAMLFields(node, file: fields.file, path: fields.qualified("participation"))
                guard let bps = try p.percentAsBasisPoints("max_pct", range: Fixed(raw: 1_000_000)...Fixed(100)) else { throw p.error("max_pct", "required") }
                spec.participation = Participation(maxBasisPoints: bps, cancelAtSessionEnd: try p.boolean("cancel_at_session_end") ?? false)
                try p.rejectUnknownKeys(known: ["max_pct", "cancel_at_session_end"])
            }
        }
        if var s = try fields.mapping("slippage") {
            let forms = ["bps", "cents", "half_range", "volume_share", "sqrt_impact"]
            var chosen: [SlippageSpec] = []
            if let bps = try s.decimal("bps", range: .zero...Fixed(10_000), fractionDigits: SlippageSpec.basisPointsFractionDigits) { chosen.append(.basisPoints(bps)) }
            if let cents = try s.decimal("cents", range: .zero...Fixed(100)) { chosen.append(.centsPerShare(cents)) }
            if let f = try s.decimal("half_range", range: .zero...Fixed(100)) { chosen.append(.halfRange(factor: f)) }
            if let i = try s.decimal("volume_share", range: .zero...Fixed(100)) { chosen.append(.volumeShare(impact: i)) }
            if let k = try s.decimal("sqrt_impact", range: .zero...Fixed(100)) { chosen.append(.squareRootImpact(k: k)) }
            try s.rejectUnknownKeys(known: forms)
            guard chosen.count == 1 else { throw fields.error("slippage", "give exactly one of: \(forms.joined(separator: ", "))") }
            spec.slippage = chosen[0]
        }
        spec.slippageOnOpen = try fields.boolean("slippage_on_open") ?? spec.slippageOnOpen
        spec.slippageCappedToBar = try fields.boolean("slippage_capped_to_bar") ?? spec.slippageCappedToBar
        if var c = try fields.mapping("commission") {
            let fees = try c.boolean("regulatory_fees") ?? false
            var chosen: [CommissionSpec] = []
            if let amount = try c.decimal("per_fill", range: .zero...Fixed(10_000)) { chosen.append(.perFill(amount)) }
            if let amount = try c.decimal("per_order", range: .zero...Fixed(10_000)) { chosen.append(.perOrder(amount)) }
            if let rate = try c.decimal("per_share", range: .zero...Fixed(100)) {
                let minimum = try c.decimal("minimum", range: .zero...Fixed(10_000)) ?? .zero
                let maximum = try c.percentAsBasisPoints("maximum_pct", range: .zero...Fixed(100)) ?? 10_000
                chosen.append(.perShare(rate: rate, minimum: minimum, maximumBasisPoints: maximum, regulatoryFees: fees))
            }
            if let pct = try c.percentAsBasisPoints("pct", range: .zero...Fixed(100)) { chosen.append(.percentOfNotional(basisPoints: pct, regulatoryFees: fees)) }
            try c.rejectUnknownKeys(known: ["per_fill", "per_order", "per_share", "minimum", "maximum_pct", "pct", "regulatory_fees"])
            guard chosen.count == 1 else { throw fields.error("commission", "give exactly one of: per_fill, per_order, per_share, pct") }
            spec.commission = chosen[0]
        }
        if let tick = try fields.decimal("tick_size", range: Fixed(raw: 1)...Fixed(1_000)) { spec.tickSize = tick }
    }
}
