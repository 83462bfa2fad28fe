import TapebenchCore

/// The kinds of data problem Tapebench looks for, each with the rule it checks.
public enum FindingKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case noBars = "no_bars"
    case outOfOrder = "out_of_order"
    case duplicateConflict = "duplicate_conflict"
    case badOHLC = "bad_ohlc"
    case nonPositivePrice = "non_positive_price"
    case negativeVolume = "negative_volume"
    case zeroVolume = "zero_volume"
    case missingMinutes = "missing_minutes"
    case outOfHours = "out_of_hours"
    case badTick = "bad_tick"
    case halt = "halt"

    public var rule: String {
        switch self {
        case .noBars: return "a data file holds no bars (a header alone, or nothing Tapebench can read as bars)"
        case .outOfOrder: return "a bar starts before the previous bar of its ticker in the same source"
        case .duplicateConflict: return "two bars of a ticker start at the same time with different values"
        case .badOHLC: return "high < max(open, close), low > min(open, close), or high < low"
        case .nonPositivePrice: return "a price is zero or negative"
        case .negativeVolume: return "volume is negative"
        case .zeroVolume: return "volume is zero"
        case .missingMinutes: return "minutes of the regular session without a bar (per ticker and day)"
        case .outOfHours: return "the bar starts outside the regular session (09:30–16:00 America/New_York, 13:00 on early closes)"
        case .badTick: return "a price moves more than the threshold from the previous close and the next bar returns within it"
        case .halt: return "no bar for at least the halt threshold in the middle of a regular session"
        }
    }

    public static func < (a: FindingKind, b: FindingKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What a scenario does with bars showing a finding.
public enum FindingAction: String, Sendable, Hashable, CaseIterable {
    /// Stop: the data is not fit to replay.
    case error
    /// Leave the bar out and report it.
    case drop
    /// Use the bar and report it.
    case keep
}

/// One finding: which rule a bar (or a day of bars) broke, and what was done.
public struct Finding: Sendable, Hashable {
    public var kind: FindingKind
    public var ticker: String
    public var time: Timestamp
    /// Where it was read.
    public var origin: Origin
    public var detail: String
    public var action: FindingAction
}

/// Where a bar was read: a file (or `bundle.zip[member]`), and a line or a JSON path when known.
/// Built for every bar, so it holds references only; the text is made when a finding needs it.
public struct Origin: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var index: Int?

    public init(file: String, line: Int? = nil, index: Int? = nil) {
        self.file = file
        self.line = line
        self.index = index
    }

    public var description: String {
        if let line { return "\(file):\(line)" }
        if let index { return "\(file): results[\(index)]" }
        return file
    }

    public static func < (a: Origin, b: Origin) -> Bool {
        (a.file, a.line ?? -1, a.index ?? -1) < (b.file, b.line ?? -1, b.index ?? -1)
    }
}
