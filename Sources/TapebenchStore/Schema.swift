/// The run database's tables: the reference system's paper-trading tables, with its table and column
/// names (`current_cash`, `unrealized_pnl_percent`, `signal_id`), plus `runs`, `risk_events` and
/// `agent_status`. Version 2 (`PRAGMA user_version`), against version 1: `signals` (every signal an agent
/// gave, `acted_on` when the orchestrator placed an order from it) and `signal_id` on orders, trades and
/// positions (the signal an order came from; a trade's is its order's; a position's is its opening
/// order's); `commission` and `slippage` on orders (the sums over their fills); `paper_accounts.cash` is
/// `current_cash` and `paper_positions.unrealized_pnl_pct` is `unrealized_pnl_percent`, as in the
/// reference system; `risk_events`; the indexes. Version 3, against version 2: the same tables and rows, and
/// the indexes Tapebench's own queries read: `paper_orders(account_id)` for `paper_orders(account_id, ticker)`
/// and `paper_orders(account_id, status)`, `signals(account_id)` for `signals(account_id, ticker)`. Version 4,
/// against version 3: the same tables and rows, and no index: an account's rows are one range of ids
/// (`RunSchema.accountRows`), which the tables' own b-trees find.
enum Schema {
    static let version = 4

    /// The lanes' tables, as a lane's scratch database holds them too (`laneTables`), so that rows are
    /// copied from one to the other as they are.
    static let laneTableNames = ["signals", "paper_orders", "paper_trades", "paper_account_snapshots", "risk_events"]

    static let tables = """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            scenario_name TEXT NOT NULL,
            scenario_file TEXT NOT NULL,
            scenario_sha256 TEXT NOT NULL,
            fill_model TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            seed INTEGER NOT NULL,
            period_from TEXT,
            period_to TEXT,
            tickers TEXT NOT NULL,
            bars_replayed INTEGER NOT NULL,
            replay_start TEXT,
            replay_end TEXT
        );
        CREATE TABLE paper_accounts (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            agent_id TEXT NOT NULL,
            agent_kind TEXT NOT NULL,
            variant TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'closed')),
            initial_balance REAL NOT NULL,
            current_cash REAL NOT NULL,
            equity REAL NOT NULL,
            buying_power REAL NOT NULL,
            total_pnl REAL NOT NULL,
            realized_pnl REAL NOT NULL,
            unrealized_pnl REAL NOT NULL,
            commissions REAL NOT NULL,
            slippage REAL NOT NULL,
            win_rate REAL NOT NULL,
            sharpe_ratio REAL NOT NULL,
            max_drawdown REAL NOT NULL,
            created_at TEXT,
            updated_at TEXT
        );
        CREATE TABLE paper_positions (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES paper_accounts(id),
            ticker TEXT NOT NULL,
            quantity INTEGER NOT NULL,
            avg_entry_price REAL NOT NULL,
            current_price REAL NOT NULL,
            cost_basis REAL NOT NULL,
            market_value REAL NOT NULL,
            unrealized_pnl REAL NOT NULL,
            unrealized_pnl_percent REAL NOT NULL,
            signal TEXT,
            signal_id INTEGER REFERENCES signals(id),
            opened_at TEXT NOT NULL
        );
        CREATE TABLE paper_orders (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES paper_accounts(id),
            ticker TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
            order_type TEXT NOT NULL CHECK (order_type IN ('market', 'limit', 'stop', 'stop_limit')),
            quantity INTEGER NOT NULL,
            filled_quantity INTEGER NOT NULL,
            limit_price REAL,
            stop_price REAL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'filled', 'partially_filled', 'cancelled', 'rejected')),
            reject_reason TEXT,
            commission REAL NOT NULL,
            slippage REAL NOT NULL,
            purpose TEXT NOT NULL,
            signal TEXT,
            signal_id INTEGER REFERENCES signals(id),
            submitted_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE TABLE paper_trades (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES paper_accounts(id),
            order_id INTEGER NOT NULL REFERENCES paper_orders(id),
            ticker TEXT NOT NULL,
            side TEXT NOT NULL,
            quantity INTEGER NOT NULL,
            price REAL NOT NULL,
            reference_price REAL NOT NULL,
            commission REAL NOT NULL,
            slippage REAL NOT NULL,
            realized_pnl REAL,
            fill_rule TEXT NOT NULL,
            cash_after REAL NOT NULL,
            position_after INTEGER NOT NULL,
            signal_id INTEGER REFERENCES signals(id),
            executed_at TEXT NOT NULL
        );
        CREATE TABLE paper_account_snapshots (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES paper_accounts(id),
            date TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            cash REAL NOT NULL,
            market_value REAL NOT NULL,
            equity REAL NOT NULL,
            realized_pnl REAL NOT NULL,
            unrealized_pnl REAL NOT NULL,
            commissions REAL NOT NULL,
            open_positions INTEGER NOT NULL,
            sharpe_ratio REAL,
            drawdown REAL NOT NULL
        );
        CREATE TABLE agent_status (
            id INTEGER PRIMARY KEY,
            agent_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('learning', 'paper_trading', 'live')),
            step TEXT NOT NULL,
            eligible INTEGER NOT NULL,
            robust INTEGER NOT NULL,
            forced INTEGER NOT NULL,
            reason TEXT NOT NULL,
            decided_at TEXT
        );
        CREATE TABLE signals (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES paper_accounts(id),
            agent_id TEXT NOT NULL,
            ticker TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
            price REAL NOT NULL,
            strength REAL,
            reason TEXT NOT NULL,
            acted_on INTEGER NOT NULL,
            generated_at TEXT NOT NULL
        );
        CREATE TABLE risk_events (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES paper_accounts(id),
            occurred_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        """

    /// A lane's scratch database: its rows of the lane tables, and the reference-price P&L of each position
    /// by the order that opened it (for the variant comparison's attribution, joined across lanes by
    /// ticker, side and decision time). Never published.
    static var laneTables: String {
        let published = tables.components(separatedBy: "CREATE TABLE ").filter { part in
            laneTableNames.contains { part.hasPrefix($0 + " (") }
        }.map { "CREATE TABLE " + $0 }.joined()
        return published + """
            CREATE TABLE reference_pnl (
                ticker TEXT NOT NULL,
                side TEXT NOT NULL,
                submitted_at TEXT NOT NULL,
                pnl INTEGER NOT NULL
            );
            """
    }

    /// Made in a lane's scratch database when its lane has ended: the keys of its filled orders, for the join.
    static let laneFilledIndex = "CREATE INDEX filled_orders ON paper_orders(ticker, side, submitted_at) WHERE status = 'filled';"
}
