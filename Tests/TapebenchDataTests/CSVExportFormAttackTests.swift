import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// Issue 10, "CSV as people export it": MetaTrader, spreadsheets and brokers write bars in forms that
/// once loaded as 1970 or failed; each reads right, or the error says exactly what to declare.
@Suite("attack: CSV as people export it")
struct CSVExportFormAttackTests {
    func write(_ text: String, _ name: String = "X.csv") throws -> String {
        let path = try temporaryFolder() + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func key(_ bar: Bar) -> String { "\(bar.ticker) \(bar.start.iso8601) \(bar.open) \(bar.high) \(bar.low) \(bar.close) \(bar.volume)" }

    /// The real SPY bars of real/csv-iso rewritten in another layout: `row(date, time, o, h, l, c, v)` with the
    /// date as `YYYYMMDD` and the time as `HHMMSS` (exchange time, as written in the ISO file).
    func realSPY(header: String, _ row: (String, String, [String]) -> String) throws -> (rewritten: String, original: [Bar]) {
        let iso = SharedData.path("real/csv-iso/SPY.csv")
        let lines = try String(contentsOfFile: iso, encoding: .utf8).split(separator: "\n").dropFirst().prefix(400)
        var out = header + "\n"
        for line in lines {
            let f = line.split(separator: ",").map(String.init)
            let date = f[0].prefix(10).replacingOccurrences(of: "-", with: "")
            let time = f[0].dropFirst(11).prefix(8).replacingOccurrences(of: ":", with: "")
            out += row(date, time, Array(f[1...5])) + "\n"
        }
        return (out, Array(try readCSV(iso).prefix(400)))
    }

    @Test("MetaTrader 4 export (<DTYYYYMMDD>, <TIME> as 093000) reads the real bars (it loaded as 1970, 100 s apart)", .enabled(if: SharedData.available, SharedData.skipReason))
    func metaTrader4() throws {
        let (text, original) = try realSPY(header: "<TICKER>,<DTYYYYMMDD>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>") { date, time, v in
            (["SPY", date, time] + v).joined(separator: ",")
        }
        #expect(text.contains("\nSPY,20131004,040600,167.65,"))
        #expect(try readCSV(try write(text, "mt4.csv")).map(key) == original.map(key))
    }

    @Test("MetaTrader 5 export (tabs, <DATE> 2013.10.04, <TIME> 04:06:00) reads the real bars (it could not be read)", .enabled(if: SharedData.available, SharedData.skipReason))
    func metaTrader5() throws {
        let (text, original) = try realSPY(header: "<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>") { date, time, v in
            let dotted = "\(date.prefix(4)).\(date.dropFirst(4).prefix(2)).\(date.suffix(2))"
            let clock = "\(time.prefix(2)):\(time.dropFirst(2).prefix(2)):\(time.suffix(2))"
            return ([dotted, clock] + v[0...3] + ["7", v[4], "1"]).joined(separator: "\t")
        }
        #expect(try readCSV(try write(text, "SPY.csv")).map(key) == original.map(key))
    }

    @Test("headerless MetaTrader rows: [ticker,] date and time columns, by position")
    func headerlessDateAndTime() throws {
        let expected = ["2024-03-05T14:30:00Z", "2024-03-05T14:31:00Z"]
        let history = try write("2024.03.05,09:30,1.0850,1.0855,1.0849,1.0852,120\n2024.03.05,09:31,1.0852,1.0856,1.0850,1.0851,80\n", "EURUSD.csv")
        #expect(try readCSV(history).map(\.start.iso8601) == expected)
        let withTicker = try write("EURUSD,20240305,093000,1.0850,1.0855,1.0849,1.0852,120\nEURUSD,20240305,093100,1.0852,1.0856,1.0850,1.0851,80\n")
        let bars = try readCSV(withTicker)
        #expect(bars.map(\.start.iso8601) == expected && bars.map(\.ticker) == ["EURUSD", "EURUSD"] && bars[0].close == Fixed(parsing: "1.0852"))
        // A daily file whose second column is an integer price, not a time: the prices decide.
        let daily = try readCSV(try write("20240305,1234,1240,1230,1235,1000\n20240306,1235,1250,1233,1249,900\n"))
        #expect(daily.map(\.open) == [Fixed(1234), Fixed(1235)] && daily[0].duration == Timestamp.nanosecondsPerDay)
    }

    @Test("quoted fields: separators, quotes and line breaks inside quotes, thousands separators in quoted numbers")
    func quoted() throws {
        let path = try write(#"""
            "Date","Time","Symbol","Open","High","Low","Close","Volume","Note"
            "2024-03-05","09:30:00","BRK,B","1,234.50","1,240.00","1,230.25","1,235.75","12,000","said ""hi"""
            "2024-03-05","09:31:00","BRK,B","1,235.75","1,236.00","1,235.00","1,235.50","9,500","two
            lines"
            "2024-03-05","09:32:00","BRK,B","1,235.50","1,237.00","1,235.00","1,236.00","8,000",""

            """#)
        var origins: [Int] = []
        var bars: [Bar] = []
        try CSVReader.read(path: path, hints: DialectHints()) { bar, origin in bars.append(bar); origins.append(origin.line!) }
        #expect(bars.map(\.ticker) == ["BRK,B", "BRK,B", "BRK,B"])
        #expect(bars[0].open == Fixed(parsing: "1234.50") && bars[0].volume == 12_000)
        #expect(bars.map(\.close) == ["1235.75", "1235.50", "1236.00"].map { Fixed(parsing: $0)! })
        #expect(origins == [2, 3, 5])  // the record after a two-line field starts on line 5
    }

    @Test("decimal commas with ';' separators, dotted day-first dates, thousands as dots")
    func decimalComma() throws {
        let path = try write("Date;Time;Eröffnung;Open;High;Low;Close;Volume\n05.03.2024;09:30;x;1.234,50;1.240,00;1.230,25;1.235,75;1.000\n05.03.2024;09:31;x;1235,75;1236;1235;1235,5;900\n")
        let bars = try readCSV(path)
        #expect(bars.map(\.start.iso8601) == ["2024-03-05T14:30:00Z", "2024-03-05T14:31:00Z"])
        #expect(bars.map(\.close) == [Fixed(parsing: "1235.75")!, Fixed(parsing: "1235.5")!])
        #expect(bars[0].volume == 1_000)
    }

    @Test("'1,234' reads as a thousand or as one and a bit: the error asks for decimal, and the statement is obeyed")
    func ambiguousDecimal() throws {
        let path = try write("timestamp;open;high;low;close\n2024-03-05 09:30:00;1,234;1,240;1,230;1,235\n")
        let error = try #require(inputError { _ = try readCSV(path) })
        #expect(error.message == "numbers like '1,234' could use ',' for thousands or as the decimal mark; state decimal: ',' or decimal: '.' in the dialect")
        var hints = DialectHints()
        hints.decimalComma = true
        #expect(try readCSV(path, hints: hints).first?.open == Fixed(parsing: "1.234"))
        hints.decimalComma = false
        #expect(try readCSV(path, hints: hints).first?.open == Fixed(1234))
    }

    @Test("date forms: 2024.03.05, 05.03.2024, 20240305 (also as an integer, not seconds of 1970), 2024-03-05", arguments: [
        "2024.03.05", "05.03.2024", "20240305", "2024-03-05", "2024/03/05",
    ])
    func dateForms(date: String) throws {
        let daily = try readCSV(try write("Date,Open,High,Low,Close,Volume\n\(date),10,11,9,10.5,100\n"))
        #expect(daily.first?.start.iso8601 == "2024-03-05T05:00:00Z" && daily.first?.duration == Timestamp.nanosecondsPerDay)
        let minute = try readCSV(try write("Date,Time,Open,High,Low,Close\n\(date),09:30,10,11,9,10.5\n"))
        #expect(minute.first?.start.iso8601 == "2024-03-05T14:30:00Z")
    }

    @Test("93000, 930 and 093000 are times of day beside a date column")
    func compactTimes() throws {
        let bars = try readCSV(try write("date,time,open,high,low,close\n20240305,93000,1,1,1,1\n20240305,931,1,1,1,1\n20240305,093200,1,1,1,1\n20240305,160000,1,1,1,1\n"))
        #expect(bars.map(\.start.iso8601) == ["2024-03-05T14:30:00Z", "2024-03-05T14:31:00Z", "2024-03-05T14:32:00Z", "2024-03-05T21:00:00Z"])
    }

    @Test("`time` as a column name: epoch counts, date-times, or times of day that need a date column")
    func timeColumn() throws {
        #expect(try readCSV(try write("time,open,high,low,close\n1709649000,1,1,1,1\n")).first?.start.iso8601 == "2024-03-05T14:30:00Z")
        #expect(try readCSV(try write("time,open,high,low,close\n2024-03-05 09:30:00,1,1,1,1\n")).first?.start.iso8601 == "2024-03-05T14:30:00Z")
        // A date column under a name Tapebench does not know is found by its values.
        #expect(try readCSV(try write("Session,time,open,high,low,close\n2024-03-05,09:30,1,1,1,1\n")).first?.start.iso8601 == "2024-03-05T14:30:00Z")
        let noDate = try #require(inputError { _ = try readCSV(try write("time,open,high,low,close\n093000,1,1,1,1\n")) })
        #expect(noDate.message == "column 'time' holds times of day ('093000') but no column holds the date; name it in the dialect's columns (date: ...)")
        let small = try #require(inputError { _ = try readCSV(try write("t,open,high,low,close\n93000,1,1,1,1\n")) })
        #expect(small.message.hasPrefix("'93000' in the time column is too small for an epoch count (it would be before 1973); state its form as date_format"))
    }

    @Test("a form detection cannot guess is refused with what to declare; declared, it reads", arguments: [
        ("05-03-2024 09.30", "%d-%m-%Y %H.%M", nil as String?, "Datetime"),
        ("Mar 5 2024 9:30AM", "%b %d %Y %I:%M%p", nil, "Datetime"),
        ("05/03/24", "%d/%m/%y", "%Hh%M", "Date,Time"),
    ])
    func declaredFormats(text: String, dateFormat: String, timeFormat: String?, columns: String) throws {
        let row = timeFormat == nil ? text : "\(text),9h30"
        let path = try write("\(columns),Open,High,Low,Close\n\(row),1,1,1,1\n")
        let error = try #require(inputError { _ = try readCSV(path) })
        #expect(error.message.contains("date_format") || error.message.contains("time_format"), "\(error)")
        var hints = DialectHints()
        hints.dateFormat = try DateTimeFormat(dateFormat)
        hints.timeFormat = try timeFormat.map { try DateTimeFormat($0) }
        #expect(try readCSV(path, hints: hints).first?.start.iso8601 == "2024-03-05T14:30:00Z")
    }

    @Test("declared formats: strptime's one-or-two digits, 2-digit years, unknown directives named")
    func formats() throws {
        func read(_ pattern: String, _ text: String) throws -> LocalDateTime? {
            var bytes = Array(text.utf8)
            let format = try DateTimeFormat(pattern)
            return bytes.withUnsafeMutableBufferPointer { format.read(UnsafeBufferPointer($0)) }
        }
        #expect(try read("%H%M%S", "93000")?.nanosecondOfDay == 34_200 * Timestamp.nanosecondsPerSecond)
        #expect(try read("%Y%m%d", "20240305")?.date == CivilDate(iso: "2024-03-05"))
        #expect(try read("%y-%m-%d", "99-12-31")?.date == CivilDate(iso: "1999-12-31"))
        #expect(try read("%d.%m.%Y %T.%f", "5.3.2024 09:30:00.25")?.nanosecondOfDay == 34_200_250_000_000)
        #expect(try read("%Y-%m-%d", "2024-02-30") == nil)
        #expect(throws: DateTimeFormat.FormatError.self) { try DateTimeFormat("%Y%Q") }
    }
}
