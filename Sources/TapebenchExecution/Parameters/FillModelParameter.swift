import TapebenchCore

/// A value of a parameter (of a fill model, or an agent's in a sweep): a number (exact), a flag, or one word of a fixed list.
public enum ParameterValue: Sendable, Hashable {
    case number(Fixed)
    case flag(Bool)
    case word(String)

    /// As a scenario, a sweep and the CSV write it: `1.5`, `true`, `gap_aware`.
    public var text: String {
        switch self {
        case .number(let n): return n.formatted(minimumFractionDigits: 0)
        case .flag(let b): return b ? "true" : "false"
        case .word(let w): return w
        }
    }

    /// The number, for charts and interpolation; nil for flags and words.
    public var number: Fixed? {
        if case .number(let n) = self { return n }
        return nil
    }
}

/// One parameter of a fill model, declared once: its key (the dotted path under a `fill_models` variant, which
/// is also its sweep name, its report.json field and its sweep.csv column), its type and valid range, its unit,
/// what it means, and how it reads and writes a `FillModelSpec`. The scenario parser, `sweep --param`,
/// report.json's fill-model block and docs/fill-model-parameters.md are all derived from `FillModelParameter.all`.
public struct FillModelParameter: Sendable {
    /// What values it takes.
    public enum ValueType: Sendable, Hashable {
        /// A decimal within the range; `fractionDigits`: at most that many decimals (more are refused, not rounded).
        case decimal(ClosedRange<Fixed>, fractionDigits: Int?)
        /// A whole number within the range.
        case whole(ClosedRange<Int64>)
        /// A percentage within the range, in whole basis points (at most two decimals); stored as basis points.
        case percent(ClosedRange<Fixed>)
        case flag
        case choice([String])
    }

    /// Which fill rules read it.
    public enum Rules: Sendable, Hashable {
        /// Tapebench's own rules: the engine presets (`backtrader`, `backtesting`) decide these parts themselves.
        case own
        /// Every preset.
        case any
        /// Only the preset of that engine (`backtrader`, `backtesting`).
        case engine(String)
    }

    /// Its place among the keys of its group (`slippage`, `commission`, …).
    public enum Role: Sendable, Hashable {
        /// Stands alone.
        case plain
        /// One of the group's exclusive forms (`slippage.bps` or `slippage.cents` …): a group with forms takes
        /// exactly one of them.
        case form
        /// Refines the form it names (`commission.minimum` refines `commission.per_share`).
        case modifier(of: [String])
        /// The group's mapping must give it (`participation.max_pct`).
        case required
        /// When a scenario's group or a sweep point writes several: forms first (they reset the part), modifiers
        /// last (they refine the form).
        public var writeOrder: Int {
            switch self {
            case .form: return 0
            case .required: return 1
            case .plain: return 2
            case .modifier: return 3
            }
        }
    }

    /// `slippage.bps`: the group key, a dot, the key inside it; or a top-level key alone (`stop`).
    public let key: String
    public let type: ValueType
    /// The unit of a number (`bp`, `$`, `$/share`, `%`, `bars`, `ticks`, `fraction`, …); empty for flags and words.
    public let unit: String
    /// What it means, in one sentence (docs, `sweep --help`).
    public let summary: String
    public let rules: Rules
    public let role: Role
    /// Its value in `spec`; nil when the spec's part is of another form (`slippage.cents` under `bps`).
    public let read: @Sendable (FillModelSpec) -> ParameterValue?
    /// Sets it in `spec` (a valid value: checked by `problem(with:)` first).
    public let write: @Sendable (inout FillModelSpec, ParameterValue) -> Void
    /// A value of its type that Tapebench does not model, and why (`backtesting.hedging: true`).
    public let refused: (value: ParameterValue, reason: String)?

    init(_ key: String, _ type: ValueType, unit: String = "", rules: Rules, role: Role = .plain, _ summary: String,
         refused: (value: ParameterValue, reason: String)? = nil,
         read: @escaping @Sendable (FillModelSpec) -> ParameterValue?, write: @escaping @Sendable (inout FillModelSpec, ParameterValue) -> Void) {
        (self.key, self.type, self.unit, self.summary, self.rules, self.role) = (key, type, unit, summary, rules, role)
        (self.read, self.write, self.refused) = (read, write, refused)
    }

    /// The engine whose broker `spec` follows (`backtrader`, `backtesting`), or nil for Tapebench's own rules.
    public static func engine(of spec: FillModelSpec) -> String? {
        spec.backtraderBroker != nil ? "backtrader" : spec.backtestingBroker != nil ? "backtesting" : nil
    }

    /// Whether the rules `spec` follows read this parameter (an engine preset ignores Tapebench's own parts).
    public func isRead(by spec: FillModelSpec) -> Bool {
        switch rules {
        case .any: return true
        case .own: return Self.engine(of: spec) == nil
        case .engine(let name): return Self.engine(of: spec) == name
        }
    }

    /// `slippage` of `slippage.bps`, `stop` of `stop`.
    public var group: String { String(key.prefix { $0 != "." }) }
    /// `bps` of `slippage.bps`; nil for a top-level key.
    public var field: String? { key.contains(".") ? String(key.drop { $0 != "." }.dropFirst()) : nil }

    /// The value `text` stands for, or the message saying why it is none (the parser's and the sweep's words).
    public func parse(_ text: String) -> Result<ParameterValue, ParameterProblem> {
        let parsed = parseType(text)
        if case .success(let value) = parsed, let refused, refused.value == value { return .failure(ParameterProblem(refused.reason)) }
        return parsed
    }

    func parseType(_ text: String) -> Result<ParameterValue, ParameterProblem> {
        switch type {
        case .flag:
            guard let flag = ["true": true, "false": false, "yes": true, "no": false][text.lowercased()] else {
                return .failure(ParameterProblem("expected true or false, got \(InputError.quote(text))"))
            }
            return .success(.flag(flag))
        case .choice(let words):
            guard words.contains(text) else { return .failure(ParameterProblem("expected one of: \(words.joined(separator: ", ")); got \(InputError.quote(text))")) }
            return .success(.word(text))
        case .whole(let range):
            guard let n = Int64(text) else { return .failure(ParameterProblem("expected a whole number, got \(InputError.quote(text))")) }
            // The range first: a number beyond it may not fit a `Fixed`.
            guard range.contains(n) else { return .failure(ParameterProblem("must be between \(range.lowerBound) and \(range.upperBound), got \(n)")) }
            return .success(.number(Fixed(n)))
        case .decimal, .percent:
            guard let n = Fixed(parsing: text) else { return .failure(ParameterProblem("expected a number, got \(InputError.quote(text))")) }
            // The text's own decimals: `1e-9` is a number that `Fixed` would round to 0, not a value to use.
            if case .decimal(let range, let digits?) = type, range.contains(n), (Fixed.significantFractionDigits(text) ?? 0) > digits {
                return .failure(ParameterProblem("at most \(digits) decimals, got \(InputError.quote(text))"))
            }
            return check(.number(n))
        }
    }

    /// `value` when it is valid for this parameter, else the message saying why.
    public func check(_ value: ParameterValue) -> Result<ParameterValue, ParameterProblem> {
        if let refused, refused.value == value { return .failure(ParameterProblem(refused.reason)) }
        switch (type, value) {
        case (.flag, .flag), (.choice, .word): return .success(value)
        case (.whole(let range), .number(let n)):
            guard n.raw % Fixed.scale == 0 else { return .failure(ParameterProblem("expected a whole number, got \(n.formatted(minimumFractionDigits: 0))")) }
            guard range.contains(n.raw / Fixed.scale) else {
                return .failure(ParameterProblem("must be between \(range.lowerBound) and \(range.upperBound), got \(n.raw / Fixed.scale)"))
            }
            return .success(value)
        case (.decimal(let range, let digits), .number(let n)):
            guard range.contains(n) else { return .failure(ParameterProblem("must be between \(range.lowerBound) and \(range.upperBound), got \(n)")) }
            if let digits, n.raw % Self.step(digits) != 0 {
                return .failure(ParameterProblem("at most \(digits) decimals, got \(InputError.quote(n.formatted(minimumFractionDigits: 0)))"))
            }
            return .success(value)
        case (.percent(let range), .number(let n)):
            guard range.contains(n) else { return .failure(ParameterProblem("must be between \(range.lowerBound) and \(range.upperBound), got \(n)")) }
            guard n.raw % 1_000_000 == 0 else { return .failure(ParameterProblem("at most two decimals (whole basis points), got \(n)")) }
            return .success(value)
        default:
            return .failure(ParameterProblem("expected \(typeText), got \(InputError.quote(value.text))"))
        }
    }

    /// The type and range in words, for docs and help: `0 to 10000, at most 4 decimals`, `true or false`,
    /// `at_stop, gap_aware or to_market`.
    public var typeText: String {
        switch type {
        case .decimal(let r, let digits):
            return "\(r.lowerBound.formatted(minimumFractionDigits: 0)) to \(r.upperBound.formatted(minimumFractionDigits: 0))"
                + (digits.map { ", at most \($0) decimals" } ?? "")
        case .whole(let r): return "whole, \(r.lowerBound) to \(r.upperBound)"
        case .percent(let r): return "\(r.lowerBound.formatted(minimumFractionDigits: 0)) to \(r.upperBound.formatted(minimumFractionDigits: 0)), at most 2 decimals"
        case .flag: return "true or false"
        case .choice(let words): return words.dropLast().joined(separator: ", ") + " or " + (words.last ?? "")
        }
    }

    /// 10^(8 − digits): the raw step of a number with `digits` decimals.
    static func step(_ digits: Int) -> Int64 {
        var step: Int64 = 1
        for _ in digits..<Fixed.fractionDigits { step *= 10 }
        return step
    }
}

/// Why a value does not fit a parameter, in words that follow `field 'x': ` or `'name=…': name `.
public struct ParameterProblem: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension ParameterValue {
    /// A percentage value as whole basis points (the registry checked it has at most two decimals).
    var basisPoints: Int64 { (number?.raw ?? 0) / 1_000_000 }
    var whole: Int64 { (number?.raw ?? 0) / Fixed.scale }
    var fixed: Fixed { number ?? .zero }
    var isOn: Bool { self == .flag(true) }
    var word: String { if case .word(let w) = self { return w } else { return "" } }
}
