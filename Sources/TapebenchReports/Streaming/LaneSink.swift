import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchLedger
import TapebenchStore

/// One lane's recorder in a run folder: every event goes out as it happens, into the lane's own files in
/// the staging folder (its rows of fills.csv, trades.csv and equity.csv; its scratch database), and into
/// the bounded aggregates the reports are built from (`LaneDigest`, `EquitySampler`,
/// `ReferenceAttribution`). Nothing grows with the run but the files. Touched only by the thread
/// replaying its lane; `RunFolder` joins the lanes in lane order when the replay has ended.
///
/// A failed write (a full disk) is kept and ends the lane's writing; the run throws it when the replay
/// has ended (`finish`), so a recorder needs no way to stop the replay.
public final class LaneSink: LaneRecorder, @unchecked Sendable {
    // The properties changed per event are `@exclusivity(unchecked)`: a sink is used by its lane's thread
    // only, and no access to one of them overlaps another (each is read or changed within one statement, none
    // is passed inout to code that reaches the sink). Checked at run time, each access cost ≈ 90 instructions,
    // ≈ 0.5 % of the 200 × 13 run in the sink and the store.
    public let index: Int
    public let agent: String
    public let variant: String
    /// Whose days date equity.csv's rows.
    let calendar: ExchangeCalendar
    @exclusivity(unchecked) private var equityRows: EquityRows
    @exclusivity(unchecked) public private(set) var digest = LaneDigest()
    @exclusivity(unchecked) private(set) var sampler: EquitySampler
    /// nil when no comparison reads this lane (`compared`): its P&L would be written for nothing.
    @exclusivity(unchecked) private var attribution: ReferenceAttribution?
    /// The signal row the next order came from (an acted-on signal is told just before its order).
    @exclusivity(unchecked) private var actedSignal: Int64?
    /// Open orders' signal rows and the costs of their fills so far; each leaves when its order closes.
    @exclusivity(unchecked) private var openOrders: [Int64: (signal: Int64?, commission: Money, slippage: Money)] = [:]
    /// Open positions' signal rows (their opening order's), by ticker.
    @exclusivity(unchecked) private(set) var positionSignals: [String: Int64] = [:]
    let fills: StreamFile
    let trades: StreamFile
    let equity: StreamFile
    let roundTrips: StreamFile
    let store: LaneStore
    @exclusivity(unchecked) private(set) var failure: Error?

    /// The lane numbered `index` (0 first, in lane order) of an account starting with `initialBalance`.
    /// Lane 0 writes the final fills.csv, trades.csv and equity.csv (headers first); the others write
    /// parts, appended to them in lane order at the end (`RunFolder`). `onlyLane`: the run has this one lane,
    /// which writes run.sqlite itself instead of a scratch database (`LaneStore(published:)`). `compared`: the
    /// lane's agent runs under other fill models too, whose lanes the variant comparison matches with this
    /// one's filled orders (`LaneStore(compared:)`; never with `onlyLane`).
    init(index: Int, agent: String, variant: String, initialBalance: Money, folder: String, calendar: ExchangeCalendar = .nyse,
         onlyLane: Bool = false, compared: Bool = true) throws {
        self.calendar = calendar
        equityRows = EquityRows(agent: agent, variant: variant, calendar: calendar)
        self.index = index
        self.agent = agent
        self.variant = variant
        sampler = EquitySampler(initialBalance: initialBalance)
        fills = try StreamFile(creating: folder + "/" + LaneSink.fileName("fills.csv", lane: index))
        trades = try StreamFile(creating: folder + "/" + LaneSink.fileName("trades.csv", lane: index))
        equity = try StreamFile(creating: folder + "/" + LaneSink.fileName("equity.csv", lane: index))
        roundTrips = try StreamFile(creating: folder + "/" + LaneSink.fileName("round_trips.csv", lane: index))
        store = onlyLane ? try LaneStore(path: folder + "/run.sqlite", account: Int64(index + 1), agent: agent, published: true)
            : try LaneStore(path: folder + "/" + LaneSink.storeName(lane: index), account: Int64(index + 1), agent: agent, compared: compared)
        attribution = store.compared ? ReferenceAttribution() : nil
        if index == 0 {
            fills.text.append(FillsCSV.header + "\n")
            trades.text.append(TablesCSV.tradesHeader + "\n")
            equity.text.append(TablesCSV.equityHeader + "\n")
            roundTrips.text.append(RoundTripsCSV.header + "\n")
        }
    }

    /// Lane 0's rows go straight into the file of that name; another lane's into a hidden part beside it.
    static func fileName(_ name: String, lane: Int) -> String { lane == 0 ? name : ".\(name).lane-\(lane).part" }
    static func storeName(lane: Int) -> String { ".lane-\(lane).sqlite" }

    public func record(_ event: LaneEvent) {
        guard failure == nil else { return }
        do {
            try write(event)
        } catch {
            failure = error
        }
    }

    /// A batch in turn, each event read where it lies in the lane's lists (`LaneEvents`): no `LaneEvent` is
    /// made or copied (a switch over one copied the whole event through the enum's value witnesses, ≈ 1.2 %
    /// of a 500 × 26 run). The steps' marks (one a minute, most of the events of a small market: 502,000 of
    /// 527,000 on the peers tape) go first, on their own: they feed only the sampler and equity.csv, which no
    /// other event touches. The sampler is taken out of the sink for the batch: changed in place through the
    /// class, each mark paid an exclusivity check (1 % of that run). The equity rows' writer is taken out the
    /// same way (a sample's row paid an exclusivity check on it).
    public func record(contentsOf events: LaneEvents) {
        guard failure == nil else { return }
        var sampler = self.sampler
        var equityRows = self.equityRows
        // Left empty meanwhile, so that the batch's copy is the only reference to the chart's points.
        self.sampler = EquitySampler(initialBalance: .zero)
        defer {
            self.sampler = sampler
            self.equityRows = equityRows
        }
        do {
            for index in events.marks.indices {
                if let sample = sampler.mark(events.marks[index]) { try write(sample, rows: &equityRows) }
            }
            // Signals and orders, most of the other events, borrowed through their lists' buffers: read through
            // the arrays' subscripts, each was copied (its texts retained and released) for the call.
            try events.signals.withUnsafeBufferPointer { signals in
                try events.orders.withUnsafeBufferPointer { orders in
                    try events.forEachPlace { kind, place in
                        switch kind {
                        case .signal: try write(signals[place].signal, actedOn: signals[place].actedOn)
                        case .orderSubmitted: submitted(orders[place])
                        case .orderChanged: digest.record(openOrder: orders[place])
                        case .orderClosed: try closed(orders[place])
                        case .trade: try write(events.trades[place].trade, order: events.trades[place].order)
                        case .snapshot: try write(events.snapshots[place])
                        case .riskEvent: try write(events.riskEvents[place])
                        case .mark: break
                        case .roundTrip: try write(events.roundTrips[place])
                        }
                    }
                }
            }
        } catch {
            failure = error
        }
    }

    private func write(_ event: LaneEvent) throws {
        switch event {
        case let .signal(signal, actedOn): try write(signal, actedOn: actedOn)
        case .orderSubmitted(let order): submitted(order)
        case .orderChanged(let order): digest.record(openOrder: order)
        case .orderClosed(let order): try closed(order)
        case let .trade(trade, order): try write(trade, order: order)
        case .snapshot(let snapshot): try write(snapshot)
        case .riskEvent(let event): try write(event)
        case .mark(let mark): if let sample = sampler.mark(mark) { try write(sample) }
        case .roundTrip(let trip): try write(trip)
        }
    }

    private func write(_ signal: Signal, actedOn: Bool) throws {
        let id = try store.signal(signal, actedOn: actedOn)
        if actedOn { actedSignal = id }
    }

    private func submitted(_ order: Order) {
        digest.record(openOrder: order)
        // Only an order placed from a signal has its reason; an agent's own or a stop-loss has none.
        openOrders[order.id] = (order.signal != nil ? actedSignal : nil, .zero, .zero)
        actedSignal = nil
    }

    private func closed(_ order: Order) throws {
        digest.record(closedOrder: order)
        let open = openOrders.removeValue(forKey: order.id)
        try store.order(order, commission: open?.commission ?? .zero, slippage: open?.slippage ?? .zero, signalID: open?.signal ?? nil)
    }

    private func write(_ trade: Trade, order: Order) throws {
        digest.record(trade, order: order)
        FillsCSV.appendRow(trade.fill, variant: variant, to: &fills.text)
        try fills.rowEnded()
        TablesCSV.appendTrade(trade, variant: variant, to: &trades.text)
        try trades.rowEnded()
        // One look-up, the entry changed where it lies: three optional-chained changes through the
        // dictionary's subscript were three hashes and three mallocs a fill (perf, the peers tape).
        var signal: Int64?
        if let entry = openOrders.index(forKey: order.id) {
            signal = openOrders.values[entry].signal
            openOrders.values[entry].commission += trade.fill.commission
            openOrders.values[entry].slippage += trade.fill.slippageCost
        }
        try store.trade(trade, signalID: signal)
        // A position opened by this fill takes the order's signal; a closed one lets it go.
        if trade.positionAfter == 0 {
            positionSignals[trade.fill.ticker] = nil
        } else if trade.positionAfter == (trade.fill.side == .buy ? trade.fill.quantity : -trade.fill.quantity) {
            positionSignals[trade.fill.ticker] = signal
        }
        if let owed = attribution?.trade(trade, order: order) { try store(owed) }
    }

    private func write(_ snapshot: AccountSnapshot) throws {
        digest.record(snapshot)
        try store.snapshot(snapshot)
    }

    private func write(_ event: RiskEvent) throws {
        digest.record(event)
        try store.riskEvent(event)
    }

    private func write(_ trip: RoundTrip) throws {
        digest.record(trip)
        RoundTripsCSV.appendRow(trip, agent: agent, variant: variant, to: &roundTrips.text)
        try roundTrips.rowEnded()
    }

    private func write(_ sample: EquitySample) throws {
        try write(sample, rows: &equityRows)
    }

    private func write(_ sample: EquitySample, rows: inout EquityRows) throws {
        rows.append(sample, to: &equity.text)
        try equity.rowEnded()
    }

    /// An amount owed to an opening order, in rows that each fit a 64-bit integer.
    private func store(_ owed: ReferenceAttribution.Owed) throws {
        var rest = owed.pnl
        repeat {
            let part = Int64(clamping: rest)
            try store.referencePnL(ticker: owed.ticker, side: owed.side, submittedAt: owed.submittedAt, pnl: part)
            rest -= Int128(part)
        } while rest != 0
    }

    /// The replay has ended with `outcome`: the last equity sample, what open positions owe their openers,
    /// every buffer written, the scratch database closed. Throws the lane's first failure. Lane 0's files
    /// stay open: the other lanes' parts are appended to them (`RunFolder`).
    func finish(_ outcome: LaneOutcome) throws {
        if let failure { throw failure }
        if let sample = sampler.finish() { try write(sample) }
        for owed in attribution?.finish(account: outcome.account) ?? [] { try store(owed) }
        for file in [fills, trades, equity, roundTrips] {
            if index == 0 { try file.flush() } else { try file.close(sync: false) }
        }
        try store.finish()
    }

    /// The intraday equity and drawdown for the charts.
    public var equityChart: EquityChart { sampler.chart }
}
