import Foundation
import TapebenchCore
import TapebenchData
import TapebenchExecution

/// What a tape row does: place an order, cancel one, or cancel one and place its replacement.
public enum TapeAction: String, Sendable, Hashable, CaseIterable {
    case new
    case cancel
    case replace
}

/// One row of an order tape, acted on at the close of the bar of its ticker that starts at `time` (or the
/// first bar after it, when that minute has none): a new order can fill from the next bar on; a cancel takes
/// its order off before that; a replace cancels its order and places the replacement, which fills from the
/// next bar on. A cancel or replace row carries the order it names (ticker, side, type, and for a cancel its
/// quantity and prices) as the tape last set them.
public struct TapeOrder: Sendable, Hashable {
    public var time: Timestamp
    public var ticker: String
    public var side: OrderSide
    public var type: OrderType
    /// Shares; for a replace, the order's new total (filled shares included, as FIX's OrderQty).
    public var quantity: Int64
    public var limitPrice: Price?
    public var stopPrice: Price?
    /// The tape's line, for the audit trail.
    public var line: Int
    /// The order's name on the tape (`client_id`), by which later rows cancel or replace it.
    public var clientID: String?
    public var action: TapeAction = .new
    /// backtesting.py's contingent stop-loss and take-profit of the trade the order opens (columns `sl`, `tp`).
    public var stopLoss: Price?
    public var takeProfit: Price?
}

/// An order tape: a CSV of `time,ticker,side,type,quantity,limit_price,stop_price[,client_id[,action]][,sl][,tp]`,
/// time as ISO 8601 with an offset or epoch nanoseconds. How users reconcile Tapebench with another system.
public struct OrderTape: Sendable {
    public var file: String
    /// Rows per ticker, in (time, line) order.
    public var orders: [String: [TapeOrder]]

    public static let header = ["time", "ticker", "side", "type", "quantity", "limit_price", "stop_price"]
    /// The accepted headers: the seven columns, then optionally `client_id`, then optionally `action`, then
    /// optionally `sl` and/or `tp` (backtesting.py's contingent stop-loss and take-profit).
    public static let headers = [[], ["client_id"], ["client_id", "action"]].flatMap { names in
        [[], ["sl"], ["tp"], ["sl", "tp"]].map { header + names + $0 }
    }
    static let headerText = header.joined(separator: ",") + "[,client_id[,action]][,sl][,tp]"

    /// The first row (by line) giving `sl` or `tp`, with the column.
    public var firstContingentRow: (file: String, line: Int, field: String)? {
        var first: TapeOrder?
        for rows in orders.values {
            for row in rows where (row.stopLoss != nil || row.takeProfit != nil) && first.map({ row.line < $0.line }) ?? true { first = row }
        }
        return first.map { (file, $0.line, $0.stopLoss != nil ? "sl" : "tp") }
    }

    /// Reads a tape (see `TapeCSV` for what text is accepted). A cancel or replace row must name, by
    /// `client_id`, an order of an earlier row (earlier in time, or the same time and an earlier line);
    /// a name no earlier row gave is an error, as is a `new` row reusing a name still in use.
    public static func load(path: String) throws -> OrderTape {
        var columns: Columns?
        var rows: [TapeOrder] = []
        // Room for the rows at once, as many as a file of 24-byte rows holds, up to a million (a row is at least 20
        // bytes, `0,T,buy,market,1,,`, and mostly 40 or more): grown by doubling, the array was copied a dozen
        // times, each time into memory touched for the first time (≈ 530 page faults on the peers tape).
        var info = stat()
        if stat(path, &info) == 0, info.st_size > 0 { rows.reserveCapacity(Int(min(info.st_size / 24, 1 << 20))) }
        var named = false
        try TapeCSV.forEachRow(path: path, headers: headers, described: headerText) { header, fields, line in
            if columns == nil { columns = Columns(header) }
            let row = try row(fields, columns: columns!, path: path, number: line)
            named = named || row.clientID != nil
            rows.append(row)
        }
        rows.sort { ($0.time, $0.line) < ($1.time, $1.line) }
        if named { try completeNamed(&rows, path: path) }
        // One ticker (a tape of one strategy's orders, often): its rows as they are, not grouped row by row.
        if let ticker = rows.first?.ticker, rows.allSatisfy({ $0.ticker == ticker }) {
            return OrderTape(file: path, orders: [ticker: rows])
        }
        return OrderTape(file: path, orders: Dictionary(grouping: rows, by: \.ticker))
    }

    /// Where the optional columns are in a tape's header.
    struct Columns {
        var clientID, action, stopLoss, takeProfit: Int?

        init(_ header: [String]) {
            clientID = header.firstIndex(of: "client_id")
            action = header.firstIndex(of: "action")
            stopLoss = header.firstIndex(of: "sl")
            takeProfit = header.firstIndex(of: "tp")
        }
    }

    /// Checks and completes the cancel and replace rows of `rows` (in (time, line) order) from the orders
    /// they name, as the tape left them so far.
    static func completeNamed(_ rows: inout [TapeOrder], path: String) throws {
        var named: [String: TapeOrder] = [:]
        for index in rows.indices {
            let row = rows[index]
            guard let id = row.clientID else { continue }
            func fail(_ field: String, _ message: String) -> InputError { InputError(file: path, line: row.line, field: field, message: message) }
            if row.action == .new {
                if let earlier = named[id] { throw fail("client_id", "\(InputError.quote(id)) already names the order of line \(earlier.line); give each order its own client_id") }
                named[id] = row
                continue
            }
            guard let original = named[id] else {
                throw fail("client_id", "\(InputError.quote(id)) names no order of an earlier row (a \(row.action.rawValue) must follow, in time, the row that placed the order)")
            }
            rows[index] = try complete(row, original: original, fail: fail)
            if row.action == .replace { named[id] = rows[index] }
        }
    }

    /// A cancel or replace row filled in from the order it names; what it gives must agree with that order.
    static func complete(_ row: TapeOrder, original: TapeOrder, fail: (String, String) -> InputError) throws -> TapeOrder {
        var done = row
        if !row.ticker.isEmpty && row.ticker != original.ticker { throw fail("ticker", "'\(row.ticker)' is not the ticker of the order it names (\(original.ticker), line \(original.line))") }
        done.ticker = original.ticker
        done.side = original.side
        done.type = original.type
        if row.action == .cancel {
            done.quantity = original.quantity
            done.limitPrice = original.limitPrice
            done.stopPrice = original.stopPrice
            return done
        }
        if row.quantity == 0 { done.quantity = original.quantity }
        done.limitPrice = row.limitPrice ?? original.limitPrice
        done.stopPrice = row.stopPrice ?? original.stopPrice
        done.stopLoss = row.stopLoss ?? original.stopLoss
        done.takeProfit = row.takeProfit ?? original.takeProfit
        try checkBracket(done, fail: fail)
        return done
    }

    /// One row, its fields read from the line's bytes: only the ticker and a client id become strings (and a
    /// field an error quotes).
    static func row(_ fields: TapeCSV.Fields, columns: Columns, path: String, number: Int) throws -> TapeOrder {
        func fail(_ field: String, _ message: String) -> InputError { InputError(file: path, line: number, field: field, message: message) }
        let time = try fields.withBytes(0) { try TapeCSV.time(bytes: $0, fail: fail) }
        // Whether an optional column's field is empty (as it is where the header has no such column).
        func isEmpty(_ column: Int?) -> Bool { column.map { fields.isEmpty($0) } ?? true }
        let clientID = isEmpty(columns.clientID) ? nil : fields.text(columns.clientID!)
        var action = TapeAction.new
        if let column = columns.action, !fields.isEmpty(column) {
            guard let given = member(fields, column, of: TapeAction.self) else {
                throw fail("action", "expected new, cancel or replace, got \(InputError.quote(fields.text(column)))")
            }
            action = given
        }
        if let clientID, let problem = SafeName.problem(clientID) { throw fail("client_id", problem) }
        if action != .new {
            guard clientID != nil else { throw fail("client_id", "required for a \(action.rawValue) row: the client_id of the order it \(action == .cancel ? "cancels" : "replaces")") }
            // Side and type come from the order named; a cancel takes nothing else.
            for (column, name) in [(2, "side"), (3, "type")] where !fields.isEmpty(column) {
                throw fail(name, "leave it empty on a \(action.rawValue) row: it is the named order's")
            }
            if action == .cancel {
                for (column, name) in [(4, "quantity"), (5, "limit_price"), (6, "stop_price")] where !fields.isEmpty(column) {
                    throw fail(name, "leave it empty on a cancel row")
                }
                for (column, name) in [(columns.stopLoss, "sl"), (columns.takeProfit, "tp")] where !isEmpty(column) {
                    throw fail(name, "leave it empty on a cancel row")
                }
            }
        } else {
            guard !fields.isEmpty(1) else { throw fail("ticker", "empty") }
        }
        let side = action != .new ? OrderSide.buy : try { () throws -> OrderSide in
            guard let side = member(fields, 2, of: OrderSide.self) else { throw fail("side", "expected buy or sell, got \(InputError.quote(fields.text(2)))") }
            return side
        }()
        let type = action != .new ? OrderType.market : try { () throws -> OrderType in
            guard let type = member(fields, 3, of: OrderType.self) else {
                throw fail("type", "expected market, limit, stop or stop_limit, got \(InputError.quote(fields.text(3)))")
            }
            return type
        }()
        var quantity: Int64 = 0  // 0: the named order's (a cancel, or a replace that changes only prices)
        if action == .new || !fields.isEmpty(4) {
            guard let q = fields.withBytes(4, FieldParsing.integer), q > 0, q <= Limits.maxShares else {
                throw fail("quantity", "expected a whole number of shares from 1 to \(Limits.maxShares), got \(InputError.quote(fields.text(4)))")
            }
            quantity = q
        }
        func price(_ column: Int?, _ name: String, required: Bool) throws -> Price? {
            guard let column, !fields.isEmpty(column) else {
                if required { throw fail(name, "required for a \(type.rawValue) order") }
                return nil
            }
            guard let value = fields.withBytes(column, Fixed.parse), value.raw > 0 else {
                throw fail(name, "expected a positive price, got \(InputError.quote(fields.text(column)))")
            }
            if let problem = Limits.priceProblem(value) { throw fail(name, problem) }
            return value
        }
        let isNew = action == .new
        let limit = try price(5, "limit_price", required: isNew && (type == .limit || type == .stopLimit))
        let stop = try price(6, "stop_price", required: isNew && (type == .stop || type == .stopLimit))
        var row = TapeOrder(time: time, ticker: fields.text(1), side: side, type: type, quantity: quantity, limitPrice: limit, stopPrice: stop,
                            line: number, clientID: clientID, action: action)
        row.stopLoss = try price(columns.stopLoss, "sl", required: false)
        row.takeProfit = try price(columns.takeProfit, "tp", required: false)
        if isNew { try checkBracket(row, fail: fail) }
        return row
    }

    /// The case of `Case` whose raw value the field is (`Case(rawValue:)` of its text), compared as bytes.
    static func member<Case: CaseIterable & RawRepresentable>(_ fields: TapeCSV.Fields, _ column: Int, of _: Case.Type) -> Case?
        where Case.RawValue == String {
        Case.allCases.first { fields.equals(column, $0.rawValue) }
    }

    /// A row's `sl` and `tp` as backtesting.py's `new_order` checks them: a buy needs SL < price < TP, a sell
    /// TP < price < SL, the price being the limit, else the stop; a market order's (the decision bar's close
    /// with the spread) is checked when it is placed, its SL and TP against each other here.
    static func checkBracket(_ row: TapeOrder, fail: (String, String) -> InputError) throws {
        let bracket = BacktestingBracket(stopLoss: row.stopLoss, takeProfit: row.takeProfit)
        guard !bracket.isEmpty else { return }
        if let price = row.limitPrice ?? row.stopPrice {
            if let problem = bracket.problem(side: row.side, price: price, what: row.limitPrice != nil ? "limit" : "stop") { throw fail(problem.field, problem.message) }
        } else if let sl = row.stopLoss, let tp = row.takeProfit, row.side == .buy ? sl >= tp : sl <= tp {
            throw fail("sl", "a \(row.side.rawValue)'s stop-loss \(sl) must be \(row.side == .buy ? "below" : "above") its take-profit \(tp)")
        }
    }

    /// A row dated outside the replayed data's period is an error, not an order submitted at a bar long
    /// after its time (a row of 1900 at the first bar of 2024) or never. The period is the trading dates
    /// (America/New_York) from the data's first bar to its last; a row on those days before a ticker's
    /// first bar waits for it, as any row waits for the next bar.
    public func checkPeriod(firstBar: Timestamp, lastBar: Timestamp) throws {
        try TapeCSV.checkPeriod(file: file, rows: orders.values.lazy.joined().map { ($0.time, $0.line) }, firstBar: firstBar, lastBar: lastBar, what: "orders")
    }
}
