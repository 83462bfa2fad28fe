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

    public static func load(path: String) throws -> OrderTape {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the order tape")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let first = lines.first, first.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) == header else {
            throw InputError(file: path, line: 1, message: "expected the header \(header.joined(separator: ","))")
        }
        var byTicker: [String: [TapeOrder]] = [:]
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let number = index + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
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
                    throw fail("time", "expected ISO 8601 with an offset (2024-03-11T09:45:00-04:00) or epoch nanoseconds, got '\(fields[0])'")
                }
                time = parsed.instant(in: .utc)
            }
            guard !fields[1].isEmpty else { throw fail("ticker", "empty") }
            guard let side = OrderSide(rawValue: fields[2]) else { throw fail("side", "expected buy or sell, got '\(fields[2])'") }
            guard let type = OrderType(rawValue: fields[3]) else { throw fail("type", "expected market, limit, stop or stop_limit, got '\(fields[3])'") }
            guard let quantity = Int64(fields[4]), quantity > 0, quantity <= Limits.maxShares else {
                throw fail("quantity", "expected a whole number of shares from 1 to \(Limits.maxShares), got '\(fields[4])'")
            }
            func price(_ column: Int, _ name: String, required: Bool) throws -> Price? {
                if fields[column].isEmpty {
                    if required { throw fail(name, "required for a \(type.rawValue) order") }
                    return nil
                }
                guard let value = Fixed(parsing: fields[column]), value.raw > 0 else { throw fail(name, "expected a positive price, got '\(fields[column])'") }
                if let problem = Limits.priceProblem(value) { throw fail(name, problem) }
                return value
            }
            let limit = try price(5, "limit_price", required: type == .limit || type == .stopLimit)
            let stop = try price(6, "stop_price", required: type == .stop || type == .stopLimit)
            byTicker[fields[1], default: []].append(TapeOrder(time: time, ticker: fields[1], side: side, type: type, quantity: quantity,
                                                              limitPrice: limit, stopPrice: stop, line: number))
        }
        for ticker in byTicker.keys { byTicker[ticker]!.sort { ($0.time, $0.line) < ($1.time, $1.line) } }
        return OrderTape(file: path, orders: byTicker)
    }
}

/// A tape replays orders, it reads no signals.
public struct OrderTapeAgent: Agent {
    public let id: String
    public let tape: OrderTape

    public func scan(ticker: String, window: BarWindow, recent: Int, held: Int64) -> [Signal] { [] }
}
