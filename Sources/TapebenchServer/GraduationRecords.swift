import GRDB
import TapebenchCore
import TapebenchEngine
import TapebenchLedger
import TapebenchStore

/// An agent's graduation records read from the database, one per account (fill-model variant), built from
/// the same rows a replay's lane booked: the daily snapshots' equities, the closing trades (a win is a
/// realized P&L above zero, as `Account` counts it) and the signals, each dated by the trading day of its
/// bar (`GraduationJudge.dateOf`). Judged by `GraduationJudge`, as `tapebench graduate` judges a lane.
enum GraduationRecords {
    static func records(_ db: Database, agent: String) throws -> [GraduationRecord] {
        let accounts = try Row.fetchAll(db, sql: """
            SELECT id, variant, initial_balance, total_pnl, win_rate FROM paper_accounts WHERE agent_id = ? ORDER BY id
            """, arguments: [agent])
        guard !accounts.isEmpty else { throw APIError.notFound("no agent \(SafeName.quoted(agent)) in this database") }
        return try accounts.map { account in
            let id: Int64 = account["id"]
            let initial = money(account["initial_balance"]), total = money(account["total_pnl"])
            let days = try Row.fetchAll(db, sql: "SELECT date, equity FROM paper_account_snapshots WHERE account_id = ? ORDER BY date, id",
                                        arguments: [id]).compactMap { row -> (date: CivilDate, equity: Money)? in
                CivilDate(iso: row["date"] as String).map { ($0, money(row["equity"])) }
            }
            var closes: [CivilDate: LaneTotals.DayTotals] = [:]
            var closing = 0, wins = 0
            let trades = try Row.fetchCursor(db, sql: """
                SELECT executed_at, realized_pnl FROM paper_trades WHERE \(RunSchema.accountRows(id)) AND realized_pnl IS NOT NULL
                """)
            while let row = try trades.next() {
                closing += 1
                let won = (row["realized_pnl"] as Double) > 0
                if won { wins += 1 }
                guard let time = parseTime(row["executed_at"]) else { continue }
                let date = GraduationJudge.dateOf(time)
                closes[date, default: LaneTotals.DayTotals()].closes += 1
                if won { closes[date, default: LaneTotals.DayTotals()].wins += 1 }
            }
            var signalsByDate: [CivilDate: Int] = [:]
            var signals = 0
            let rows = try String.fetchCursor(db, sql: "SELECT generated_at FROM signals WHERE \(RunSchema.accountRows(id))")
            while let text = try rows.next() {
                signals += 1
                if let time = parseTime(text) { signalsByDate[GraduationJudge.dateOf(time), default: 0] += 1 }
            }
            return GraduationRecord(
                agent: agent, variant: account["variant"], initialBalance: initial, days: days, closesByDate: closes, signalsByDate: signalsByDate,
                winRate: closing == 0 ? 0 : Double(wins) / Double(closing),
                sharpe: GraduationRecord.sharpe(initialBalance: initial, dailyEquities: days.map(\.equity)),
                returnFraction: initial.raw == 0 ? 0 : Double(total.raw) / Double(initial.raw), signals: signals, closingTrades: closing)
        }
    }

    /// A REAL money column as fixed point (the database rounds exact amounts to doubles; back to 1e-8 they
    /// come out as they were, for amounts under 10⁷ with cents).
    static func money(_ value: Double) -> Money { Money(rounding: value) ?? .zero }

    /// `2024-03-04T14:31:00Z` (a fraction allowed) as an instant; nil for other text.
    static func parseTime(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z"),
              let date = CivilDate(iso: text.prefix(10)) else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for b in bytes[range] {
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int64(b - 48)
            }
            return value
        }
        guard bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 61 else { return nil }
        return Timestamp(seconds: date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second)
    }
}
