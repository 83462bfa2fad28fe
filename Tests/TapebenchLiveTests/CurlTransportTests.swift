import Foundation
import Testing
import TapebenchCore
@testable import TapebenchLive
import TapebenchTestSupport

/// The recorder's HTTP client (libcurl, loaded on first use) against a loopback fixture server.
@Suite("CurlTransport")
struct CurlTransportTests {
    static let size = 100_000
    /// The fixture's /page body: byte i is (7 i + 3) mod 251.
    static let page = Data((0..<size).map { UInt8((7 * $0 + 3) % 251) })

    func fixture() throws -> LoopbackServerProcess {
        if LoopbackServerProcess.python3 == nil { try Test.cancel("needs python3 on PATH for the loopback HTTP fixture") }
        return try LoopbackServerProcess(script: "Tests/Python/http-fixture/http_fixture.py", arguments: ["--size", String(Self.size)])
    }

    func url(_ server: LoopbackServerProcess, _ path: String) -> URL { URL(string: "http://127.0.0.1:\(server.port)\(path)")! }

    @Test("a 200: status, the whole body, header names in lower case, a header sent twice keeps its last value")
    func page() throws {
        let server = try fixture()
        let response = try CurlTransport().get(url(server, "/page"), headers: [:])
        #expect(response.status == 200)
        #expect(response.body == Self.page)
        #expect(response.headers["retry-after"] == "7")
        #expect(response.headers["x-twice"] == "second")
        #expect(response.headers["content-length"] == String(Self.size))
        #expect(response.headers["content-type"] == "application/octet-stream")
    }

    @Test("a redirect is followed, and only the last response's headers are kept")
    func redirect() throws {
        let server = try fixture()
        let response = try CurlTransport().get(url(server, "/redirect"), headers: [:])
        #expect(response.status == 200)
        #expect(response.body == Self.page)
        #expect(response.headers["location"] == nil)
    }

    @Test("a redirect to another host does not carry the Authorization header (the key goes to the base URL's host only)")
    func redirectToAnotherHost() throws {
        let server = try fixture()
        let transport = try CurlTransport()
        let sameHost = try transport.get(url(server, "/redirect?to=/echo"), headers: ["Authorization": "Bearer k"])
        let kept = try #require(try JSONSerialization.jsonObject(with: sameHost.body) as? [String: String])
        #expect(kept["authorization"] == "Bearer k")
        // localhost is the same server under another host name.
        let other = "http%3A%2F%2Flocalhost%3A\(server.port)%2Fecho"
        let otherHost = try transport.get(url(server, "/redirect?to=\(other)"), headers: ["Authorization": "Bearer k", "X-Probe": "kept"])
        let sent = try #require(try JSONSerialization.jsonObject(with: otherHost.body) as? [String: String])
        #expect(sent["x-probe"] == "kept")
        #expect(sent["host"] == "localhost:\(server.port)")
        #expect(sent["authorization"] == nil)
    }

    @Test("the request carries the given headers; a gzip body arrives decoded")
    func headersAndEncoding() throws {
        let server = try fixture()
        let transport = try CurlTransport()
        let echo = try transport.get(url(server, "/echo"), headers: ["Authorization": "Bearer k", "X-Probe": "a b"])
        let sent = try #require(try JSONSerialization.jsonObject(with: echo.body) as? [String: String])
        #expect(sent["authorization"] == "Bearer k")
        #expect(sent["x-probe"] == "a b")
        let zipped = try transport.get(url(server, "/gzip"), headers: [:])
        #expect(zipped.status == 200)
        #expect(zipped.body == Self.page)
        // The same transport again: the kept connection serves the next request.
        #expect(try transport.get(url(server, "/page"), headers: [:]).body == Self.page)
    }

    @Test("no complete response: a body cut short, a body over the limit, a refused connection")
    func failures() throws {
        let server = try fixture()
        let transport = try CurlTransport(bodyLimit: 1_000)
        #expect(throws: TransportError.self) { try CurlTransport().get(url(server, "/cut"), headers: [:]) }
        do {
            _ = try transport.get(url(server, "/page"), headers: [:])
            Issue.record("a body over the limit was accepted")
        } catch {
            #expect(error.message == "the body is over 1000 bytes")
        }
        // The same transport after a failure: a small body still arrives whole.
        let echo = try transport.get(url(server, "/echo"), headers: ["X-After": "failure"])
        #expect(echo.status == 200)
        #expect(String(decoding: echo.body, as: UTF8.self).contains("\"x-after\": \"failure\""))
        #expect(throws: TransportError.self) { try CurlTransport().get(URL(string: "http://127.0.0.1:9/")!, headers: [:]) }
        #expect(throws: TransportError.self) { try CurlTransport().get(URL(string: "ftp://127.0.0.1:9/")!, headers: [:]) }
    }

    @Test("a header block: the status line and the blank end are not fields; names lower case, values trimmed")
    func fields() {
        let block = "HTTP/1.1 429 Too Many Requests\r\nRetry-After:  12 \r\nX-Request-ID: a:b\r\nbroken line\r\n\r\n"
        #expect(CurlTransport.fields(of: block) == ["retry-after": "12", "x-request-id": "a:b"])
        #expect(CurlTransport.fields(of: "") == [:])
    }
}
