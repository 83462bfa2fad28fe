import GRDB
import TapebenchCore
import TapebenchReports
import TapebenchStore

/// The reads behind the paper-trading routes. An agent may trade several accounts in one database (one per
/// fill-model variant); a route answers for the account of `?variant=` or, without it, of the run's first
/// fill model (the scenario's base: `runs.fill_model` lists the variants in order), else the agent's first.
enum PaperQueries {
    /// One account of an agent: its row id and variant.
    struct AccountKey: Sendable, Hashable {
        var id: Int64
        var agent: String
        var variant: String
    }

    /// The run's variants in the scenario's order (`runs.fill_model`), the base first.
    static func variants(_ db: Database) throws -> [String] {
        let text = try String.fetchOne(db, sql: "SELECT fill_model FROM runs ORDER BY id LIMIT 1") ?? ""
        return text.split(separator: ",").map(String.init)
    }

    /// The account a route answers for; 404 when the agent or the variant is not in the database.
    static func account(_ db: Database, agent: String, variant: String?) throws -> AccountKey {
        let rows = try Row.fetchAll(db, sql: "SELECT id, variant FROM paper_accounts WHERE agent_id = ? ORDER BY id", arguments: [agent])
        guard !rows.isEmpty else { throw APIError.notFound("no agent \(SafeName.quoted(agent)) in this database") }
        let accounts = rows.map { AccountKey(id: $0["id"], agent: agent, variant: $0["variant"]) }
        if let variant {
            guard let account = accounts.first(where: { $0.variant == variant }) else {
                throw APIError.notFound("agent \(SafeName.quoted(agent)) has no account under variant \(SafeName.quoted(variant)); it has "
                    + accounts.map(\.variant).joined(separator: ", "))
            }
            return account
        }
        let base = try variants(db).first
        return accounts.first { $0.variant == base } ?? accounts[0]
    }

    // MARK: - Routes

    /// `GET /api/paper-trading/agents`: every agent with its accounts (base variant first), and the run.
    static func agents(_ db: Database, statuses: [String: String]) throws -> JSONValue {
        let order = try variants(db)
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, agent_id, agent_kind, variant, status, initial_balance, equity, total_pnl, win_rate, sharpe_ratio,
                   max_drawdown, updated_at FROM paper_accounts ORDER BY agent_id, id
            """)
        var agents: [JSONValue] = []
        var index = 0
        while index < rows.count {
            let agent: String = rows[index]["agent_id"]
            var group: [Row] = []
            while index < rows.count, rows[index]["agent_id"] as String == agent {
                group.append(rows[index])
                index += 1
            }
            // The base variant's account first, then the others as the database lists them.
            let rank = { (row: Row) -> Int in order.firstIndex(of: row["variant"]) ?? order.count }
            group = group.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
            agents.append(.object([
                "id": .string(agent),
                "kind": .string(group[0]["agent_kind"] as String),
                "lifecycle_status": .string(statuses[agent] ?? "learning"),
                "accounts": .array(group.map { row in
                    .object([
                        "account_id": .integer(row["id"] as Int64), "variant": .string(row["variant"] as String),
                        "status": .string(row["status"] as String), "initial_balance": ServedDatabase.json(row["initial_balance"]),
                        "equity": ServedDatabase.json(row["equity"]), "total_pnl": ServedDatabase.json(row["total_pnl"]),
                        "win_rate": ServedDatabase.json(row["win_rate"]), "sharpe_ratio": ServedDatabase.json(row["sharpe_ratio"]),
                        "max_drawdown": ServedDatabase.json(row["max_drawdown"]), "updated_at": ServedDatabase.json(row["updated_at"]),
                    ])
                }),
            ]))
        }
        return .object(["run": try run(db), "paper": try paper(db), "agents": .array(agents)])
    }

    /// Paper mode's checkpoint (docs/paper-mode.md): the last committed minute, how many, running or
    /// finished; null in a run's database.
    static func paper(_ db: Database) throws -> JSONValue {
        guard try db.tableExists("paper_checkpoint"),
              let row = try Row.fetchOne(db, sql: "SELECT * FROM paper_checkpoint ORDER BY id LIMIT 1") else { return .null }
        var members: [String: JSONValue] = [:]
        for column in ["minute", "minutes", "state", "source", "delayed"] where row.hasColumn(column) {
            members[column] = ServedDatabase.json(row[column])
        }
        return .object(members)
    }

    /// The run's row (scenario, variants, tool, period), null in a database without one yet.
    static func run(_ db: Database) throws -> JSONValue {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT scenario_name, scenario_sha256, fill_model, tool_version, tickers, bars_replayed, replay_start, replay_end
            FROM runs ORDER BY id LIMIT 1
            """) else { return .null }
        return ServedDatabase.object(row)
    }

    /// `…/:id/account`: the account's row as the reference system names its columns.
    static func account(_ db: Database, _ key: AccountKey) throws -> JSONValue {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM paper_accounts WHERE id = ?", arguments: [key.id]) else {
            throw APIError.notFound("account \(key.id) is gone")
        }
        return ServedDatabase.object(row)
    }

    /// `…/:id/positions`: the open positions, by ticker.
    static func positions(_ db: Database, _ key: AccountKey) throws -> JSONValue {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM paper_positions WHERE account_id = ? ORDER BY ticker, id", arguments: [key.id])
        return .object(["account_id": .integer(key.id), "variant": .string(key.variant), "positions": .array(rows.map(ServedDatabase.object))])
    }

    /// A page of `paper_orders` or `paper_trades` rows, newest first (highest id: the order of writing), and how many there are.
    static func page(_ db: Database, table: String, key: AccountKey, page: Page) throws -> JSONValue {
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(RunSchema.accountRows(key.id))") ?? 0
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(RunSchema.accountRows(key.id)) ORDER BY id DESC LIMIT ? OFFSET ?",
                                    arguments: [page.limit, page.offset])
        let name = table == "paper_orders" ? "orders" : "trades"
        return .object([
            "account_id": .integer(key.id), "variant": .string(key.variant), "total": .integer(total),
            "limit": .integer(page.limit), "offset": .integer(page.offset), name: .array(rows.map(ServedDatabase.object)),
        ])
    }

    /// `…/:id/performance`: the account's statistics, its closing trades, and the equity curve: the daily
    /// snapshots, then the account's latest equity when it was updated after the last snapshot (paper mode, intraday).
    static func performance(_ db: Database, _ key: AccountKey) throws -> JSONValue {
        guard let account = try Row.fetchOne(db, sql: """
            SELECT initial_balance, equity, total_pnl, realized_pnl, unrealized_pnl, commissions, slippage, win_rate, sharpe_ratio,
                   max_drawdown, updated_at FROM paper_accounts WHERE id = ?
            """, arguments: [key.id]) else { throw APIError.notFound("account \(key.id) is gone") }
        let trades = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS closing, COALESCE(SUM(realized_pnl > 0), 0) AS winning FROM paper_trades
            WHERE \(RunSchema.accountRows(key.id)) AND realized_pnl IS NOT NULL
            """)!
        let snapshots = try Row.fetchAll(db, sql: """
            SELECT date, taken_at, cash, market_value, equity, realized_pnl, unrealized_pnl, commissions, open_positions, sharpe_ratio, drawdown
            FROM paper_account_snapshots WHERE account_id = ? ORDER BY date, id
            """, arguments: [key.id])
        var curve: [JSONValue] = snapshots.map { .object(["time": ServedDatabase.json($0["taken_at"]), "equity": ServedDatabase.json($0["equity"])]) }
        let updated: String? = account["updated_at"]
        if let updated, updated > (snapshots.last?["taken_at"] ?? "") {
            curve.append(.object(["time": .string(updated), "equity": ServedDatabase.json(account["equity"])]))
        }
        let initial: Double = account["initial_balance"], total: Double = account["total_pnl"]
        var members: [String: JSONValue] = [:]
        for (column, value) in account { members[column] = ServedDatabase.json(value) }
        members["account_id"] = .integer(key.id)
        members["variant"] = .string(key.variant)
        members["return_pct"] = initial > 0 ? ServedDatabase.number(total / initial * 100) : .null
        members["closing_trades"] = .integer(trades["closing"] as Int64)
        members["winning_trades"] = .integer(trades["winning"] as Int64)
        members["snapshots"] = .array(snapshots.map(ServedDatabase.object))
        members["equity_curve"] = .array(curve)
        return .object(members)
    }
}

/// `?limit=&offset=` of a list route: at most `maxLimit` rows a page.
struct Page: Sendable, Hashable {
    static let defaultLimit = 100
    static let maxLimit = 1_000
    var limit = Page.defaultLimit
    var offset = 0
}
