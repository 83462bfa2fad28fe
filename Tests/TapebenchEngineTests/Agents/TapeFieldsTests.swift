import Foundation
import Testing
import TapebenchCore
import TapebenchData
@testable import TapebenchEngine

/// An order tape's fields read from the line's bytes (`TapeCSV.Fields`): numbers parsed in place must read as
/// the text they replaced did (`Int64(_:)`, `Fixed(parsing:)`, trimming as Foundation trims).
@Suite struct TapeFieldsTests {
    @Test("a whole number from bytes is Int64(_:) of the text", arguments: [
        "", "+", "-", "0", "-0", "+0", "7", "+7", "-7", "007", "12a", "a12", " 1", "1 ", "1.0", "1e3", "--1", "+-1",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "١٢", "0x10",
    ])
    func integerAsInt64(_ text: String) {
        var copy = text
        #expect(copy.withUTF8 { FieldParsing.integer($0) } == Int64(text), "\(text)")
    }

    @Test("random texts of signs, digits and others read as Int64(_:) reads them")
    func integerRandom() {
        var random = SplitMix64(seed: 11)
        let alphabet = Array("+-0123456789 x.")
        for _ in 0..<20_000 {
            let length = Int(random.next() % 22)
            var text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            let expected = Int64(text)
            #expect(text.withUTF8 { FieldParsing.integer($0) } == expected, "\(text)")
            // The CSV readers' form: no `+`, nothing at Int64.min.
            let strict = text.first == "+" || expected == .min ? nil : expected
            #expect(text.withUTF8 { FieldParsing.int64($0) } == strict, "\(text)")
        }
    }

    @Test("a tape with padded and quoted fields loads the orders of its plain twin")
    func paddedTape() throws {
        try Self.inFolder("tape-fields") { folder in
            let header = "time,ticker,side,type,quantity,limit_price,stop_price,client_id,action,sl,tp\n"
            let plain = header + """
                1710163800000000000,TST,buy,limit,100,101.5,,a1,new,99,105
                2024-03-11T09:31:00-04:00,TST,sell,stop,40,,98.25,,,,
                1710163920000000000,,,,,101.75,,a1,replace,,
                1710163980000000000,,,,,,,a1,cancel,,

                """
            let padded = header + """
                 1710163800000000000 ,"TST",\tbuy\t,"limit", 100 ,\u{00A0}101.5\u{00A0},,"a1",new , 99 ,105\u{3000}
                "2024-03-11T09:31:00-04:00",TST ,sell,stop,+40,, 98.25 ,  ,\t,,
                1710163920000000000,,  ,,,"101.75",,a1,"replace",,
                1710163980000000000 ,,,,,,,\u{2003}a1,cancel\t,,

                """
            try plain.write(toFile: folder + "/plain.csv", atomically: true, encoding: .utf8)
            try padded.write(toFile: folder + "/padded.csv", atomically: true, encoding: .utf8)
            let expected = try OrderTape.load(path: folder + "/plain.csv").orders
            #expect(expected["TST"]?.count == 4)
            #expect(expected["TST"]?.map(\.action) == [.new, .new, .replace, .cancel])
            #expect(try OrderTape.load(path: folder + "/padded.csv").orders == expected)
        }
    }

    @Test("a bad number names the field and quotes its trimmed text")
    func badNumbers() throws {
        try Self.inFolder("tape-fields-bad") { folder in
            let header = "time,ticker,side,type,quantity,limit_price,stop_price\n"
            let cases: [(row: String, message: String)] = [
                ("1710163800000000000,TST,buy,market,\u{00A0}1x0 ,,", "field 'quantity': expected a whole number of shares from 1 to \(Limits.maxShares), got '1x0'"),
                ("1710163800000000000,TST,buy,limit,10, -1 ,", "field 'limit_price': expected a positive price, got '-1'"),
                ("1710163800000000000,TST,BUY,market,10,,", "field 'side': expected buy or sell, got 'BUY'"),
                ("1710163800000000000,TST,buy,Market,10,,", "field 'type': expected market, limit, stop or stop_limit, got 'Market'"),
                (" 17101638000000000x0 ,TST,buy,market,10,,",
                 "field 'time': expected ISO 8601 with an offset (2024-03-11T09:45:00-04:00) or epoch nanoseconds, got '17101638000000000x0'"),
            ]
            for item in cases {
                try (header + item.row + "\n").write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
                #expect { try OrderTape.load(path: folder + "/t.csv") } throws: { error in
                    "\(error)" == "\(folder)/t.csv:2: \(item.message)"
                }
            }
        }
    }

    /// Runs `body` in a new folder of its own under the temporary directory, removed after it.
    static func inFolder(_ name: String, _ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.path + "/\(name)-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }
}
