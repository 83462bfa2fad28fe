import Foundation
import TapebenchCore
import TapebenchData

/// One order of a tape: submitted at the close of the bar of its ticker that starts at `time` (or the
/// first bar after it, when that minute has none), so it can fill from the next bar on.
public struct TapeOrder: Sendable, Hashable {
    public var time: Timestamp
    public var ticker: String
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Int64
    public var limitPrice: Price?
    public var stopPrice: Price?
    /// The tape's line, for the audit trail.
    public var line: Int
}

/// An order tape: a CSV of `time,ticker,side,type,quantity,limit_price,stop_price`, time as ISO 8601 with
/// an offset or epoch nanoseconds. How users reconcile Tapebench with another system.
public struct OrderTape: Sendable {
    public var file: String
    /// Orders per ticker, in time order.
    public var orders: [String: [TapeOrder]]

    public static let header = ["time", "ticker", "side", "type", "quantity", "limit_price", "stop_price"]

    /// Reads a tape: UTF-8 text with LF, CRLF or CR line endings, fields quoted or not (RFC 4180), lines at
    /// most 1 MiB; only a regular file (a FIFO would block).
    public static func load(path: String) throws -> OrderTape {
        let file = try InputFile(path: path)
        var splitter = LineSplitter(source: path, quoted: true)
        splitter.separator = UInt8(ascii: ",")
        var rows = Rows(path: path)
        try file.forEachBlock { block in try splitter.feed(block) { try rows.line($0, $1) } }
        try splitter.finish { try rows.line($0, $1) }
        guard rows.sawHeader else {
            throw InputError(file: path, line: 1, message: "empty file: expected the header \(header.joined(separator: ","))")
        }
        var byTicker = rows.byTicker
        for ticker in byTicker.keys { byTicker[ticker]!.sort { ($0.time, $0.line) < ($1.time, $1.line) } }
        return OrderTape(file: path, orders: byTicker)
    }

    /// The tape's lines as they are read: the header, then one order per line.
    struct Rows {
        let path: String
        var sawHeader = false
        var byTicker: [String: [TapeOrder]] = [:]
        var fields: [Range<Int>] = []
        var scratch: [UInt8] = []

        init(path: String) { self.path = path }

        mutating func line(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
            let texts = split(line)
            if !sawHeader {
                guard texts == OrderTape.header else {
                    throw InputError(file: path, line: number, message: "expected the header \(OrderTape.header.joined(separator: ",")), got \(InputError.quote(line))")
                }
                sawHeader = true
                return
            }
            if texts.allSatisfy(\.isEmpty) { return }
            let order = try OrderTape.order(texts, path: path, number: number)
            byTicker[order.ticker, default: []].append(order)
        }

        mutating func split(_ line: UnsafeBufferPointer<UInt8>) -> [String] {
            if CSVFields.hasQuote(line) {
                CSVFields.splitQuoted(line, separator: UInt8(ascii: ","), into: &fields, scratch: &scratch)
                return scratch.withUnsafeBufferPointer { s in fields.map { s.text($0).trimmingCharacters(in: .whitespaces) } }
            }
            splitFields(line, separator: UInt8(ascii: ","), into: &fields)
            return fields.map { line.text($0).trimmingCharacters(in: .whitespaces) }
        }
    }

    static func order(_ fields: [String], path: String, number: Int) throws -> TapeOrder {
        guard fields.count == header.count else {
            throw InputError(file: path, line: number, message: "expected \(header.count) fields, found \(fields.count)")
        }
        func fail(_ field: String, _ message: String) -> InputError { InputError(file: path, line: number, field: field, message: message) }
        let time: Timestamp
        if let ns = Int64(fields[0]) {
            time = Timestamp(nanoseconds: ns)
        } else {
            var bytes = Array(fields[0].utf8)
            guard let parsed = bytes.withUnsafeMutableBufferPointer({ DateTimeText.dateTime(UnsafeBufferPointer($0), order: .mdy) }),
                  parsed.utcOffsetSeconds != nil, parsed.hasTime else {
                throw fail("time", "expected ISO 8601 with an offset (2024-03-11T09:45:00-04:00) or epoch nanoseconds, got \(InputError.quote(fields[0]))")
            }
            time = parsed.instant(in: .utc)
        }
        guard !fields[1].isEmpty else { throw fail("ticker", "empty") }
        guard let side = OrderSide(rawValue: fields[2]) else { throw fail("side", "expected buy or sell, got \(InputError.quote(fields[2]))") }
        guard let type = OrderType(rawValue: fields[3]) else { throw fail("type", "expected market, limit, stop or stop_limit, got \(InputError.quote(fields[3]))") }
        guard let quantity = Int64(fields[4]), quantity > 0, quantity <= Limits.maxShares else {
            throw fail("quantity", "expected a whole number of shares from 1 to \(Limits.maxShares), got \(InputError.quote(fields[4]))")
        }
        func price(_ column: Int, _ name: String, required: Bool) throws -> Price? {
            if fields[column].isEmpty {
                if required { throw fail(name, "required for a \(type.rawValue) order") }
                return nil
            }
            guard let value = Fixed(parsing: fields[column]), value.raw > 0 else { throw fail(name, "expected a positive price, got \(InputError.quote(fields[column]))") }
            if let problem = Limits.priceProblem(value) { throw fail(name, problem) }
            return value
        }
        let limit = try price(5, "limit_price", required: type == .limit || type == .stopLimit)
        let stop = try price(6, "stop_price", required: type == .stop || type == .stopLimit)
        return TapeOrder(time: time, ticker: fields[1], side: side, type: type, quantity: quantity, limitPrice: limit, stopPrice: stop, line: number)
    }

    /// A row dated outside the replayed data's period is an error, not an order submitted at a bar long
    /// after its time (a row of 1900 at the first bar of 2024) or never. The period is the trading dates
    /// (America/New_York) from the data's first bar to its last; a row on those days before a ticker's
    /// first bar waits for it, as any row waits for the next bar.
    public func checkPeriod(firstBar: Timestamp, lastBar: Timestamp) throws {
        let first = EasternTime.local(firstBar).date, last = EasternTime.local(lastBar).date
        let rows = orders.values.flatMap { $0 }.sorted { $0.line < $1.line }
        guard let row = rows.first(where: { EasternTime.local($0.time).date < first || last < EasternTime.local($0.time).date }) else { return }
        throw InputError(file: file, line: row.line, field: "time",
                         message: "\(row.time.iso8601) is outside the data's period (\(first) to \(last), America/New_York dates); a tape's orders must fall inside the data it replays on")
    }
}
