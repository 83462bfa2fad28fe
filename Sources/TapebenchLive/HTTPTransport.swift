import CCurlGet
import Foundation
import TapebenchCore

/// One HTTP response, whole: bodies of the aggregates endpoint are bounded (50 000 bars, about 5 MB).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A request that got no complete response (refused, reset, cut mid-body, timed out): retried like a 5xx.
public struct TransportError: Error, Sendable {
    public var message: String
}

/// Sends a GET and waits for the whole response.
public protocol HTTPTransport: Sendable {
    func get(_ url: URL, headers: [String: String]) throws(TransportError) -> HTTPResponse
}

/// libcurl (the system's, with its TLS and proxy settings), loaded when the first transport is made rather than
/// when the program starts (`CCurlGet`): linking it, directly or through FoundationNetworking's URLSession, made
/// every `tapebench` start bind 26 more libraries. Blocking, one request at a time: the recorder is polite to a
/// rate-limited API by design. The connection is kept between requests.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {  // requests take the lock
    private let client: OpaquePointer
    private let lock = NSLock()
    let timeoutSeconds: Double
    /// A response body larger than this is no complete response: a page of 50 000 bars is about 5 MB.
    let bodyLimit: Int

    /// Fails, naming the reason, when libcurl cannot be loaded.
    public init(timeoutSeconds: Double = 30, bodyLimit: Int = 256 << 20) throws(InputError) {
        var error = [CChar](repeating: 0, count: 512)
        guard let client = tb_curl_client_new(&error, error.count) else {
            throw InputError(file: "libcurl.so.4", message: Self.text(error))
        }
        self.client = client
        self.timeoutSeconds = timeoutSeconds
        self.bodyLimit = bodyLimit
    }

    deinit { tb_curl_client_free(client) }

    public func get(_ url: URL, headers: [String: String]) throws(TransportError) -> HTTPResponse {
        // Sorted: the same request sends the same bytes.
        let lines = headers.sorted { $0.key < $1.key }.map { strdup("\($0.key): \($0.value)") }
        defer { lines.forEach { free($0) } }
        let pointers = lines.map { UnsafePointer<CChar>($0) }
        var error = [CChar](repeating: 0, count: 512)
        let stall = Int(min(max(timeoutSeconds, 1), 3_600).rounded(.up))
        // The response lives in the client until its next request: copied out before the lock is let go.
        let response: HTTPResponse? = lock.withLock {
            var answer = tb_curl_response()
            guard tb_curl_get(client, url.absoluteString, pointers, pointers.count, stall * 1000, stall * 4000, stall, bodyLimit,
                              &answer, &error, error.count) == 0 else { return nil }
            let body = answer.body.map { Data(bytes: $0, count: answer.body_length) } ?? Data()
            let block = answer.headers.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: answer.headers_length), as: UTF8.self) } ?? ""
            return HTTPResponse(status: answer.status, headers: Self.fields(of: block), body: body)
        }
        guard let response else { throw TransportError(message: Self.text(error)) }
        return response
    }

    /// A C message buffer's text, up to its NUL.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A header block's fields, names in lower case; the status line and blank end line are not fields. A name
    /// sent twice keeps its last value, as URLSession did with the headers the client reads (Retry-After).
    static func fields(of block: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in block.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, !name.hasPrefix("http/") else { continue }
            fields[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }
}
