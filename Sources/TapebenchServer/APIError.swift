import Hummingbird
import TapebenchReports

/// A request the API refuses, as a 4xx answer whose body says why: `{"error": "<kind>", "message": "<words>"}`.
/// Every refusal goes through here (bad ids and queries, bad JSON, unknown routes, a graduation the registry
/// does not allow), so a client never sees an empty body or a 500 for its own mistake.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String

    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }
    static func conflict(_ message: String) -> APIError { APIError(status: .conflict, message: message) }
    /// The database or registry could not be read just now (a file moved away, a lock held too long): the
    /// server's state, not the client's request; retried later it may succeed.
    static func unavailable(_ message: String) -> APIError { APIError(status: .serviceUnavailable, message: message) }

    /// The `error` field: the status's name in snake case (`bad_request`, `not_found`, …).
    var kind: String {
        status.reasonPhrase.lowercased().map { $0.isLetter ? $0 : "_" }.reduce(into: "") { $0.append($1) }
    }

    var body: String {
        JSONValue.object(["error": .string(kind), "message": .string(message)]).rendered()
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        if status == .methodNotAllowed, let allow = allowed { headers[.allow] = allow }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The methods a 405 answer names.
    var allowed: String?
}

/// Turns every error a route or Hummingbird throws into a JSON answer: `APIError` as it is, Hummingbird's
/// own `HTTPError`s (no route, a body over the limit) with their status and words, a path the API knows
/// asked with another method as 405, anything else as 503 with its description (never a bare 500).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            if error.status == .notFound {
                if let methods = APIRoutes.methods(forPath: request.uri.path) {
                    var refusal = APIError(status: .methodNotAllowed, message: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(methods)")
                    refusal.allowed = methods
                    return try refusal.response(from: request, context: context)
                }
                return try APIError.notFound("no route \(request.method.rawValue) \(request.uri.path); GET /openapi.json lists them")
                    .response(from: request, context: context)
            }
            let message = error.body ?? error.status.reasonPhrase
            return try APIError(status: error.status, message: message).response(from: request, context: context)
        } catch {
            return try APIError.unavailable("\(error)").response(from: request, context: context)
        }
    }
}
