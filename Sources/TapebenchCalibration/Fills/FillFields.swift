import Foundation
import TapebenchCore
import TapebenchData

/// The values of a fill log's fields, as brokers write them. Each returns nil for a text it cannot read;
/// the caller names the file, line and field.
enum FillFields {
    /// A date and time: ISO 8601 (`2013-10-04T09:58:27-04:00`, `…Z`, fractions), `YYYY-MM-DD HH:MM:SS`,
    /// IB's `yyyyMMdd;HHmmss` (`;`, `,` or space between), `M/D/YY HH:MM:SS` and `M/D/YYYY …` (thinkorswim),
    /// epoch nanoseconds. A time without an offset is in `zone`.
    static func time(_ text: String, zone: TimeZoneRuleName, order: DateOrderName) -> Timestamp? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.allSatisfy(\.isNumber), trimmed.count >= 17, let ns = Int64(trimmed) { return Timestamp(nanoseconds: ns) }
        var normalized = trimmed
        // IB: `20131004;095827` or `20131004,095827`: the compact date and time with a separator.
        if normalized.count == 15, let mark = normalized.firstIndex(where: { $0 == ";" || $0 == "," }),
           normalized.distance(from: normalized.startIndex, to: mark) == 8 {
            normalized.replaceSubrange(mark...mark, with: " ")
        }
        normalized = widenTwoDigitYear(normalized)
        var bytes = Array(normalized.utf8)
        let rule: DateOrder = order == .mdy ? .mdy : .dmy
        guard let parsed = bytes.withUnsafeMutableBufferPointer({ DateTimeText.dateTime(UnsafeBufferPointer($0), order: rule) }),
              parsed.hasTime else { return nil }
        return parsed.instant(in: zone == .utc ? .utc : .exchange)
    }

    /// `10/4/13 …` → `10/4/2013 …` (years 00–69 are 20xx, 70–99 19xx, as POSIX `%y`).
    static func widenTwoDigitYear(_ text: String) -> String {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let date = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        guard date.count == 3, date[2].count == 2, let yy = Int(date[2]) else { return text }
        let year = yy < 70 ? 2000 + yy : 1900 + yy
        let rest = parts.count > 1 ? " " + parts[1] : ""
        return "\(date[0])/\(date[1])/\(year)" + rest
    }

    /// The side, and whether it is a cancellation (IB writes `BUY (Ca.)` for a cancelled trade).
    static func side(_ text: String) -> (side: OrderSide, cancelled: Bool)? {
        var value = text.trimmingCharacters(in: .whitespaces).lowercased()
        var cancelled = false
        if value.hasSuffix("(ca.)") {
            cancelled = true
            value = String(value.dropLast(5)).trimmingCharacters(in: .whitespaces)
        }
        switch value {
        case "buy", "b", "bot", "bought", "buy_to_cover", "buy to cover", "cover": return (.buy, cancelled)
        case "sell", "s", "sld", "sold", "sell_short", "sell short", "short", "ss", "sell_to_close": return (.sell, cancelled)
        default: return nil
        }
    }

    /// A quantity of shares, possibly signed (`+500`, `-300`, `1,000`, `200.0`): a whole number.
    static func signedQuantity(_ text: String) -> Int64? {
        var value = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if value.hasPrefix("+") { value.removeFirst() }
        guard let fixed = Fixed(parsing: value), fixed.raw % Fixed.scale == 0 else { return nil }
        let shares = fixed.raw / Fixed.scale
        guard shares != 0, shares.magnitude <= UInt64(Limits.maxShares) else { return nil }
        return shares
    }

    /// A positive price, exact (`49.06`, `"185.64"`, `$49.06`).
    static func price(_ text: String) -> Price? {
        var value = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if value.hasPrefix("$") { value.removeFirst() }
        guard let price = Fixed(parsing: value), price.raw > 0, Limits.priceProblem(price) == nil else { return nil }
        return price
    }

    /// An order type: `MKT`/`market`, `LMT`/`limit`, `STP`/`stop`, `STPLMT`/`stop_limit`, and close-auction
    /// market orders (`MOC`, `LOC` read as market / limit).
    static func orderType(_ text: String) -> OrderType?? {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
        switch value {
        case "": return .some(nil)
        case "mkt", "market", "moc", "moo", "market_on_close", "market_on_open": return .some(.market)
        case "lmt", "limit", "loc", "loo": return .some(.limit)
        case "stp", "stop": return .some(.stop)
        case "stplmt", "stp_lmt", "stop_limit", "stoplimit": return .some(.stopLimit)
        default: return nil
        }
    }
}
