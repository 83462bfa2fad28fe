import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// One agent replayed under one fill-model variant: a lane of the run, with its own account, open orders,
/// bar windows and counters. Lanes share nothing, so they can be replayed side by side and the result does
/// not depend on how they are scheduled. What happens in a lane goes to its recorder while the replay runs
/// (at the end of each batch of steps, in the lane's order); the lane itself keeps only what it needs to go
/// on (the open orders, not the closed ones).
///
/// The lane is generic over its clock and recorder, but all its work is done by `LaneState`, which is not:
/// `Orchestrator<Clock, Recorder>` is instantiated from other modules (the reports' `LaneSink`), where a
/// generic lane ran unspecialized, every field reached through run-time metadata and every `Bar` copied
/// through value witnesses. The state replays a batch of steps, reading the time from the clock at each
/// step's start, and keeps their events in a buffer the lane then hands to its recorder in one call.
public struct Lane<Clock: ReplayClock, Recorder: LaneRecorder>: Sendable {
    var state: LaneState
    /// Where the lane reads "now"; advanced by the replay before each step.
    public internal(set) var clock: Clock
    public internal(set) var recorder: Recorder

    init(config: AgentConfig, agent: any Agent, variant: String, executor: VirtualExecutor, account: Account, clock: Clock, recorder: Recorder) {
        state = LaneState(config: config, agent: agent, variant: variant, executor: executor, account: account, now: clock.now)
        self.clock = clock
        self.recorder = recorder
    }

    public var config: AgentConfig { state.config }
    /// The fill-model variant's name.
    public var variant: String { state.variant }
    public var account: Account { state.account }
    /// Set when an amount the lane would hold cannot be represented; the lane replays nothing after it.
    public var halt: ReplayHalt? { state.halt }
    /// The account's facts now (for the breakers and the agent).
    var facts: AccountFacts { state.facts }

    /// The batch's steps, in order, through this lane (`LaneState.replay`), then their events to the recorder
    /// at once. `tickers` names the bars' ticker ids.
    mutating func replay(_ batch: StepBatch, settings: OrchestratorSettings, calendar: ExchangeCalendar, tickers: TickerTable) {
        state.windows.tickers = tickers
        // Handed over whenever the buffer passes `eventsHandedOver`: a batch of a wide market (500 tickers
        // signalling) or a lane's whole batch held at once kept megabytes per lane (heaptrack).
        var next = batch.steps.startIndex
        repeat {
            next = state.replay(batch.steps[next...], clock: &clock, settings: settings, calendar: calendar, eventLimit: Self.eventsHandedOver)
            deliverEvents()
        } while next < batch.steps.endIndex
    }

    /// A lane hands its events to its recorder once it holds this many (at the end of a step), or at the
    /// batch's end: the buffer stays near one step's events whatever the batch size.
    static var eventsHandedOver: Int { 512 }

    /// The end of the replay (see `LaneState.finish`).
    mutating func finish() {
        state.now = clock.now
        state.finish()
        deliverEvents()
    }

    /// The state's events since the last delivery, to the recorder in one call (the buffer keeps its capacity).
    private mutating func deliverEvents() {
        guard !state.events.isEmpty else { return }
        recorder.record(contentsOf: state.events)
        state.events.removeAll()
    }

    /// The start of the first bar an order decided at `time` may fill on (`LaneState.firstMinute`).
    static func firstMinute(after time: Timestamp, calendar: ExchangeCalendar) -> Timestamp {
        LaneState.firstMinute(after: time, calendar: calendar)
    }
}

/// All of a lane but its clock and recorder: what it holds and how it replays a step (`Lane+*.swift`).
struct LaneState: Sendable {
    let config: AgentConfig
    var agent: any Agent
    /// The fill-model variant's name.
    let variant: String
    let executor: VirtualExecutor
    var account: Account
    /// The clock's time at the step being replayed (set by `Lane` before each step).
    var now: Timestamp
    /// The events of the batch being replayed, in order, until `Lane` hands them to its recorder.
    var events = LaneEvents()
    /// The orders still open, in id order.
    var openOrders: [Order] = []
    /// Where the step's bars of each ticker id are, made when first needed in a step (`StepBarIndex`).
    var stepBars = StepBarIndex()
    /// Scratch of `processOpenOrders`: the indices of the open orders a bar may fill (kept for its storage).
    var dueOrders: [Int] = []
    /// Scratch of `processOpenOrders`: the indices of the open orders a bar closed (kept for its storage).
    var closedOrders: [Int] = []
    /// One ticker's signals of a minute (`decide`), reused minute after minute.
    var signalScratch: [Signal] = []
    /// The tickers of a minute's signals and their places among the agent's actions (`decide`), reused.
    var signalPlaces: [(ticker: String, index: Int)] = []
    /// The equity of each daily snapshot so far, and its date.
    var dailyEquities: [Money] = []
    var dailyDates: [CivilDate] = []
    /// The running Sharpe and drawdown of the daily snapshots (not the whole series again each day).
    var snapshotSeries: SnapshotSeries
    var counts = LaneCounts()
    /// The sums the summary reports, booked with each trade.
    var totals = LaneTotals()
    /// Each ticker's window and bar count, by the replay's ticker ids (`Orchestrator` numbers every bar).
    var windows = TickerWindows()
    var ids = IDSequence()
    /// The local date of the steps, recomputed only when a step leaves the day (`SessionCache`).
    var days = SessionCache()
    var currentDate: CivilDate?
    var sessionEnd: Timestamp?
    var dayStartEquity: Money = .zero
    var peakEquity: Money = .zero
    var entriesBlockedToday = false
    /// The agent's client ids of the orders it placed, to the orders' ids (for cancels), and back.
    var clientOrders: [String: Int64] = [:]
    var orderClients: [Int64: String] = [:]
    /// The trades booked since the agent was last asked (its view's `fills`).
    var tradesSinceDecision: [Trade] = []
    /// Under `exits: resting`: each signal-opened position's resting stop-loss and take-profit, by ticker.
    var brackets: [String: Bracket] = [:]
    /// Under the `backtesting` preset: backtesting.py's order queue and trades per ticker (`Lane+Contingent`).
    var backtesting: BacktestingLaneState
    /// The open entry lots, matched into round trips as fills close them.
    var roundTrips = RoundTripBook()
    /// Whether the account holds a position in each ticker, by the replay's ticker ids: a bar of a ticker not
    /// held (most bars) skips the mark, the round trip's range and the exits without a look-up by its text.
    var held: [Bool] = []
    /// Whether each ticker (by the replay's ids) holds a long opened from a signal, the only positions whose
    /// exits the orchestrator watches: an agent's own positions (an order tape's) skip `monitorExits`' look-up.
    var exitWatched: [Bool] = []
    /// The range of each held ticker's newest round-trip lot as `roundTrips` last told it, by ticker id; nil
    /// when not known (`seeRoundTrip`).
    var lotRanges: [(high: Price, low: Price)?] = []
    /// Where each held ticker's position lies in the account's dictionary, by ticker id, since the last fill
    /// (`markHeld`); emptied at every fill.
    var positionSlots: [Dictionary<String, Position>.Index?] = []
    /// Which tickers (by the replay's ids) may have an open order: those that had one when `orderTickersAsOf`
    /// orders had been numbered. Orders only leave the open list until a new one is numbered, so until then this
    /// is a superset, and a bar of a ticker marked false meets no open order (see `mayMeetOpenOrder`).
    var orderTickers: [Bool] = []
    var orderTickersAsOf: Int64 = -1
    /// Set when an amount the lane would hold cannot be represented; the lane replays nothing after it.
    var halt: ReplayHalt? { didSet { halted = halt != nil } }
    /// Whether `halt` is set, asked before every step: `halt == nil` copied the optional halt out each time (its
    /// four texts retained and released, ≈ 2 % of a one-ticker order tape).
    private(set) var halted = false

    init(config: AgentConfig, agent: any Agent, variant: String, executor: VirtualExecutor, account: Account, now: Timestamp) {
        self.config = config
        self.agent = agent
        self.variant = variant
        self.executor = executor
        self.account = account
        self.now = now
        self.snapshotSeries = SnapshotSeries(initialBalance: account.initialBalance)
        self.backtesting = BacktestingLaneState(broker: executor.model.spec.backtestingBroker,
                                                tradeOnClose: executor.model.spec.marketTiming == .sameBarClose)
    }

    /// Tells the lane's recorder (at the batch's end). Inlined, so that the event's case is known where it is
    /// kept (`LaneEvents.append`) and no `LaneEvent` is built.
    @inline(__always)
    mutating func record(_ event: consuming LaneEvent) { events.append(event) }

    /// The steps, in order: the clock advanced to each step's end first, then the step; stops at a halt, or
    /// after the step that leaves `eventLimit` or more events in the buffer. Returns the index of the next
    /// step to replay (`steps.endIndex` when done or halted).
    /// Generic over the clock only as a function (witness calls, no generic type to instantiate).
    @discardableResult
    mutating func replay<Clock: ReplayClock>(_ steps: ArraySlice<Minute>, clock: inout Clock, settings: OrchestratorSettings,
                                             calendar: ExchangeCalendar, eventLimit: Int = .max) -> Int {
        for index in steps.indices {
            guard !halted else { return steps.endIndex }
            clock.advance(to: steps[index].time)
            now = clock.now
            step(steps[index], settings: settings, calendar: calendar)
            if events.count >= eventLimit { return index + 1 }
        }
        return steps.endIndex
    }

    /// Marks the tickers of the open orders now (`orderTickers`): once per step, and again when an order was
    /// numbered since. A look-up by text per open order, instead of a compare by text per open order and bar.
    mutating func markOrderTickers() {
        orderTickers.removeAll(keepingCapacity: true)
        orderTickers.append(contentsOf: repeatElement(false, count: windows.tickers.count))
        for index in openOrders.indices {
            if let id = windows.tickers.existingID(for: openOrders[index].ticker) { orderTickers[id.index] = true }
        }
        orderTickersAsOf = ids.ordersNumbered
    }

    /// Whether a bar of ticker `id` (of the replay's table) may meet an open order: false only when no open order is in
    /// its ticker (the bar's open-order pass then has nothing to do).
    @inline(__always)
    mutating func mayMeetOpenOrder(_ id: TickerID) -> Bool {
        if orderTickersAsOf != ids.ordersNumbered { markOrderTickers() }
        let index = id.index
        return index >= orderTickers.count || orderTickers[index]
    }

    func hasOpenOrder(_ ticker: String, side: OrderSide? = nil) -> Bool {
        openOrders.contains { $0.ticker == ticker && (side == nil || $0.side == side) }
    }
}

extension Lane {
    /// How the lane ended, whatever its recorder kept (call after `Orchestrator.finish`).
    public var outcome: LaneOutcome {
        LaneOutcome(config: state.config, variant: state.variant, account: state.account, days: zip(state.dailyDates, state.dailyEquities).map { ($0, $1) },
                    counts: state.counts, totals: state.totals)
    }
}

extension Lane where Recorder == InMemoryRecorder {
    /// The lane as it ended, with every event it kept (call after `Orchestrator.finish`).
    public var result: LaneResult { LaneResult(outcome: outcome, recorder: recorder) }
}

/// Why a lane stopped: a price carried its account beyond what it may hold (`Limits.maxAmount`), or its
/// agent failed (`AgentFailure`). The run stops with this one line, naming the bar or the agent.
public struct ReplayHalt: Error, Sendable, Hashable, CustomStringConvertible {
    public var ticker: String
    public var barStart: Timestamp
    public var agent: String
    public var variant: String
    public var reason: String
    public var cause: Cause = .amountOutOfRange

    public enum Cause: Sendable, Hashable {
        /// An amount beyond `Limits.maxAmount`; `reason` says which.
        case amountOutOfRange
        /// The agent failed at the step of `barStart`; `reason` is its `AgentFailure` message.
        case agentFailed
    }

    public var description: String {
        switch cause {
        case .amountOutOfRange:
            "the replay stopped at the \(ticker) bar of \(barStart.iso8601) (agent '\(agent)', fill model '\(variant)'): \(reason)"
        case .agentFailed:
            "agent '\(agent)' (fill model '\(variant)') stopped the replay: \(reason)"
        }
    }
}

/// Run-wide id counters of a lane: orders and trades are numbered in the order they happen.
struct IDSequence: Sendable {
    private var order: Int64 = 0
    private var trade: Int64 = 0

    mutating func nextOrder() -> Int64 { order += 1; return order }
    /// How many orders have been numbered (a new open order always takes a new number).
    var ordersNumbered: Int64 { order }
    mutating func nextTrade() -> Int64 { trade += 1; return trade }
}
