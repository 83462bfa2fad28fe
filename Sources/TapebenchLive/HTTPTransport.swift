import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

/// Foundation's URLSession (FoundationNetworking on Linux: libcurl with the system's TLS), which ships
/// with the toolchain: no package to build. Blocking, one request at a time: the recorder is polite to a
/// rate-limited API by design.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {  // URLSession is thread-safe
    private let session: URLSession

    public init(timeoutSeconds: Double = 30) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds * 4
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func get(_ url: URL, headers: [String: String]) throws(TransportError) -> HTTPResponse {
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(TransportError(message: error.localizedDescription))
            } else if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (name, value) in http.allHeaderFields {
                    if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
                }
                box.result = .success(HTTPResponse(status: http.statusCode, headers: fields, body: data ?? Data()))
            } else {
                box.result = .failure(TransportError(message: "no HTTP response"))
            }
            done.signal()
        }.resume()
        done.wait()
        switch box.result! {
        case .success(let response): return response
        case .failure(let error): throw error
        }
    }

    private final class ResultBox: @unchecked Sendable {  // written once by the callback, read after the semaphore
        var result: Result<HTTPResponse, TransportError>?
    }
}
