import TapebenchCore
import TapebenchLedger

/// The running sums a lane's summary reports, booked with each trade (so no list of trades is needed to
/// compute them) and checked like the account's own totals: each amount stays within ±`Limits.maxAmount`,
/// so a report may add a few of them (and the open positions' unrealized P&L) without overflow. A trade
/// that would carry one past it is rejected instead.
public struct LaneTotals: Sendable, Hashable {
    public struct TickerTotals: Sendable, Hashable {
        public var realized: Money = .zero
        public var commissions: Money = .zero
    }

    public struct SignalTotals: Sendable, Hashable {
        public var closes = 0
        public var realized: Money = .zero
    }

    /// Closing trades of one trading day (for graduation iterations).
    public struct DayTotals: Sendable, Hashable {
        public var closes = 0
        public var wins = 0

        public init(closes: Int = 0, wins: Int = 0) {
            self.closes = closes
            self.wins = wins
        }
    }

    /// Realized P&L and commissions per ticker; read sorted.
    public internal(set) var perTicker: [String: TickerTotals] = [:]
    /// Closing trades and their realized P&L per kind of opening signal (`vwap_deviation`, …, `none`); read sorted.
    public internal(set) var perSignal: [String: SignalTotals] = [:]
    /// Closing trades per trading day (America/New_York date of the fill's bar); read sorted.
    public internal(set) var perDay: [CivilDate: DayTotals] = [:]
    /// Fills booked.
    public internal(set) var fills = 0
    /// Win rate, average win and loss, profit factor, expectancy of the closing trades.
    public internal(set) var trades = TradeStatistics()
    public internal(set) var ambiguousFills = 0
    /// Realized P&L of the closes among the ambiguous fills.
    public internal(set) var ambiguousRealized: Money = .zero
    /// Σ notional of every fill, in units of 1e-8: a turnover, which may pass what one amount holds.
    public internal(set) var tradedNotionalWide: Int128 = 0
    /// Round trips closed (`RoundTripBook`): win rates before and after costs, SQN, durations.
    public internal(set) var roundTrips = RoundTripStatistics()

    public init() {}

    /// The kind of a signal: its reason text up to `=` (`vwap_deviation=-52bp` → `vwap_deviation`), `none` without one.
    public static func signalKind(_ signal: SignalReason?) -> String { signal?.kind ?? "none" }

    /// These totals with one more trade booked; throws, changing nothing, when a total would leave the bounds.
    /// `date` is the trading day the fill belongs to.
    func booking(_ fill: Fill, realized: Money?, openingSignal: SignalReason?, date: CivilDate) throws(AmountOutOfRange) -> LaneTotals {
        var next = self
        try next.book(fill, realized: realized, openingSignal: openingSignal, date: date)
        return next
    }

    /// Books `fill` on the account and on the totals together, or on neither: the account's booking is worked
    /// out and checked first, then the totals book (changing nothing when they throw), then the account
    /// takes its booking, which cannot fail. (The account was copied for each fill before, with its positions.)
    /// Returns the realized price P&L, as `Account.apply`.
    static func book(_ fill: Fill, signal: SignalReason?, openingSignal: SignalReason?, date: CivilDate, account: inout Account,
                     totals: inout LaneTotals) throws(AmountOutOfRange) -> Money? {
        let booking = try account.booking(fill, signal: signal)
        try totals.book(fill, realized: booking.realized, openingSignal: openingSignal, date: date)
        account.book(booking)
        return booking.realized
    }

    /// Books one more trade in place; throws, changing nothing, when a total would leave the bounds: every new
    /// amount is computed first, then stored (in place: a copy of the totals, changed and returned, copied each
    /// dictionary per fill).
    mutating func book(_ fill: Fill, realized: Money?, openingSignal: SignalReason?, date: CivilDate) throws(AmountOutOfRange) {
        var ticker = perTicker[fill.ticker] ?? TickerTotals()
        ticker.commissions = try Fixed(amount: ticker.commissions.wide + fill.commission.wide, "the commissions in \(fill.ticker)")
        var closing: (kind: String, signal: SignalTotals, ambiguousRealized: Money)?
        if let realized {
            ticker.realized = try Fixed(amount: ticker.realized.wide + realized.wide, "the realized P&L in \(fill.ticker)")
            let kind = LaneTotals.signalKind(openingSignal)
            var signal = perSignal[kind] ?? SignalTotals()
            signal.closes += 1
            signal.realized = try Fixed(amount: signal.realized.wide + realized.wide, "the realized P&L of '\(kind)' positions")
            let ambiguous = fill.ambiguous
                ? try Fixed(amount: ambiguousRealized.wide + realized.wide, "the realized P&L of ambiguous fills") : ambiguousRealized
            closing = (kind, signal, ambiguous)
        }
        // Nothing below throws.
        if let realized, let closing {
            perSignal[closing.kind] = closing.signal
            ambiguousRealized = closing.ambiguousRealized
            trades.add(realized)
            var day = perDay[date] ?? DayTotals()
            day.closes += 1
            if realized.raw > 0 { day.wins += 1 }
            perDay[date] = day
        }
        if fill.ambiguous { ambiguousFills += 1 }
        perTicker[fill.ticker] = ticker
        tradedNotionalWide += fill.wideNotional
        fills += 1
    }
}

/// What a lane counted as it replayed.
public struct LaneCounts: Sendable, Hashable {
    public var signalsGenerated = 0
    public var signalsActedOn = 0
    /// Signals generated per trading day (for graduation iterations); read sorted.
    public var signalsByDate: [CivilDate: Int] = [:]
    /// Regular-hours bars this lane replayed, and those with a position open after them (exposure).
    public var barsReplayed = 0
    public var barsExposed = 0
    /// Orders by the final status they closed with.
    public var ordersClosed: [OrderStatus: Int] = [:]
    /// Orders whose first minute had no bar of their ticker: tried first on a later bar, or cancelled by the
    /// scenario's `missing_minutes` policy.
    public var ordersAfterMissingMinute = 0
    public var ordersCancelledMissingMinute = 0

    public init() {}
}
