import Foundation
import TapebenchCore

/// Alpaca's account activities of type FILL (`GET /v2/account/activities/FILL`): a JSON array of objects
/// with `transaction_time` (UTC), `symbol`, `side` (buy, sell, sell_short), `qty` and `price` as strings,
/// `order_id`; no order type (the fills are read as market orders) and no decision time. The `id` prefix
/// is Eastern wall-clock time and is not used. Activities other than FILL are skipped and counted.
enum AlpacaFills {
    static func read(_ bytes: [UInt8], path: String, hints: FillLogHints) throws -> FillLog {
        let lines = objectLines(bytes)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw InputError(file: path, message: "not valid JSON: expected Alpaca's account activities (a JSON array of fills)")
        }
        let objects: [Any]
        if let array = json as? [Any] { objects = array } else if let one = json as? [String: Any] { objects = [one] } else {
            throw InputError(file: path, line: 1, message: "expected a JSON array of fill activities")
        }
        var fills: [ObservedFill] = []
        var skipped: [(line: Int, reason: String)] = []
        var problems: [InputError] = []
        for (n, item) in objects.enumerated() {
            let line = n < lines.count ? lines[n] : 1
            do {
                guard let object = item as? [String: Any] else { throw InputError(file: path, line: line, field: "[\(n)]", message: "expected an object") }
                if let kind = object["activity_type"] as? String, kind != "FILL" {
                    skipped.append((line, "activity \(InputError.quote(kind)) (not a fill)"))
                    continue
                }
                fills.append(try fill(object, line: line, path: path, hints: hints))
            } catch let error as InputError {
                problems.append(error)
            }
        }
        return FillLog(file: path, layout: .alpaca, fills: fills, skipped: skipped, problems: problems)
    }

    static func fill(_ object: [String: Any], line: Int, path: String, hints: FillLogHints) throws -> ObservedFill {
        func text(_ key: String) throws -> String {
            if let s = object[key] as? String { return s }
            if let n = object[key] as? NSNumber { return n.stringValue }
            throw InputError(file: path, line: line, field: key, message: "missing: every fill needs it")
        }
        func fail(_ key: String, _ message: String) -> InputError { InputError(file: path, line: line, field: key, message: message) }
        let timeText = try text("transaction_time")
        guard let time = FillFields.time(timeText, zone: .utc, order: hints.dateOrder) else {
            throw fail("transaction_time", "expected an ISO 8601 time (2013-10-11T19:20:53.089956Z), got \(InputError.quote(timeText))")
        }
        let symbol = try text("symbol")
        guard !symbol.isEmpty else { throw fail("symbol", "empty") }
        let sideText = try text("side")
        guard let side = FillFields.side(sideText)?.side else { throw fail("side", "expected buy, sell or sell_short, got \(InputError.quote(sideText))") }
        let qtyText = try text("qty")
        guard let quantity = FillFields.signedQuantity(qtyText), quantity > 0 else {
            throw fail("qty", "expected a positive whole number of shares, got \(InputError.quote(qtyText))")
        }
        let priceText = try text("price")
        guard let price = FillFields.price(priceText) else { throw fail("price", "expected a positive price, got \(InputError.quote(priceText))") }
        return ObservedFill(time: time, ticker: symbol.uppercased(), side: side, quantity: quantity, price: price,
                            orderType: nil, orderID: object["order_id"] as? String, line: line)
    }

    /// The line on which each element of the top-level array starts (JSONSerialization keeps no positions).
    static func objectLines(_ bytes: [UInt8]) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0
        var inString = false, escaped = false
        for c in bytes {
            if c == 10 { line += 1 }
            if inString {
                if escaped { escaped = false } else if c == 92 { escaped = true } else if c == 34 { inString = false }
                continue
            }
            switch c {
            case 34: inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 1 || (depth == 0 && c == UInt8(ascii: "{")) { lines.append(line) }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return lines
    }
}
