import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// One lane's rows, inserted as they happen into a scratch database of the lane's own (lanes replay on
/// several threads; each writes only its own file): orders when they close (every order does), trades,
/// daily snapshots, risk events, and the reference-price P&L of positions by the order that opened them.
/// Statements are prepared once; rows go in inside transactions of `rowsPerTransaction` rows, with no
/// journal (the file is scratch: a failed run deletes it). `RunDatabase.assemble` copies the lane tables
/// into run.sqlite in lane order, whatever thread wrote them, so the database's bytes do not depend on the
/// thread count.
///
/// Ids: an order's row is `account × 10⁹ + order id`, a trade's `account × 10⁹ + trade id`, signals,
/// snapshots and risk events `account × 10⁹ + 1, 2, …`: unique across lanes, and the lane's own number in
/// the last digits.
public final class LaneStore: @unchecked Sendable {  // used by one thread at a time: its lane's
    public static let rowsPerTransaction = 50_000

    public let path: String
    public let account: Int64
    private let connection: SQLiteConnection
    private let insertOrder, insertTrade, insertSnapshot, insertRiskEvent, insertReference, insertSignal: SQLiteStatement
    private var values = RowValues()
    private var rowsInTransaction = 0
    private var snapshots: Int64 = 0
    private var riskEvents: Int64 = 0
    private var signals: Int64 = 0
    private var closed = false

    /// Creates the scratch database at `path` (which must not exist).
    public init(path: String, account: Int64) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw FileSystemError(path: path, action: "cannot create the database", errno: EEXIST)
        }
        self.path = path
        self.account = account
        connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1024;")
        try connection.execute(Schema.laneTables)
        insertOrder = try connection.prepare("""
            INSERT INTO paper_orders (id, account_id, ticker, side, order_type, quantity, filled_quantity, limit_price, stop_price,
                status, reject_reason, commission, slippage, purpose, signal, signal_id, submitted_at, closed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertTrade = try connection.prepare("""
            INSERT INTO paper_trades (id, account_id, order_id, ticker, side, quantity, price, reference_price, commission, slippage,
                realized_pnl, fill_rule, cash_after, position_after, signal_id, executed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertSnapshot = try connection.prepare("""
            INSERT INTO paper_account_snapshots (id, account_id, date, taken_at, cash, market_value, equity, realized_pnl,
                unrealized_pnl, commissions, open_positions, sharpe_ratio, drawdown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertRiskEvent = try connection.prepare("INSERT INTO risk_events (id, account_id, occurred_at, kind, detail) VALUES (?, ?, ?, ?, ?)")
        insertSignal = try connection.prepare("""
            INSERT INTO signals (id, account_id, agent_id, ticker, side, price, strength, reason, acted_on, generated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertReference = try connection.prepare("INSERT INTO reference_pnl (ticker, side, submitted_at, pnl) VALUES (?, ?, ?, ?)")
        try connection.execute("BEGIN")
    }

    deinit { close() }

    /// Finalizes the statements and closes the connection (once).
    private func close() {
        guard !closed else { return }
        closed = true
        for statement in [insertOrder, insertTrade, insertSnapshot, insertRiskEvent, insertReference, insertSignal] { statement.finalize() }
        connection.close()
    }

    static func rowID(_ account: Int64, _ id: Int64) -> Int64 { account * 1_000_000_000 + id }

    /// A signal an agent gave; returns its row id (for the `signal_id` of the order it led to).
    @discardableResult
    public func signal(_ s: Signal, actedOn: Bool) throws -> Int64 {
        signals += 1
        let id = LaneStore.rowID(account, signals)
        values.removeAll()
        values.integer(id)
        values.integer(account)
        values.text(s.agent)
        values.text(s.ticker)
        values.text(s.side.rawValue)
        values.money(s.price)
        if let strength = s.strength { values.real(strength) } else { values.null() }
        values.text(s.reason)
        values.integer(actedOn ? 1 : 0)
        values.time(s.time)
        try insert(insertSignal)
        return id
    }

    /// An order as it closed (its final status), with the commission and slippage of its fills and the
    /// row id of the signal it came from.
    public func order(_ o: Order, commission: Money = .zero, slippage: Money = .zero, signalID: Int64? = nil) throws {
        values.removeAll()
        values.integer(LaneStore.rowID(account, o.id))
        values.integer(account)
        values.text(o.ticker)
        values.text(o.side.rawValue)
        values.text(o.type.rawValue)
        values.integer(o.quantity)
        values.integer(o.filledQuantity)
        values.money(o.limitPrice)
        values.money(o.stopPrice)
        values.text(o.status.rawValue)
        values.text(o.rejectReason)
        values.money(commission)
        values.money(slippage)
        values.text(o.purpose)
        values.text(o.signal)
        values.integer(signalID)
        values.time(o.submittedAt)
        values.time(o.closedAt)
        try insert(insertOrder)
    }

    /// A fill as the ledger booked it; `signalID`: its order's signal's row id.
    public func trade(_ t: Trade, signalID: Int64? = nil) throws {
        let f = t.fill
        values.removeAll()
        values.integer(LaneStore.rowID(account, t.id))
        values.integer(account)
        values.integer(LaneStore.rowID(account, f.orderID))
        values.text(f.ticker)
        values.text(f.side.rawValue)
        values.integer(f.quantity)
        values.money(f.price)
        values.money(f.referencePrice)
        values.money(f.commission)
        values.money(f.slippageCost)
        values.money(t.realizedPnL)
        values.text(f.rule.rawValue)
        values.money(t.cashAfter)
        values.integer(t.positionAfter)
        values.integer(signalID)
        values.time(f.time)
        try insert(insertTrade)
    }

    public func snapshot(_ s: AccountSnapshot) throws {
        snapshots += 1
        values.removeAll()
        values.integer(LaneStore.rowID(account, snapshots))
        values.integer(account)
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
        try insert(insertSnapshot)
    }

    public func riskEvent(_ e: RiskEvent) throws {
        riskEvents += 1
        values.removeAll()
        values.integer(LaneStore.rowID(account, riskEvents))
        values.integer(account)
        values.time(e.time)
        values.text(e.kind)
        values.text(e.detail)
        try insert(insertRiskEvent)
    }

    /// Part of a position's P&L at reference prices, owed to the order that opened it (ticker, side and
    /// decision time: how the variant comparison matches orders across lanes), in units of 1e-8.
    public func referencePnL(ticker: String, side: OrderSide, submittedAt: Timestamp, pnl: Int64) throws {
        values.removeAll()
        values.text(ticker)
        values.text(side.rawValue)
        values.time(submittedAt)
        values.integer(pnl)
        try insert(insertReference)
    }

    private func insert(_ statement: SQLiteStatement) throws {
        try statement.run(values)
        rowsInTransaction += 1
        if rowsInTransaction >= LaneStore.rowsPerTransaction {
            try connection.execute("COMMIT; BEGIN")
            rowsInTransaction = 0
        }
    }

    /// The lane has ended: commits, indexes its filled orders for the comparison's join, and closes. The
    /// file stays until the run has copied it into run.sqlite and the comparison has read it.
    public func finish() throws {
        guard !closed else { return }
        defer { close() }
        try connection.execute("COMMIT")
        try connection.execute(Schema.laneFilledIndex)
    }
}
