import Testing
@testable import TapebenchEngine

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try JSONParser.parse(buffer) }
    }

    @Test("numbers keep their text, so a price is read exactly; keys keep their order")
    func numbersAsText() throws {
        let value = try parse(#" {"b": 91.12345678, "a": [-0.5, 10, 1e-3], "c": null, "d": true} "#)
        #expect(value == .object([("b", .number("91.12345678")), ("a", .array([.number("-0.5"), .number("10"), .number("1e-3")])),
                                  ("c", .null), ("d", .bool(true))]))
    }

    @Test("escapes, surrogate pairs and UTF-8 text are decoded")
    func strings() throws {
        #expect(try parse(#""a\"b\\c\/d\n\u00e9\ud83d\ude00é""#) == .string("a\"b\\c/d\né😀é"))
    }

    @Test("what is not JSON is refused with where", arguments: [
        ("{\"a\":1,}", "expected a key in double quotes at byte 8"),
        ("{\"a\":01}", "a number may not start with 0 at byte 7"),
        ("{\"a\":1} x", "text after the JSON value at byte 9"),
        ("{\"a\":1,\"a\":2}", "key \"a\" given twice at byte 8"),
        ("[1.]", "a number needs digits after '.' at byte 4"),
        ("\"\\ud800\"", "a lone surrogate in a \\u escape at byte 8"),
        ("\"a\tb\"", "a control character inside a string (write it as an escape) at byte 3"),
        ("NaN", "unexpected character 'N' at byte 1"),
        ("", "the line ends where a value should be at byte 1"),
        ("{\"a\":tru}", "not a JSON value at byte 6"),
    ])
    func refused(text: String, message: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
        do { _ = try parse(text) } catch { #expect(error.description == message) }
    }

    @Test("nesting deeper than 64 levels is refused, not a stack overflow")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try parse(deep)
            Issue.record("parsed")
        } catch {
            #expect(error.problem == "more than 64 levels of nesting")
        }
        #expect((try? parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64))) != nil)
    }

    @Test("bytes that are not UTF-8 inside a string are refused")
    func notUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONSyntaxError.self) { try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try JSONParser.parse(buffer) } }
    }
}
