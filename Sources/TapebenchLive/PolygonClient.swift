import Foundation
import TapebenchCore
import TapebenchData

/// The Polygon aggregates REST API v2 (`/v2/aggs/ticker/{T}/range/1/minute/{from}/{to}`): every page of a
/// range (`next_url`), with retries (`RetryPolicy`). The key goes in an `Authorization: Bearer` header,
/// never in a URL, and only to the base URL's host: a `next_url` is followed by its path and query on the
/// base URL. Every error names the URL with the key taken out (`Redaction`).
public final class PolygonClient: @unchecked Sendable {  // one caller at a time (the recorder or paper mode)
    public static let defaultBaseURL = "https://api.polygon.io"

    public let baseURL: URL
    public let adjusted: Bool
    public let redaction: Redaction
    let key: String
    let transport: any HTTPTransport
    let clock: any WallClock
    let retry: RetryPolicy
    private var random: Xoshiro256
    /// Requests sent and retries waited, for the log and the tests.
    public private(set) var requests = 0
    public private(set) var retries = 0

    /// `transport`: libcurl's (`CurlTransport`) unless given.
    public init(baseURL: String, key: String, adjusted: Bool = true, transport: (any HTTPTransport)? = nil,
                clock: any WallClock = SystemWallClock(), retry: RetryPolicy = RetryPolicy()) throws {
        redaction = Redaction(key: key)
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            throw InputError(file: "--base-url", message: "\(redaction.apply(baseURL)) is not an http(s) URL")
        }
        self.baseURL = url
        self.key = key
        self.adjusted = adjusted
        self.transport = try transport ?? CurlTransport()
        self.clock = clock
        self.retry = retry
        random = Xoshiro256(seed: retry.seed)
    }

    /// Every bar of `ticker` from `from` to `to` (dates `YYYY-MM-DD` or millisecond timestamps, as the API
    /// takes them), in the order of the pages, and whether a page said `DELAYED`.
    public func minuteAggregates(ticker: String, from: String, to: String) throws -> Aggregates {
        let first = "/v2/aggs/ticker/\(ticker)/range/1/minute/\(from)/\(to)?adjusted=\(adjusted)&sort=asc&limit=50000"
        var next: String? = first
        var result = Aggregates()
        while let pathAndQuery = next {
            guard result.pages < 10_000 else { throw InputError(file: redaction.apply(pathAndQuery), message: "more than 10000 pages: next_url loops") }
            let url = try resolve(pathAndQuery)
            let body = try fetch(url)
            let shown = redaction.apply(url.absoluteString)
            let page = try PolygonRestReader.readPage(path: shown, data: body)
            guard page.ticker == ticker else {
                throw InputError(file: shown, field: "ticker", message: "the page is for \(InputError.quote(page.ticker)), not \(ticker)")
            }
            if (try? JSONDecoder().decode(Status.self, from: body))?.status == "DELAYED" { result.delayed = true }
            result.bars += page.bars
            result.pages += 1
            next = page.nextURL.flatMap { $0.isEmpty ? nil : $0 }
        }
        return result
    }

    /// One range's bars, and what the pages said.
    public struct Aggregates: Sendable {
        public var bars: [Bar] = []
        public var delayed = false
        public var pages = 0
    }

    private struct Status: Decodable { var status: String? }

    /// A path and query, or a `next_url` (absolute), as a URL on the base URL.
    func resolve(_ reference: String) throws -> URL {
        var pathAndQuery = reference
        if let absolute = URL(string: reference), absolute.scheme != nil {
            guard let components = URLComponents(url: absolute, resolvingAgainstBaseURL: false) else {
                throw InputError(file: redaction.apply(reference), field: "next_url", message: "not a URL")
            }
            pathAndQuery = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        guard let url = URL(string: base + pathAndQuery) else {
            throw InputError(file: redaction.apply(reference), field: "next_url", message: "not a URL")
        }
        return url
    }

    /// One GET, tried again on 429, 5xx or a failed transport; the body of the first 2xx.
    func fetch(_ url: URL) throws -> Data {
        let shown = redaction.apply(url.absoluteString)
        var attempt = 0
        while true {
            attempt += 1
            requests += 1
            var retryAfter: Int64?
            let problem: String
            do {
                let response = try transport.get(url, headers: ["Authorization": "Bearer \(key)", "Accept": "application/json"])
                switch response.status {
                case 200..<300:
                    return response.body
                case 429, 500..<600:
                    retryAfter = RetryPolicy.retryAfter(response.headers["retry-after"])
                    problem = "HTTP \(response.status)\(Self.reason(response.body).map { ": " + $0 } ?? "")"
                default:
                    throw InputError(file: shown, message: redaction.apply("HTTP \(response.status)\(Self.reason(response.body).map { ": " + $0 } ?? "")"))
                }
            } catch let error as TransportError {
                problem = "no complete response (\(error.message))"
            }
            if let retryAfter, retryAfter > retry.longestRetryAfter {
                throw InputError(file: shown, message: redaction.apply("\(problem); the server asks to wait \(retryAfter / 1_000_000_000) s, longer than \(retry.longestRetryAfter / 1_000_000_000) s"))
            }
            guard attempt < retry.attempts else {
                throw InputError(file: shown, message: redaction.apply("\(problem), \(attempt) tries"))
            }
            let wait = max(retryAfter ?? 0, retry.backoff(after: attempt, random: &random))
            retries += 1
            clock.sleep(until: clock.now().adding(nanoseconds: wait))
            if StopRequest.isRequested { throw InputError(file: shown, message: "stopped while waiting to try again") }
        }
    }

    /// The `error` or `message` of a Polygon error body, short and on one line.
    static func reason(_ body: Data) -> String? {
        struct ErrorBody: Decodable { var error: String?; var message: String?; var status: String? }
        guard let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body) else { return nil }
        guard let text = decoded.error ?? decoded.message ?? decoded.status else { return nil }
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}
