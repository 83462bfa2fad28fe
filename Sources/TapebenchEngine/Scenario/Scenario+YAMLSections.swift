import Foundation
import TapebenchCore
import TapebenchData
import Yams

/// The sections of a scenario read by their own functions: the data's dialect and validation policy,
/// graduation, and the words of a YAML error.
extension Scenario {
    static func parseDialect(_ fields: YAMLFields) throws -> DialectHints {
        var fields = fields
        var hints = DialectHints()
        if let separator = try fields.string("separator") {
            let byte: UInt8? = switch separator {
            case ",": UInt8(ascii: ",")
            case ";": UInt8(ascii: ";")
            case "tab", "\t": UInt8(ascii: "\t")
            case "|": UInt8(ascii: "|")
            default: nil
            }
            guard let byte else { throw fields.error("separator", "expected one of ',', ';', '|', tab; got \(InputError.quote(separator))") }
            hints.separator = byte
        }
        if let header = try fields.boolean("header") { hints.hasHeader = header }
        if let zone = try fields.string("timezone") {
            do {
                hints.zone = try TimeZoneRule(name: zone)
            } catch {
                throw fields.error("timezone", error.message + "; or exchange (America/New_York) or utc")
            }
        }
        if let order = try fields.string("date_order") {
            guard let value = DateOrder(rawValue: order.lowercased()) else { throw fields.error("date_order", "expected mdy or dmy, got \(InputError.quote(order))") }
            hints.dateOrder = value
        }
        if let unit = try fields.string("epoch_unit") {
            guard let value = EpochUnit(rawValue: unit) else { throw fields.error("epoch_unit", "expected s, ms, us or ns, got \(InputError.quote(unit))") }
            hints.epochUnit = value
        }
        if let scale = try fields.integer("price_scale", range: 0...8) { hints.priceScale = Int(scale) }
        hints.intervalSeconds = try fields.integer("interval_seconds", range: 1...86_400)
        hints.ticker = try fields.string("ticker")
        if let pattern = try fields.string("ticker_pattern") {
            guard (try? Regex(pattern)) != nil else {
                throw fields.error("ticker_pattern", "'\(pattern)' is not a regular expression")
            }
            hints.tickerPattern = pattern
        }
        if let decimal = try fields.string("decimal") {
            guard decimal == "." || decimal == "," else { throw fields.error("decimal", "expected '.' or ',', got \(InputError.quote(decimal))") }
            hints.decimalComma = decimal == ","
        }
        for key in ["date_format", "time_format"] {
            guard let pattern = try fields.string(key) else { continue }
            do {
                let format = try DateTimeFormat(pattern)
                if key == "date_format" { hints.dateFormat = format } else { hints.timeFormat = format }
            } catch {
                throw fields.error(key, error.message)
            }
        }
        if var columns = try fields.mapping("columns") {
            for role in DialectHints.roles {
                if let name = try columns.string(role) { hints.columns[role] = name }
            }
            try columns.rejectUnknownKeys(known: DialectHints.roles)
        }
        try fields.rejectUnknownKeys(known: ["separator", "header", "timezone", "date_order", "epoch_unit", "price_scale", "interval_seconds", "ticker", "ticker_pattern", "columns", "decimal", "date_format", "time_format"])
        return hints
    }

    /// `data.session`: nyse (default), 24x5 or 24x7.
    static func parseSession(_ data: inout YAMLFields) throws -> MarketSession {
        guard let text = try data.string("session") else { return .nyse }
        guard let session = MarketSession(name: text) else {
            throw data.error("session", "expected \(MarketSession.expected), got \(InputError.quote(text))")
        }
        return session
    }

    static func parseValidation(_ fields: YAMLFields) throws -> ValidationPolicy {
        var fields = fields
        var policy = ValidationPolicy()
        if let pct = try fields.percentAsBasisPoints("bad_tick_pct", range: Fixed(raw: 1_000_000)...Fixed(1_000)) { policy.badTickBasisPoints = pct }
        if let minutes = try fields.integer("halt_minutes", range: 2...390) { policy.haltMinutes = minutes }
        if var actions = try fields.mapping("policy") {
            for kind in FindingKind.allCases {
                guard let text = try actions.string(kind.rawValue) else { continue }
                guard let action = FindingAction(rawValue: text) else {
                    throw actions.error(kind.rawValue, "expected error, drop or keep, got \(InputError.quote(text))")
                }
                policy.actions[kind] = action
            }
            try actions.rejectUnknownKeys(known: FindingKind.allCases.map(\.rawValue))
        }
        try fields.rejectUnknownKeys(known: ["bad_tick_pct", "halt_minutes", "policy"])
        return policy
    }

    static func parseGraduation(_ fields: YAMLFields) throws -> GraduationSettings {
        var fields = fields
        var settings = GraduationSettings()
        if let node = fields.node("iteration") {
            if case .scalar(let scalar) = node {
                switch scalar.string {
                case "weeks": settings.iteration = .weeks
                case "months": settings.iteration = .months
                default: throw fields.error("iteration", "expected weeks, months or {trading_days: N}, got \(InputError.quote(scalar.string))", node: node)
                }
            } else {
                var it = try YAMLFields(node, file: fields.file, path: fields.qualified("iteration"))
                guard let days = try it.integer("trading_days", range: 1...260) else { throw it.error("trading_days", "required") }
                try it.rejectUnknownKeys(known: ["trading_days"])
                settings.iteration = .tradingDays(Int(days))
            }
        }
        if let sharpe = try fields.decimal("implausible_sharpe", range: Fixed(raw: 1)...Fixed(1_000)) { settings.implausibleSharpe = sharpe.doubleValue }
        for step in GraduationStep.allCases {
            guard var c = try fields.mapping(step.rawValue) else { continue }
            var criteria = settings.criteria(step)
            criteria.iterations = Int(try c.integer("iterations", range: 1...100_000) ?? Int64(criteria.iterations))
            criteria.winRate = try c.percentAsBasisPoints("win_rate_pct", range: .zero...Fixed(100)).map { Double($0) / 10_000 } ?? criteria.winRate
            criteria.sharpe = try c.decimal("sharpe", range: Fixed(-1_000)...Fixed(1_000))?.doubleValue ?? criteria.sharpe
            criteria.returnFraction = try c.decimal("return_pct", range: Fixed(-100)...Fixed(100_000)).map { $0.doubleValue / 100 } ?? criteria.returnFraction
            criteria.signals = Int(try c.integer("signals", range: 0...10_000_000) ?? Int64(criteria.signals))
            criteria.consistencyIterations = Int(try c.integer("consistency_iterations", range: 0...10_000) ?? Int64(criteria.consistencyIterations))
            criteria.consistencyWinRate = try c.percentAsBasisPoints("consistency_win_rate_pct", range: .zero...Fixed(100)).map { Double($0) / 10_000 } ?? criteria.consistencyWinRate
            try c.rejectUnknownKeys(known: ["iterations", "win_rate_pct", "sharpe", "return_pct", "signals", "consistency_iterations", "consistency_win_rate_pct"])
            if step == .paper { settings.paper = criteria } else { settings.live = criteria }
        }
        try fields.rejectUnknownKeys(known: ["iteration", "implausible_sharpe", "paper", "live"])
        return settings
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.line
        case let .duplicatedKeysInMapping(_, context): return context.mark.line
        default: return nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _), let .composer(context, problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case let .duplicatedKeysInMapping(duplicates, _): return "duplicated keys: \(duplicates.joined(separator: ", "))"
        default: return "\(error)"
        }
    }

    /// `missing_minutes: next_bar | cancel | {wait: N}` (N minutes, 0 to 390).
    static func parseMissingMinutes(_ top: inout YAMLFields) throws -> MissingMinutePolicy? {
        guard let node = top.node("missing_minutes") else { return nil }
        if case .scalar(let scalar) = node {
            switch scalar.string {
            case "next_bar": return .nextBar
            case "cancel": return .cancel
            default: throw top.error("missing_minutes", "expected next_bar, cancel or {wait: N}, got \(InputError.quote(scalar.string))", node: node)
            }
        }
        var fields = try YAMLFields(node, file: top.file, path: top.qualified("missing_minutes"))
        guard let minutes = try fields.integer("wait", range: 0...390) else { throw fields.error("wait", "required") }
        try fields.rejectUnknownKeys(known: ["wait"])
        return minutes == 0 ? .cancel : .wait(minutes: minutes)
    }
}
