import Testing
import TapebenchCore
import TapebenchData

@Suite struct DateTimeTextTests {
    func parse(_ text: String, _ order: DateOrder = .mdy) -> LocalDateTime? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { DateTimeText.dateTime(UnsafeBufferPointer($0), order: order) }
    }

    @Test("date-time texts of the dialects", arguments: [
        ("2024-03-11 09:30:00", "2024-03-11T13:30:00Z"),
        ("2024-03-11T09:30", "2024-03-11T13:30:00Z"),
        ("2024/03/11 09:30:00", "2024-03-11T13:30:00Z"),
        ("2013-10-07T09:30:00-04:00", "2013-10-07T13:30:00Z"),
        ("2012-02-01 00:00:00+00:00", "2012-02-01T00:00:00Z"),
        ("2024-03-11T13:30:00Z", "2024-03-11T13:30:00Z"),
        ("2024-03-11 09:30:00.250", "2024-03-11T13:30:00.25Z"),
        ("2021-12-31 23:01:00.000000", "2022-01-01T04:01:00Z"),
        ("3/3/2015 10:50:00 AM", "2015-03-03T15:50:00Z"),
        ("3/3/2015 12:00:00 AM", "2015-03-03T05:00:00Z"),
        ("3/3/2015 12:30:00 PM", "2015-03-03T17:30:00Z"),
        ("2014-01-02", "2014-01-02T05:00:00Z"),
        ("20131004 09:30", "2013-10-04T13:30:00Z"),
    ])
    func exchangeTime(text: String, utc: String) {
        #expect(parse(text)?.instant(in: .exchange).iso8601 == utc)
    }

    @Test("day/month order is honoured")
    func dayFirst() {
        #expect(parse("02/03/2010 16:53:50", .dmy)?.date == CivilDate(iso: "2010-03-02"))
        #expect(parse("02/03/2010 16:53:50", .mdy)?.date == CivilDate(iso: "2010-02-03"))
    }

    @Test("malformed texts are rejected", arguments: ["2024-13-01", "2024-02-30 09:30", "2024-03-11 25:00", "2024-03-11 9:3", "11/03/24", "2024-03-11 09:30 XYZ", "13/13/2024", ""])
    func rejects(text: String) {
        #expect(parse(text) == nil)
    }
}

@Suite struct DialectDetectionTests {
    func detect(_ lines: [String], hints: DialectHints = DialectHints(), member: String = "X.csv") throws -> CSVDialect {
        try DialectDetection.detect(source: "x.csv", memberName: member, lines: lines, hints: hints)
    }

    @Test("columns by name, in any order, with synonyms")
    func names() throws {
        let d = try detect(["Symbol;Vol;Last;Low;High;Open;Datetime", "A;1;2;1;3;2;2024-03-11 09:30:00"])
        #expect(d.separator == UInt8(ascii: ";"))
        #expect((d.ticker, d.volume, d.close, d.low, d.high, d.open) == (0, 1, 2, 3, 4, 5))
        #expect(d.time == .text(column: 6))
    }

    @Test("epoch units by size")
    func epochs() throws {
        #expect(try detect(["t,o,h,l,c,v", "1710163800,1,1,1,1,1"]).time == .epoch(column: 0, unit: .seconds))
        #expect(try detect(["t,o,h,l,c,v", "1710163800000,1,1,1,1,1"]).time == .epoch(column: 0, unit: .milliseconds))
        #expect(try detect(["t,o,h,l,c,v", "1710163800000000000,1,1,1,1,1"]).time == .epoch(column: 0, unit: .nanoseconds))
    }

    @Test("a header without a time column says what it expected and shows the header")
    func noTime() {
        #expect { try detect(["open,high,low,close", "1,1,1,1"]) } throws: { error in
            "\(error)" == "x.csv:1: cannot tell the dialect: no time column in 'open,high,low,close'; expected timestamp, datetime, date (and time), or a dialect naming it"
        }
    }

    @Test("a hinted column the header lacks is named")
    func badHint() {
        var hints = DialectHints()
        hints.columns["close"] = "Mid"
        #expect { try detect(["date,open,high,low,close", "2024-01-02,1,1,1,1"], hints: hints) } throws: { error in
            "\(error)" == "x.csv:1: field 'close': the dialect names column 'Mid', which the header 'date,open,high,low,close' does not have"
        }
    }
}
