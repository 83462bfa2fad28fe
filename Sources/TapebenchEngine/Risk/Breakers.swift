import TapebenchCore
import TapebenchExecution
import TapebenchLedger

/// What a breaker decided; the lane applies it (and records it as a risk event at the clock's time).
public enum BreakerDecision: Sendable, Hashable {
    /// The daily loss limit: no new entries for the rest of the day.
    case blockEntriesToday(detail: String)
    /// The drawdown breaker, `max_drawdown_action: pause`: no new orders; positions kept and marked.
    case pauseAccount(detail: String)
    /// The drawdown breaker, `max_drawdown_action: close`: liquidate every position at the next open, then stop.
    case closeAccount(detail: String)

    /// The risk event's kind: `daily_loss_limit`, `max_drawdown_pause`, `max_drawdown_close`.
    public var kind: String {
        switch self {
        case .blockEntriesToday: return "daily_loss_limit"
        case .pauseAccount: return "max_drawdown_pause"
        case .closeAccount: return "max_drawdown_close"
        }
    }

    public var detail: String {
        switch self {
        case .blockEntriesToday(let detail), .pauseAccount(let detail), .closeAccount(let detail): return detail
        }
    }
}

/// The breakers: pure functions of the account's facts and the limits, judged once per minute on the fully
/// marked book (judged after each ticker's mark, a half-marked book could trip them, depending on ticker order).
public enum Breakers {
    /// What the breakers decide now, daily loss first. A breaker that already tripped (entries blocked today,
    /// an account no longer active) decides nothing again.
    /// - daily loss: equity < day-start equity × (1 − limit), exactly in fixed point;
    /// - drawdown: equity < peak equity × (1 − limit).
    public static func decisions(_ facts: AccountFacts, limits: RiskLimits) -> [BreakerDecision] {
        var decisions: [BreakerDecision] = []
        let equity = facts.equity
        if let limit = limits.dailyLossLimitBasisPoints,
           dailyLossTrips(equity: equity, dayStartEquity: facts.dayStartEquity, entriesBlockedToday: facts.entriesBlockedToday, limit: limit) {
            decisions.append(.blockEntriesToday(detail: "equity $\(equity.rounded(toFractionDigits: 2)) is more than \(percent(limit)) below the day's start $\(facts.dayStartEquity.rounded(toFractionDigits: 2)): no new entries today"))
        }
        if let limit = limits.maxDrawdownBasisPoints, drawdownTrips(equity: equity, peakEquity: facts.peakEquity, status: facts.status, limit: limit) {
            let detail = "equity $\(equity.rounded(toFractionDigits: 2)) is more than \(percent(limit)) below its peak $\(facts.peakEquity.rounded(toFractionDigits: 2))"
            switch limits.drawdownAction {
            case .pause: decisions.append(.pauseAccount(detail: detail + ": the account is paused"))
            case .close: decisions.append(.closeAccount(detail: detail + ": the account is closed, positions liquidated at the next open"))
            }
        }
        return decisions
    }

    /// Whether `decisions` would decide anything, from the few facts the breakers read: the lane asks this
    /// every step and builds the facts and the list only when it is true (building them each step was ≈ 2 % of
    /// a one-ticker order tape). The same tests as `decisions`.
    @inline(__always)
    public static func anyTrips(equity: Money, dayStartEquity: Money, peakEquity: Money, status: AccountStatus, entriesBlockedToday: Bool,
                                limits: RiskLimits) -> Bool {
        if let limit = limits.dailyLossLimitBasisPoints,
           dailyLossTrips(equity: equity, dayStartEquity: dayStartEquity, entriesBlockedToday: entriesBlockedToday, limit: limit) { return true }
        if let limit = limits.maxDrawdownBasisPoints, drawdownTrips(equity: equity, peakEquity: peakEquity, status: status, limit: limit) { return true }
        return false
    }

    /// Daily loss: equity < day-start equity × (1 − limit), exactly in fixed point; not again once entries are blocked.
    @inline(__always)
    static func dailyLossTrips(equity: Money, dayStartEquity: Money, entriesBlockedToday: Bool, limit: Int64) -> Bool {
        !entriesBlockedToday && dayStartEquity.raw > 0 && Int128(equity.raw) * 10_000 < Int128(dayStartEquity.raw) * Int128(10_000 - limit)
    }

    /// Drawdown: equity < peak equity × (1 − limit), while the account is active.
    @inline(__always)
    static func drawdownTrips(equity: Money, peakEquity: Money, status: AccountStatus, limit: Int64) -> Bool {
        status == .active && Int128(equity.raw) * 10_000 < Int128(peakEquity.raw) * Int128(10_000 - limit)
    }

    /// A limit in basis points as a percentage without trailing zeros (150 → `1.5%`).
    static func percent(_ basisPoints: Int64) -> String {
        Fixed.format(wide: Int128(basisPoints) * 1_000_000, minimumFractionDigits: 0) + "%"
    }
}
