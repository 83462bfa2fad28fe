import Foundation
import TapebenchCore

/// Reads pages of the Polygon REST aggregates endpoint (`/v2/aggs/ticker/{T}/range/1/minute/…`):
/// `t` is the bar start in milliseconds UTC, `v` may be fractional, `vw` and `n` may be absent,
/// `results` is absent when empty. A status other than OK or DELAYED is an error naming the file.
public enum PolygonRestReader {
    struct Page: Decodable {
        var ticker: String?
        var status: String?
        var results: [Aggregate]?
        var next_url: String?
    }

    struct Aggregate: Decodable {
        var o: Double
        var h: Double
        var l: Double
        var c: Double
        var v: Double?
        var vw: Double?
        var n: Double?
        var t: Int64
    }

    /// One page: its ticker and bars in the page's order.
    public struct PageContents: Sendable {
        public var ticker: String
        public var bars: [Bar]
        public var nextURL: String?
    }

    /// A page is read whole, so it is bounded: Polygon's largest page (50 000 bars) is about 5 MB.
    public static let maximumPageBytes = 64 << 20

    public static func readPage(path: String, data: Data? = nil) throws -> PageContents {
        let bytes: Data
        if let data {
            bytes = data
        } else {
            // Only a regular file: a FIFO named x.json would block the read forever.
            bytes = Data(try InputFile(path: path).readAll(limit: maximumPageBytes, what: "a REST page"))
        }
        let page: Page
        do {
            page = try JSONDecoder().decode(Page.self, from: bytes)
        } catch let error as DecodingError {
            if case .dataCorrupted = error, let syntax = syntaxError(bytes) {
                throw InputError(file: path, line: syntax.line, message: "not valid JSON: \(syntax.message)")
            }
            // Foundation says "not valid JSON", without a place, of a number it cannot hold: find it.
            if case .dataCorrupted = error, fieldOf(error) == nil, let number = JSONNumberLocator.unreadable(Array(bytes)) {
                throw InputError(file: path, line: number.line, field: number.path,
                                 message: "the number \(InputError.quote(number.text)) cannot be read: \(number.reason)")
            }
            throw InputError(file: path, field: fieldOf(error), message: describe(error))
        }
        guard let status = page.status else {
            throw InputError(file: path, field: "status", message: "missing; expected a Polygon aggregates response")
        }
        guard status == "OK" || status == "DELAYED" else {
            throw InputError(file: path, field: "status", message: "the response says \(InputError.quote(status)), not OK or DELAYED")
        }
        guard let ticker = page.ticker, !ticker.isEmpty else {
            throw InputError(file: path, field: "ticker", message: "missing; a page of aggregates names its ticker")
        }
        var bars: [Bar] = []
        bars.reserveCapacity(page.results?.count ?? 0)
        for (i, agg) in (page.results ?? []).enumerated() {
            // Every number is refused here, with its line, when Tapebench cannot hold it (Limits).
            func fail(_ key: String, _ message: String) -> InputError {
                InputError(file: path, line: JSONLocator.line(of: [.key("results"), .index(i), .key(key)], in: bytes),
                           field: "results[\(i)].\(key)", message: message)
            }
            func price(_ value: Double, _ key: String) throws -> Price {
                guard value.isFinite, value > 0 else { throw fail(key, "prices must be positive numbers, got \(value)") }
                guard let fixed = Fixed(rounding: value), Limits.priceProblem(fixed) == nil else {
                    throw fail(key, Limits.priceProblem(value) ?? "\(value) cannot be held as a price")
                }
                return fixed
            }
            let (open, high, low, close) = (try price(agg.o, "o"), try price(agg.h, "h"), try price(agg.l, "l"), try price(agg.c, "c"))
            let vwap = try agg.vw.map { vw -> Price in
                guard let fixed = Fixed(rounding: vw), Limits.priceProblem(fixed) == nil else { throw fail("vw", Limits.priceProblem(vw) ?? "\(vw) cannot be held as a price") }
                return fixed
            }
            if let v = agg.v, let problem = Limits.volumeProblem(v) { throw fail("v", problem) }
            let trades = try agg.n.map { n -> Int64 in
                guard let whole = Int64(exactly: n), whole >= 0 else { throw fail("n", "expected a whole number of trades, got \(n)") }
                return whole
            }
            let (start, overflow) = agg.t.multipliedReportingOverflow(by: 1_000_000)
            guard !overflow else { throw fail("t", "\(agg.t) milliseconds is outside the times Tapebench reads, the years 1900 to 2149") }
            if let problem = Limits.timeProblem(Timestamp(nanoseconds: start)) { throw fail("t", problem) }
            bars.append(Bar(ticker: ticker, start: Timestamp(nanoseconds: start), open: open, high: high, low: low, close: close,
                            volume: agg.v ?? 0, vwap: vwap, tradeCount: trades))
        }
        return PageContents(ticker: ticker, bars: bars, nextURL: page.next_url)
    }

    static func fieldOf(_ error: DecodingError) -> String? {
        let path: [CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: return nil
        }
        guard !path.isEmpty else { return nil }
        return path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }

    /// Foundation's decoder does not say where JSON is malformed; its parser gives a character offset,
    /// which becomes a line number here.
    static func syntaxError(_ bytes: Data) -> (line: Int?, message: String)? {
        do {
            _ = try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
            return nil
        } catch {
            let message = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
            guard let range = message.range(of: "character "), let offset = Int(message[range.upperBound...].prefix { $0.isNumber }) else {
                return (nil, message)
            }
            let line = bytes.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            return (line, message)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing key \(InputError.quote(key.stringValue))"
        case .typeMismatch(let type, _): return "expected \(type)"
        case .valueNotFound(let type, _): return "expected \(type), found null"
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError { return "not valid JSON: \(underlying.localizedDescription)" }
            return context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
