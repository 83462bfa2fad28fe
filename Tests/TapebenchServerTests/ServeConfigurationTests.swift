import Testing
@testable import TapebenchServer

@Suite struct ServeConfigurationTests {
    @Test("loopback addresses are 127.0.0.0/8, ::1 and localhost; nothing else", arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true), ("[::1]", true),
        ("0.0.0.0", false), ("192.168.1.10", false), ("::", false), ("127.0.0.256", false), ("127.0.0", false), ("example.com", false),
    ])
    func loopback(host: String, expected: Bool) {
        #expect(ServeConfiguration.isLoopback(host) == expected)
    }

    @Test("another address is refused without --allow-remote, and warned about with it")
    func remote() throws {
        var configuration = ServeConfiguration(database: "x", host: "0.0.0.0")
        #expect(throws: (any Error).self) { try configuration.check() }
        configuration.allowRemote = true
        let warning = try configuration.check()
        #expect(warning?.hasPrefix("warning: serving on 0.0.0.0:8080, reachable from other machines") == true)
        configuration.host = "127.0.0.1"
        #expect(try configuration.check() == nil)
    }

    @Test("a port out of range is refused")
    func port() {
        #expect(throws: (any Error).self) { try ServeConfiguration(database: "x", port: 70_000).check() }
        #expect(throws: (any Error).self) { try ServeConfiguration(database: "x", port: -1).check() }
    }
}
