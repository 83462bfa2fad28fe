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
    mutating func record(contentsOf events: LaneEvents)
}

extension LaneRecorder {
    /// Each event in turn. Inlinable, so a recorder of another module gets it specialized to its own type.
    @inlinable public mutating func record(contentsOf events: LaneEvents) {
        events.forEach { record($0) }
    }
}

/// A lane's events waiting for its recorder, in order, each kind's in a list of its own (`kinds` says
/// which list the next event comes from): an event is stored as its payload, not as a `LaneEvent`, whose
/// every value is as large as its largest case (≈ 390 bytes, a fill and its order) and is copied whole and
/// through the enum's value witnesses wherever it is read (a recorder's switch copied every event before
/// reading it: ≈ 1.2 % of a 500 × 26 run). A step's mark (one a step, most of the events of a small
/// market) is 80 bytes in `marks`. The lists keep their storage when emptied (`removeAll`): no
/// allocation per event once they have grown to a hand-over's size.
public struct LaneEvents: Sendable {
    /// Which list an event is in.
    public enum Kind: UInt8, Sendable {
        case orderSubmitted, orderChanged, orderClosed, trade, snapshot, signal, riskEvent, mark, roundTrip

        /// The list the event is in, numbered: the three kinds of order event share `orders`.
        @inlinable var list: Int {
            switch self {
            case .orderSubmitted, .orderChanged, .orderClosed: 0
            case .trade: 1
            case .snapshot: 2
            case .signal: 3
            case .riskEvent: 4
            case .mark: 5
            case .roundTrip: 6
            }
        }
    }

    /// A signal and whether the orchestrator acted on it (`LaneEvent.signal`). A struct, not a tuple: a
    /// tuple's list copied its elements through the runtime's generic tuple witnesses.
    public struct GivenSignal: Sendable {
        public var signal: Signal
        public var actedOn: Bool
    }

    /// A fill booked and its order after it (`LaneEvent.trade`).
    public struct BookedTrade: Sendable {
        public var trade: Trade
        public var order: Order
    }

    /// Each event's kind, in order: the n-th event of a kind is the n-th entry of its list.
    public private(set) var kinds: [Kind] = []
    /// The orders of `orderSubmitted`, `orderChanged` and `orderClosed`, in order.
    public private(set) var orders: [Order] = []
    public private(set) var trades: [BookedTrade] = []
    public private(set) var snapshots: [AccountSnapshot] = []
    public private(set) var signals: [GivenSignal] = []
    public private(set) var riskEvents: [RiskEvent] = []
    public private(set) var marks: [EquityMark] = []
    public private(set) var roundTrips: [RoundTrip] = []

    public init() {}

    /// `events`, in their order.
    public init(_ events: [LaneEvent]) {
        for event in events { append(event) }
    }

    public var count: Int { kinds.count }
    public var isEmpty: Bool { kinds.isEmpty }

    /// Adds `event` at the end, its payload moved into its list (borrowed, it was copied, then the original
    /// destroyed). Always inlined (in this module: the lane's): a lane passes a literal case, and the switch
    /// folds away.
    @inline(__always)
    public mutating func append(_ event: consuming LaneEvent) {
        switch consume event {
        case .orderSubmitted(let order):
            orders.append(order)
            kinds.append(.orderSubmitted)
        case .orderChanged(let order):
            orders.append(order)
            kinds.append(.orderChanged)
        case .orderClosed(let order):
            orders.append(order)
            kinds.append(.orderClosed)
        case let .trade(trade, order):
            trades.append(BookedTrade(trade: trade, order: order))
            kinds.append(.trade)
        case .snapshot(let snapshot):
            snapshots.append(snapshot)
            kinds.append(.snapshot)
        case let .signal(signal, actedOn):
            signals.append(GivenSignal(signal: signal, actedOn: actedOn))
            kinds.append(.signal)
        case .riskEvent(let event):
            riskEvents.append(event)
            kinds.append(.riskEvent)
        case .mark(let mark):
            marks.append(mark)
            kinds.append(.mark)
        case .roundTrip(let trip):
            roundTrips.append(trip)
            kinds.append(.roundTrip)
        }
    }

    /// Empties every list, keeping its storage.
    public mutating func removeAll() {
        kinds.removeAll(keepingCapacity: true)
        orders.removeAll(keepingCapacity: true)
        trades.removeAll(keepingCapacity: true)
        snapshots.removeAll(keepingCapacity: true)
        signals.removeAll(keepingCapacity: true)
        riskEvents.removeAll(keepingCapacity: true)
        marks.removeAll(keepingCapacity: true)
        roundTrips.removeAll(keepingCapacity: true)
    }

    /// Each event in order, as its kind and its place in that kind's list (`orders` for the three kinds of
    /// order event): a reader takes the payload where it lies.
    @inlinable
    public func forEachPlace(_ body: (Kind, Int) throws -> Void) rethrows {
        var next = SIMD8<Int>()  // the next place in each list, by `Kind.list`
        for kind in kinds {
            let list = kind.list
            try body(kind, next[list])
            next[list] += 1
        }
    }

    /// The event of `kind` at `place` in its list (`forEachPlace`), as a `LaneEvent`.
    @inlinable
    public func event(_ kind: Kind, at place: Int) -> LaneEvent {
        switch kind {
        case .orderSubmitted: .orderSubmitted(orders[place])
        case .orderChanged: .orderChanged(orders[place])
        case .orderClosed: .orderClosed(orders[place])
        case .trade: .trade(trades[place].trade, order: trades[place].order)
        case .snapshot: .snapshot(snapshots[place])
        case .signal: .signal(signals[place].signal, actedOn: signals[place].actedOn)
        case .riskEvent: .riskEvent(riskEvents[place])
        case .mark: .mark(marks[place])
        case .roundTrip: .roundTrip(roundTrips[place])
        }
    }

    /// Each event in order, as a `LaneEvent` (made for the call).
    @inlinable
    public func forEach(_ body: (LaneEvent) throws -> Void) rethrows {
        try forEachPlace { kind, place in try body(event(kind, at: place)) }
    }

    /// The events in order, as `LaneEvent`s.
    public var all: [LaneEvent] {
        var events: [LaneEvent] = []
        events.reserveCapacity(count)
        forEach { events.append($0) }
        return events
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
