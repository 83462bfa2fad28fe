import TapebenchCore

/// The columns of a CSV fill log by role, found by name (case, spaces, `_`, `-`, `/` and `.` ignored) or
/// declared (`--column price=Fill Px`). A declared name wins; a role that cannot be found is an error that
/// names the header and says what to declare.
struct FillColumns {
    enum Role: String, CaseIterable {
        case time, ticker, side, quantity, price
        case decisionTime = "decision_time"
        case orderType = "order_type"
        case orderID = "order_id"
        /// IB's `LevelOfDetail`: rows other than EXECUTION are summaries.
        case levelOfDetail = "level_of_detail"
        /// Tapebench's fills.csv: the fill model the row was replayed under.
        case variant
    }

    /// Accepted names per role, normalized, most specific first.
    static let aliases: [Role: [String]] = [
        .time: ["time", "datetime", "exectime", "executiontime", "transactiontime", "filltime", "tradetime", "timestamp",
                "filledat", "executedat", "date"],
        .ticker: ["ticker", "symbol", "sym", "instrument"],
        .side: ["side", "buysell", "action", "direction"],
        .quantity: ["quantity", "qty", "amount", "filledqty", "shares", "size", "execqty"],
        .price: ["price", "tradeprice", "fillprice", "execprice", "executionprice", "avgprice", "filledavgprice"],
        .decisionTime: ["decisiontime", "ordertime", "submittedat", "signaltime", "decidedat", "ordertimestamp"],
        .orderType: ["ordertype", "type"],
        .orderID: ["orderid", "iborderid", "order"],
        .levelOfDetail: ["levelofdetail"],
        .variant: ["variant"],
    ]

    static let required: [Role] = [.time, .ticker, .quantity, .price]

    var header: [String]
    var index: [Role: Int] = [:]

    static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { !" _-/.".contains($0) })
    }

    /// The roles `declared` names (role → column name) must be known roles and name columns of the header.
    init(header: [String], declared: [String: String], file: String, line: Int) throws {
        self.header = header
        let normalizedHeader = header.map(FillColumns.normalized)
        for role in declared.keys.sorted() {
            guard let known = Role(rawValue: role) else {
                throw InputError(file: "--column", field: role,
                                 message: "unknown role; expected one of: \(Role.allCases.filter { $0 != .levelOfDetail && $0 != .variant }.map(\.rawValue).joined(separator: ", "))")
            }
            let name = declared[role]!
            guard let position = header.firstIndex(of: name) ?? normalizedHeader.firstIndex(of: FillColumns.normalized(name)) else {
                throw InputError(file: file, line: line, field: role,
                                 message: "declared column \(InputError.quote(name)) is not in the header \(InputError.quote(header.joined(separator: ",")))")
            }
            index[known] = position
        }
        for role in Role.allCases where index[role] == nil {
            for alias in FillColumns.aliases[role]! {
                if let position = normalizedHeader.firstIndex(of: alias), !index.values.contains(position) {
                    index[role] = position
                    break
                }
            }
        }
        // backtrader's `amount` is signed and there is no side column; elsewhere a side column is needed.
        let missing = FillColumns.required.filter { index[$0] == nil }
        if let role = missing.first {
            throw InputError(file: file, line: line,
                             message: "cannot tell the fill log's columns: no \(role.rawValue) column in \(InputError.quote(header.joined(separator: ","))); declare it with --column \(role.rawValue)=NAME (roles: time, ticker, side, quantity, price, decision_time, order_type, order_id)")
        }
    }

    func name(_ role: Role) -> String? { index[role].map { header[$0] } }

    /// Enough fields for every column found (a short row is an error, not a missing value).
    var requiredWidth: Int { FillColumns.required.compactMap { index[$0] }.max().map { $0 + 1 } ?? 0 }

    /// The layout the header looks like, for the report.
    var layout: FillLogLayout {
        let names = Set(header.map(FillColumns.normalized))
        if header == ["order_id", "agent", "variant", "time", "ticker", "side", "type", "quantity", "price", "commission", "slippage", "rule"] { return .tapebench }
        if names.isSuperset(of: ["buysell", "tradeprice", "datetime"]) { return .ibFlex }
        if names.isSuperset(of: ["date", "amount", "price", "sid", "symbol", "value"]) { return .backtrader }
        if names.isSuperset(of: ["exectime", "side", "qty", "symbol", "price"]) { return .thinkorswim }
        return .columns
    }
}
