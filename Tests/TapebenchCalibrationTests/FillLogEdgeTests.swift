import Foundation
import TapebenchTestSupport
import TapebenchCalibration
import TapebenchCore
import Testing

@Suite struct FillLogEdgeTests {
    static func write(_ text: String, _ ext: String = "csv") throws -> String {
        let path = TestScratch.root + "tapebench-fills-\(UUID().uuidString).\(ext)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an Alpaca problem names the line its object starts on, and non-FILL activities are skipped and counted")
    func alpacaLines() throws {
        let path = try Self.write("""
            [
              {"activity_type": "FILL", "transaction_time": "2013-10-11T19:20:53.089956Z", "price": "185.64", "qty": "200", "side": "buy", "symbol": "IBM"},
              {"activity_type": "DIV", "net_amount": "12.5"},
              {
                "activity_type": "FILL", "transaction_time": "2013-10-11T19:20:54Z",
                "price": "abc", "qty": "200", "side": "sell_short", "symbol": "IBM"
              }
            ]
            """, "json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try FillLogReader.read(path: path)
        #expect(log.layout == .alpaca)
        #expect(log.fills.count == 1 && log.fills[0].time == Timestamp(nanoseconds: 1_381_519_253_089_956_000))
        #expect(log.skipped.map(\.line) == [3])
        #expect(log.problems.map(\.description) == ["\(path):4: field 'price': expected a positive price, got 'abc'"])
    }

    @Test("times without an offset are exchange time unless declared UTC; IB's compact forms and 2-digit years read")
    func times() throws {
        let path = try Self.write("time,ticker,side,quantity,price\n20131004;095827,AIG,BUY,500,49.06\n10/4/13 09:58:27,AIG,SELL,500,49.06\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let exchange = try FillLogReader.read(path: path)
        // 09:58:27 EDT = 13:58:27Z.
        #expect(exchange.fills.map(\.time.iso8601) == ["2013-10-04T13:58:27Z", "2013-10-04T13:58:27Z"])
        var hints = FillLogHints()
        hints.timezone = .utc
        #expect(try FillLogReader.read(path: path, hints: hints).fills.map(\.time.iso8601) == ["2013-10-04T09:58:27Z", "2013-10-04T09:58:27Z"])
    }

    @Test("a declared column that is not in the header, or an unknown role, is one line naming it")
    func declaredColumns() throws {
        let path = try Self.write("t,s,side,q,p\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var hints = FillLogHints()
        hints.columns = ["price": "Px"]
        #expect(throws: InputError(file: path, line: 1, field: "price", message: "declared column 'Px' is not in the header 't,s,side,q,p'")) {
            try FillLogReader.read(path: path, hints: hints)
        }
        hints.columns = ["prize": "p"]
        #expect { try FillLogReader.read(path: path, hints: hints) } throws: { "\($0)".hasPrefix("--column: field 'prize': unknown role") }
    }
}
