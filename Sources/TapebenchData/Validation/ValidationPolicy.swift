import TapebenchCore

/// What to do with each kind of finding, and the thresholds of the rules that have one.
///
/// Defaults, as a careful user would set them: structural problems that make the order of events
/// unknowable stop the run (`out_of_order`), and so does a data file with no bars (`no_bars`: a truncated
/// download or a file read wrong must not pass as a quiet day); bars that cannot be right are dropped and reported
/// (`duplicate_conflict` keeps the first, `bad_ohlc`, `non_positive_price`, `negative_volume`, `bad_tick`);
/// facts of real markets are kept and reported (`zero_volume`, `missing_minutes`, `out_of_hours`, `halt`).
public struct ValidationPolicy: Sendable, Hashable {
    public var actions: [FindingKind: FindingAction]
    /// `bad_tick`: the move, in basis points, that makes a reverting print suspicious (default 1 000 = 10 %).
    public var badTickBasisPoints: Int64 = 1_000
    /// `halt`: minutes without a bar inside a regular session (default 10).
    public var haltMinutes: Int64 = 10
    /// Findings listed one by one per kind (the rest are counted).
    public var examplesPerKind = 20
    /// Keep every finding one by one (`data validate` lists them all), not only each kind's count and first
    /// examples: the list grows with tickers × days. Not a scenario setting.
    public var keepsAllFindings = false

    public static let defaultActions: [FindingKind: FindingAction] = [
        .noBars: .error, .outOfOrder: .error, .duplicateConflict: .drop, .badOHLC: .drop, .nonPositivePrice: .drop,
        .negativeVolume: .drop, .zeroVolume: .keep, .missingMinutes: .keep, .outOfHours: .keep,
        .badTick: .drop, .halt: .keep,
    ]

    public init() { actions = ValidationPolicy.defaultActions }

    public func action(_ kind: FindingKind) -> FindingAction { actions[kind] ?? .keep }
}
