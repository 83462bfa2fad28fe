import Foundation
import GRDB
import Hummingbird
import TapebenchCore
import TapebenchEngine
import TapebenchReports

/// The routes, as the seed system serves them, plus `/openapi.json` and the dashboard at `/`.
enum APIRoutes {
    /// Every route: method and path pattern (`:id` a path parameter). The OpenAPI document lists the same
    /// (a test checks), and a 405 names the methods a known path takes.
    static let table: [(method: String, path: String)] = [
        ("GET", "/"),
        ("GET", "/openapi.json"),
        ("GET", "/api/paper-trading/agents"),
        ("GET", "/api/paper-trading/agents/:id/account"),
        ("GET", "/api/paper-trading/agents/:id/positions"),
        ("GET", "/api/paper-trading/agents/:id/orders"),
        ("GET", "/api/paper-trading/agents/:id/trades"),
        ("GET", "/api/paper-trading/agents/:id/performance"),
        ("GET", "/api/agents/:id/graduation/eligibility"),
        ("POST", "/api/agents/:id/graduate"),
    ]

    /// The methods the route matching `path` takes (`GET, HEAD` style), nil when no route matches it.
    static func methods(forPath path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let found = table.filter { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            return pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") ? !$1.isEmpty : $0 == $1 }
        }.map(\.method)
        return found.isEmpty ? nil : found.joined(separator: ", ")
    }

    static func router(database: ServedDatabase, graduation: GraduationService, refreshSeconds: Int,
                       counter: RequestCounter? = nil) -> Router<BasicRequestContext> {
        // HEAD answers wherever GET does (headers only).
        let router = Router(options: .autoGenerateHeadEndpoints)
        if let counter { router.middlewares.add(CountingMiddleware(counter: counter)) }
        router.middlewares.add(JSONErrorMiddleware())
        router.get("/") { _, _ in html(Dashboard.page(refreshSeconds: refreshSeconds)) }
        router.get("/openapi.json") { _, _ in json(OpenAPIDocument.text) }
        router.get("/api/paper-trading/agents") { request, _ in
            try noQuery(request, allowed: [])
            let agents = try await database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT agent_id FROM paper_accounts ORDER BY agent_id") }
            let statuses = try graduation.statuses(agents)
            return json(try await database.read { db in try PaperQueries.agents(db, statuses: statuses) })
        }
        let agent = "/api/paper-trading/agents/:id"
        router.get("\(agent)/account") { request, context in
            try await account(request, context, database) { db, key, _ in try PaperQueries.account(db, key) }
        }
        router.get("\(agent)/positions") { request, context in
            try await account(request, context, database) { db, key, _ in try PaperQueries.positions(db, key) }
        }
        router.get("\(agent)/orders") { request, context in
            try await account(request, context, database, paged: true) { db, key, page in try PaperQueries.page(db, table: "paper_orders", key: key, page: page) }
        }
        router.get("\(agent)/trades") { request, context in
            try await account(request, context, database, paged: true) { db, key, page in try PaperQueries.page(db, table: "paper_trades", key: key, page: page) }
        }
        router.get("\(agent)/performance") { request, context in
            try await account(request, context, database) { db, key, _ in try PaperQueries.performance(db, key) }
        }
        router.get("/api/agents/:id/graduation/eligibility") { request, context in
            let id = try agentID(context)
            try noQuery(request, allowed: ["step"])
            var step: GraduationStep?
            if let text = request.uri.queryParameters["step"] {
                guard let parsed = GraduationStep(rawValue: String(text)) else { throw APIError.badRequest("step must be paper or live, got \(SafeName.quoted(String(text)))") }
                step = parsed
            }
            return json(try await graduation.eligibility(agent: id, step: step))
        }
        router.post("/api/agents/:id/graduate") { request, context in
            let id = try agentID(context)
            try noQuery(request, allowed: [])
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: GraduateBody.maxBytes)
            } catch {
                throw APIError(status: .contentTooLarge, message: "the body is over \(GraduateBody.maxBytes) bytes; send {\"force\": true|false}")
            }
            let force = try GraduateBody.parse(Data(body.readableBytesView)).force
            return json(try await graduation.graduate(agent: id, force: force))
        }
        return router
    }

    // MARK: - Helpers

    /// An account route: the agent id from the path, `?variant=` (and `?limit=&offset=` where `paged`), one read.
    static func account(_ request: Request, _ context: BasicRequestContext, _ database: ServedDatabase, paged: Bool = false,
                        _ body: @escaping @Sendable (Database, PaperQueries.AccountKey, Page) throws -> JSONValue) async throws -> Response {
        let id = try agentID(context)
        try noQuery(request, allowed: paged ? ["variant", "limit", "offset"] : ["variant"])
        let query = request.uri.queryParameters
        let variant = query["variant"].map(String.init)
        if let variant, let problem = SafeName.problem(variant) { throw APIError.badRequest("variant \(SafeName.quoted(variant)): \(problem)") }
        var page = Page()
        if let text = query["limit"] {
            guard let n = Int(text), n >= 1, n <= Page.maxLimit else {
                throw APIError.badRequest("limit must be a whole number from 1 to \(Page.maxLimit), got \(SafeName.quoted(String(text)))")
            }
            page.limit = n
        }
        if let text = query["offset"] {
            guard let n = Int(text), n >= 0, n <= Int(Int32.max) else {
                throw APIError.badRequest("offset must be a whole number from 0 to \(Int32.max), got \(SafeName.quoted(String(text)))")
            }
            page.offset = n
        }
        let chosen = page
        return json(try await database.read { db in
            let key = try PaperQueries.account(db, agent: id, variant: variant)
            return try body(db, key, chosen)
        })
    }

    /// The `:id` path parameter, checked as Tapebench checks an agent id (400 otherwise).
    static func agentID(_ context: BasicRequestContext) throws -> String {
        let raw = context.parameters.get("id") ?? ""
        let id = raw.removingPercentEncoding ?? raw
        if let problem = SafeName.problem(id) { throw APIError.badRequest("agent id \(SafeName.quoted(id)): \(problem)") }
        return id
    }

    /// Refuses query parameters a route does not take, and repeated ones, so a typo is not silently ignored.
    static func noQuery(_ request: Request, allowed: Set<String>) throws {
        var seen: Set<String> = []
        for (key, _) in request.uri.queryParameters {
            let name = String(key)
            guard allowed.contains(name) else {
                throw APIError.badRequest("unknown query parameter \(SafeName.quoted(name))" + (allowed.isEmpty ? "; this route takes none" : "; it takes " + allowed.sorted().joined(separator: ", ")))
            }
            guard seen.insert(name).inserted else { throw APIError.badRequest("query parameter \(SafeName.quoted(name)) given twice") }
        }
    }

    static func json(_ value: JSONValue) -> Response { json(value.rendered()) }

    static func json(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func html(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // The page loads nothing from elsewhere, and says so to the browser.
        headers[.contentSecurityPolicy] = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The body of `POST …/graduate`: a JSON object with an optional boolean `force` (false when absent), or
/// an empty body; anything else is a 400 that says what was wrong.
struct GraduateBody: Sendable, Equatable {
    static let maxBytes = 4_096
    var force = false

    static func parse(_ data: Data) throws -> GraduateBody {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return GraduateBody() }
        guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
            throw APIError.badRequest("the body is not JSON; send {\"force\": true|false}")
        }
        guard let object = try? JSONDecoder().decode([String: Field].self, from: data) else {
            throw APIError.badRequest("the body must be a JSON object like {\"force\": true}")
        }
        if let unknown = object.keys.sorted().first(where: { $0 != "force" }) {
            throw APIError.badRequest("unknown field \(SafeName.quoted(unknown)); the body takes only 'force'")
        }
        switch object["force"] {
        case nil: return GraduateBody()
        case .bool(let force): return GraduateBody(force: force)
        case .other: throw APIError.badRequest("field 'force' must be true or false")
        }
    }

    /// A member's value: a JSON boolean, or anything else (which `force` refuses).
    enum Field: Decodable {
        case bool(Bool)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            self = (try? container.decode(Bool.self)).map(Field.bool) ?? .other
        }
    }
}
