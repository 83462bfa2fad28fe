import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// One lane's rows, inserted as they happen into a scratch database of the lane's own (lanes replay on
/// several threads; each writes only its own file): orders when they close (every order does), trades,
/// daily snapshots, risk events, and the reference-price P&L of positions by the order that opened them.
/// Each table's rows go in `batchRows` at a time by one prepared multi-row INSERT (`RowBatch`), inside
/// transactions of about `rowsPerTransaction` rows, with no journal (the file is scratch: a failed run
/// deletes it). `RunDatabase.assemble` copies the lane tables into run.sqlite in lane order, whatever
/// thread wrote them, so the database's bytes do not depend on the thread count.
///
/// The scratch database does not evaluate the tables' CHECK constraints (`ignore_check_constraints`):
/// their `IN` lists cost as much as the rest of an insert, and the only values bound to those columns are
/// the raw values of `OrderSide`, `OrderType` and `OrderStatus`, every one of which satisfies them
/// (`LaneStoreBatchTests` inserts each into checked tables). The transfer into run.sqlite keeps the
/// constraints in its schema.
///
/// Its pages are 16 KiB, as run.sqlite's: fewer pages to start and write per row. A run of one lane writes
/// run.sqlite itself this way (`published`).
///
/// Ids: an order's row is `account × 10⁹ + order id`, a trade's `account × 10⁹ + trade id`, signals,
/// snapshots and risk events `account × 10⁹ + 1, 2, …`: unique across lanes, the lane's own number in the
/// last digits, and each account's rows one range of ids, which queries select instead of an index
/// (`RunSchema.accountRows`); a number past that range throws rather than overlap the next account's.
public final class LaneStore: @unchecked Sendable {  // used by one thread at a time: its lane's
    public static let rowsPerTransaction = 50_000
    /// Rows per multi-row INSERT: past about 16 a batch saves little more time (measured, one core), but each
    /// statement's run allocates (SQLite frees its registers and cursors at each reset: two allocations more
    /// per index, when schema 3 had indexes), so 64 rather than 32: mallocs at 200 x 13 71.1 k -> 63.2 k,
    /// instructions -12 M.
    static let batchRows = 64

    public let path: String
    public let account: Int64
    private let connection: SQLiteConnection
    private let orders, trades, snapshots, riskEvents, signals: RowBatch
    /// nil unless `compared`: no other lane compares its fills with this one's.
    private let references: RowBatch?
    /// Whether this is run.sqlite itself rather than a scratch database.
    public let published: Bool
    /// Whether the variant comparison reads this lane (`RunDatabase.unmatched`): it keeps the reference P&L
    /// and the index of its filled orders.
    public let compared: Bool
    /// Texts most rows repeat, bound without a copy and only when they change (`ConstantTexts`).
    private let agents: ConstantTexts
    /// The texts of the enumerations every store writes, made once for the process (each set a few
    /// allocations), each held by the store too: read through the store, not the static's lazy accessor.
    private static let sharedTexts = (
        sides: CaseTexts<OrderSide>(), orderTypes: CaseTexts<OrderType>(), statuses: CaseTexts<OrderStatus>(),
        fillRules: CaseTexts<FillRule>(),
        // The purposes the orchestrator gives its own orders (an agent's or a tape's are its own texts).
        purposes: ConstantTexts(["signal_entry", "signal_exit", "stop_loss", "take_profit", "liquidation", "agent_order"]))
    private let sides = LaneStore.sharedTexts.sides
    private let orderTypes = LaneStore.sharedTexts.orderTypes
    private let statuses = LaneStore.sharedTexts.statuses
    private let fillRules = LaneStore.sharedTexts.fillRules
    private let purposes = LaneStore.sharedTexts.purposes
    /// The lane's signals' reasons, each written once (`ReasonTexts`).
    private let reasons = ReasonTexts()
    // Unchecked exclusivity on the per-row counters (as `LaneSink`'s): one thread uses a store, and each
    // access is a single read or increment.
    @exclusivity(unchecked) private var rowsInTransaction = 0
    @exclusivity(unchecked) private var snapshotCount: Int64 = 0
    @exclusivity(unchecked) private var riskEventCount: Int64 = 0
    @exclusivity(unchecked) private var signalCount: Int64 = 0
    private var closed = false
    /// Rows written into each of the run's tables (`Schema.laneTableNames`), once `finish` has run: what
    /// `RunDatabase.verifyWritten` expects to read back.
    public private(set) var rowCounts: [String: Int] = [:]

    /// Creates the scratch database at `path` (which must not exist). `published`: the run has this one
    /// lane, and `path` is run.sqlite itself, written in place: every table of the run (`RunDatabase.copyLanes`
    /// adds the run's own rows), and no reference P&L (there is no variant to compare with),
    /// so nothing is copied at the end. `compared`: the lane's agent runs under several fill models, so the
    /// variant comparison joins this lane's filled orders with another's (never when `published`); a lane it
    /// does not read keeps no reference P&L and builds no index of filled orders (≈ 10 ms a lane at 200 × 13).
    /// `agent`: the lane's agent, whose id its signals (almost always) carry.
    public init(path: String, account: Int64, agent: String? = nil, published: Bool = false, compared: Bool = true) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw FileSystemError(path: path, action: "cannot create the database", errno: EEXIST)
        }
        self.path = path
        self.account = account
        agents = ConstantTexts(agent.map { [$0] } ?? [])
        self.published = published
        self.compared = compared && !published
        let connection = try SQLiteConnection(path: path)
        self.connection = connection
        try connection.execute("""
            PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -256;
            PRAGMA ignore_check_constraints = ON;
            """)
        try connection.execute(published ? Schema.tables : Schema.laneTables)
        // The comparison's index before the rows: it takes them nearly in its order, each entry at the end of
        // its last page, where an index built at the end scanned, sorted and inserted every row again.
        if self.compared { try connection.execute(Schema.laneFilledIndex) }
        func batch(_ table: String, _ columns: String, numbering: RowBatch.Numbering = .given) throws -> RowBatch {
            // The lane's account is the same in every row: a literal of the statements (`RowBatch`).
            try RowBatch(table: table, columns: columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                         fixed: ["account_id": account], rowsPerBatch: LaneStore.batchRows, numbering: numbering, on: connection)
        }
        orders = try batch("paper_orders", """
            id, account_id, ticker, side, order_type, quantity, filled_quantity, limit_price, stop_price, status, reject_reason,
            commission, slippage, purpose, signal, signal_id, submitted_at, closed_at
            """)
        trades = try batch("paper_trades", """
            id, account_id, order_id, ticker, side, quantity, price, reference_price, commission, slippage, realized_pnl, fill_rule,
            cash_after, position_after, signal_id, executed_at
            """)
        snapshots = try batch("paper_account_snapshots", """
            id, account_id, date, taken_at, cash, market_value, equity, realized_pnl, unrealized_pnl, commissions, open_positions,
            sharpe_ratio, drawdown
            """, numbering: .consecutive)
        // Counted here (`signalCount`, …), so SQLite numbers all but their first rows; orders close out of id
        // order, and trades are numbered by the ledger: their ids are bound.
        riskEvents = try batch("risk_events", "id, account_id, occurred_at, kind, detail", numbering: .consecutive)
        signals = try batch("signals", "id, account_id, agent_id, ticker, side, price, strength, reason, acted_on, generated_at",
                            numbering: .consecutive)
        references = self.compared ? try batch("reference_pnl", "ticker, side, submitted_at, pnl") : nil
        try connection.execute("BEGIN")
    }

    deinit { close() }

    /// Finalizes the statements and closes the connection (once).
    private func close() {
        guard !closed else { return }
        closed = true
        for batch in batches { batch.finalize() }
        connection.close()
    }

    private var batches: [RowBatch] { [orders, trades, snapshots, riskEvents, signals] + (references.map { [$0] } ?? []) }

    /// The row id of the lane's `number`-th row of a table (`RunSchema.rowID`); throws past the account's range.
    private func rowID(_ number: Int64, in table: String) throws -> Int64 {
        guard let id = RunSchema.rowID(account: account, number: number) else {
            throw FileSystemError(path: path, action: "cannot write row \(number) of \(table) for account \(account)",
                                  reason: "an account holds at most \(RunSchema.rowsPerAccount - 1) rows of a table")
        }
        return id
    }

    /// A signal an agent gave; returns its row id (for the `signal_id` of the order it led to).
    @discardableResult
    public func signal(_ s: Signal, actedOn: Bool) throws -> Int64 {
        signalCount += 1
        let id = try rowID(signalCount, in: "signals")
        try row(signals) { values in
            values.integer(id)
            values.text(s.agent, from: agents)
            values.text(s.ticker)
            values.text(s.side, from: sides)
            values.money(s.price)
            if let strength = s.strength { values.real(strength) } else { values.null() }
            values.text(s.reason, from: reasons)
            values.integer(actedOn ? 1 : 0)
            values.time(s.time)
        }
        return id
    }

    /// An order as it closed (its final status), with the commission and slippage of its fills and the
    /// row id of the signal it came from.
    public func order(_ o: Order, commission: Money = .zero, slippage: Money = .zero, signalID: Int64? = nil) throws {
        let id = try rowID(o.id, in: "paper_orders")
        try row(orders) { values in
            values.integer(id)
            values.text(o.ticker)
            values.text(o.side, from: sides)
            values.text(o.type, from: orderTypes)
            values.integer(o.quantity)
            values.integer(o.filledQuantity)
            values.money(o.limitPrice)
            values.money(o.stopPrice)
            values.text(o.status, from: statuses)
            values.text(o.closeReason)
            values.money(commission)
            values.money(slippage)
            values.text(o.purpose, from: purposes)
            values.text(o.signal, from: reasons)
            values.integer(signalID)
            values.time(o.submittedAt)
            values.time(o.closedAt)
        }
    }

    /// A fill as the ledger booked it; `signalID`: its order's signal's row id.
    public func trade(_ t: Trade, signalID: Int64? = nil) throws {
        let f = t.fill
        let id = try rowID(t.id, in: "paper_trades"), orderID = try rowID(f.orderID, in: "paper_orders")
        try row(trades) { values in
            values.integer(id)
            values.integer(orderID)
            values.text(f.ticker)
            values.text(f.side, from: sides)
            values.integer(f.quantity)
            values.money(f.price)
            values.money(f.referencePrice)
            values.money(f.commission)
            values.money(f.slippageCost)
            values.money(t.realizedPnL)
            values.text(f.rule, from: fillRules)
            values.money(t.cashAfter)
            values.integer(t.positionAfter)
            values.integer(signalID)
            values.time(f.time)
        }
    }

    public func snapshot(_ s: AccountSnapshot) throws {
        snapshotCount += 1
        let id = try rowID(snapshotCount, in: "paper_account_snapshots")
        try row(snapshots) { values in
            values.integer(id)
            values.date(s.date)
            values.time(s.time)
            values.money(s.cash)
            values.money(s.marketValue)
            values.money(s.equity)
            values.money(s.realizedPnL)
            values.money(s.unrealizedPnL)
            values.money(s.commissions)
            values.integer(s.openPositions)
            if let sharpe = s.sharpe { values.real(sharpe) } else { values.null() }
            values.real(s.drawdown)
        }
    }

    public func riskEvent(_ e: RiskEvent) throws {
        riskEventCount += 1
        let id = try rowID(riskEventCount, in: "risk_events")
        try row(riskEvents) { values in
            values.integer(id)
            values.time(e.time)
            values.text(e.kind)
            values.text(e.detail)
        }
    }

    /// Part of a position's P&L at reference prices, owed to the order that opened it (ticker, side and
    /// decision time: how the variant comparison matches orders across lanes), in units of 1e-8.
    public func referencePnL(ticker: String, side: OrderSide, submittedAt: Timestamp, pnl: Int64) throws {
        guard let references else { return }
        try row(references) { values in
            values.text(ticker)
            values.text(side, from: sides)
            values.time(submittedAt)
            values.integer(pnl)
        }
    }

    /// One row of `batch`'s table: `values` appends its columns in the statement's order.
    private func row(_ batch: RowBatch, _ values: (inout RowValues) -> Void) throws {
        values(&batch.values)
        try committed(batch.rowEnded())
    }

    /// `rows` more rows written: a transaction ends once it holds `rowsPerTransaction` rows.
    private func committed(_ rows: Int) throws {
        rowsInTransaction += rows
        if rowsInTransaction >= LaneStore.rowsPerTransaction {
            try connection.execute("COMMIT; BEGIN")
            rowsInTransaction = 0
        }
    }

    /// The lane has ended: commits and closes. Its filled orders went into their index for the comparison's
    /// join as they were inserted (when `compared`). The file stays until the run has copied it into
    /// run.sqlite and the comparison has read it.
    public func finish() throws {
        guard !closed else { return }
        defer { close() }
        for batch in batches { try committed(batch.flushRemainder()) }
        for batch in batches where batch !== references { rowCounts[batch.table] = batch.rowsWritten }
        try connection.execute("COMMIT")
    }
}
