import TapebenchCore
import TapebenchLedger

/// Something that happened in a lane, told to the lane's recorder while the replay runs (a batch of steps'
/// events at a time, at most 1,024 steps or 20,000 bars), in the lane's order. Each event carries everything a writer needs, so no writer has to look back: a streaming writer
/// appends a row per event, the in-memory recorder builds the lists of a `LaneResult`.
public enum LaneEvent: Sendable, Hashable {
    /// An order entered the lane (pending).
    case orderSubmitted(Order)
    /// An open order changed without a fill: a stop-limit's stop triggered.
    case orderChanged(Order)
    /// An order reached its final status (filled, cancelled, rejected), with its reason and time. Every order
    /// closes by the end of a replay (those still open are cancelled), so a writer of orders can wait for this.
    /// A tape row never submitted is closed (cancelled) without a `orderSubmitted` before it.
    case orderClosed(Order)
    /// A fill booked: the trade (fill, realized P&L, cash and position after it) and its order as it stands
    /// after the fill (status, filled quantity, purpose, signal). A fill that completes the order is followed
    /// by `orderClosed`.
    case trade(Trade, order: Order)
    /// The account at the end of a trading day.
    case snapshot(AccountSnapshot)
    /// A signal an agent gave, and whether the orchestrator acted on it (then the order it led to is the
    /// next `orderSubmitted`).
    case signal(Signal, actedOn: Bool)
    /// A breaker tripped, an entry was refused because of one, or a cancel found no open order.
    case riskEvent(RiskEvent)
    /// The account marked at the end of a replay step (a minute), after the step's fills and decisions: the
    /// intraday equity curve. One per step, so a recorder samples it (equity.csv keeps one per 5 minutes).
    case mark(EquityMark)
    /// A round trip closed by the fill just told (`trade`), shares matched first in, first out
    /// (`RoundTripBook`).
    case roundTrip(RoundTrip)
}

/// The account at the end of a replay step: plain amounts, nothing to allocate, so a lane can tell its
/// recorder every minute.
public struct EquityMark: Sendable, Hashable {
    /// The step's end (the clock's time).
    public var time: Timestamp
    public var cash: Money
    public var marketValue: Money
    public var equity: Money
    public var realizedPnL: Money
    public var unrealizedPnL: Money
    public var commissions: Money
    public var openPositions: Int

    public init(time: Timestamp, cash: Money, marketValue: Money, equity: Money, realizedPnL: Money, unrealizedPnL: Money,
                commissions: Money, openPositions: Int) {
        self.time = time
        self.cash = cash
        self.marketValue = marketValue
        self.equity = equity
        self.realizedPnL = realizedPnL
        self.unrealizedPnL = unrealizedPnL
        self.commissions = commissions
        self.openPositions = openPositions
    }

    /// The account as it stands at `time`. Borrowed: the lane makes a mark every step, and taking the
    /// account by value copied its 176 bytes (and retained its references) each time.
    /// Inlined: called out of line, the lane copied its account to the stack (176 bytes) for the call at every step.
    @inline(__always)
    public init(time: Timestamp, account: borrowing Account) {
        let marketValue = account.marketValue
        self.init(time: time, cash: account.cash, marketValue: marketValue, equity: account.cash + marketValue,
                  realizedPnL: account.realizedPnL, unrealizedPnL: account.unrealizedPnL, commissions: account.commissions,
                  openPositions: account.positions.count)
    }
}

/// Hears a lane's events as they happen. One recorder per lane, called from the thread replaying that
/// lane only, so a recorder needs no locking; recorders of several lanes are joined by their owner in lane
/// order. `InMemoryRecorder` keeps everything (for a `LaneResult`); a streaming recorder writes rows
/// (`TapebenchReports.LaneSink`); `DiscardingRecorder` keeps nothing.
public protocol LaneRecorder: Sendable {
    mutating func record(_ event: LaneEvent)
    /// Several events in the order they happened (a lane hands over a batch of steps' events at once, one
    /// call through the generic lane instead of one per event).
    mutating func record(contentsOf events: [LaneEvent])
}

extension LaneRecorder {
    /// Each event in turn. Inlinable, so a recorder of another module gets it specialized to its own type.
    @inlinable public mutating func record(contentsOf events: [LaneEvent]) {
        for event in events { record(event) }
    }
}

/// Something the risk limits did, with its time and reason.
public struct RiskEvent: Sendable, Hashable {
    public var time: Timestamp
    /// `daily_loss_limit`, `max_drawdown_pause`, `max_drawdown_close`, `cancel_not_open`.
    public var kind: String
    public var detail: String

    public init(time: Timestamp, kind: String, detail: String) {
        self.time = time
        self.kind = kind
        self.detail = detail
    }
}
