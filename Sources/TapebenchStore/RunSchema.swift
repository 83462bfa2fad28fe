/// The run database's schema for other modules (paper mode writes the same tables live): the statements
/// that make the tables, the `user_version` they stand for, and how an account's rows are numbered.
public enum RunSchema {
    public static var version: Int { Schema.version }
    public static var tables: String { Schema.tables }

    /// The rows an account may have in each table: its rows are numbered `account × 10⁹ + n`, n from 1.
    public static let rowsPerAccount: Int64 = 1_000_000_000

    /// The id of the account's `number`-th row of a table (an order's or a trade's own id, or a count), nil
    /// when it falls outside the account's range: `number` not in 1..<10⁹, or an account beyond Int64's ids.
    public static func rowID(account: Int64, number: Int64) -> Int64? {
        guard account >= 0, number > 0, number < rowsPerAccount else { return nil }
        let (base, overflow) = account.multipliedReportingOverflow(by: rowsPerAccount)
        return overflow || base > .max - rowsPerAccount ? nil : base + number
    }

    /// A condition picking the account's rows of a table: the range of ids that numbering gives it, so SQLite
    /// reads only that range of the table's own b-tree, and `account_id` besides. No index on `account_id` is
    /// kept: updating one at every insert cost 4.9 % of a 200 × 13 run's instructions (cachegrind, 4.644 G →
    /// 4.419 G).
    public static func accountRows(_ account: Int64) -> String {
        guard let first = rowID(account: account, number: 1), let last = rowID(account: account, number: rowsPerAccount - 1) else {
            return "account_id = \(account)"
        }
        return "id BETWEEN \(first) AND \(last) AND account_id = \(account)"
    }

    /// `accountRows` for an account given by an SQL expression (`a.id` in a correlated subquery).
    public static func accountRows(of expression: String, alias: String) -> String {
        "\(alias).id BETWEEN \(expression) * \(rowsPerAccount) + 1 AND \(expression) * \(rowsPerAccount) + \(rowsPerAccount - 1) AND \(alias).account_id = \(expression)"
    }
}
