import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// Every reader refuses a number Tapebench cannot hold (Limits: prices within ±$1 000 000 000, volumes
/// within ±10^15 shares, times from 1900 to 2149) with one error naming the file, the line and the field.
@Suite struct ReadBoundsTests {
    func restError(_ results: String) -> InputError? {
        let json = "{\"ticker\":\"X\",\"status\":\"OK\",\n\"results\":[\n{\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":1,\"t\":1710163800000},\n\(results)\n]}"
        do {
            _ = try PolygonRestReader.readPage(path: "p.json", data: Data(json.utf8))
            return nil
        } catch {
            return error as? InputError
        }
    }

    @Test("REST: each number beyond what Tapebench holds, on its own line and field", arguments: [
        (#"{"o":1e11,"h":1,"l":1,"c":1,"t":1710163860000}"#, "p.json:4: field 'results[1].o': 100000000000.0 is beyond the largest price Tapebench accepts, ±1000000000.00"),
        (#"{"o":1,"h":1,"l":1,"c":1000000001,"t":1710163860000}"#, "p.json:4: field 'results[1].c': 1000000001.0 is beyond the largest price Tapebench accepts, ±1000000000.00"),
        (#"{"o":1,"h":1,"l":1,"c":1,"vw":-1e300,"t":1710163860000}"#, "p.json:4: field 'results[1].vw': -1e+300 is beyond the largest price Tapebench accepts, ±1000000000.00"),
        (#"{"o":1,"h":1,"l":1,"c":1,"v":9.3e19,"t":1710163860000}"#, "p.json:4: field 'results[1].v': 9.3e+19 shares is beyond the largest volume Tapebench accepts, ±10^15"),
        (#"{"o":1,"h":1,"l":1,"c":1,"n":1e19,"t":1710163860000}"#, "p.json:4: field 'results[1].n': expected a whole number of trades, got 1e+19"),
        (#"{"o":1,"h":1,"l":1,"c":1,"n":2.5,"t":1710163860000}"#, "p.json:4: field 'results[1].n': expected a whole number of trades, got 2.5"),
        (#"{"o":1,"h":1,"l":1,"c":1,"t":9223372036854775807}"#, "p.json:4: field 'results[1].t': 9223372036854775807 milliseconds is outside the times Tapebench reads, the years 1900 to 2149"),
        (#"{"o":1,"h":1,"l":1,"c":1,"t":9000000000000}"#, "p.json:4: field 'results[1].t': 2255-03-14T16:00:00Z is outside the times Tapebench reads, the years 1900 to 2149"),
        (#"{"o":1,"h":1,"l":1,"c":0,"t":1710163860000}"#, "p.json:4: field 'results[1].c': prices must be positive numbers, got 0.0"),
    ])
    func rest(result: String, message: String) {
        #expect(restError(result)?.description == message)
    }

    @Test("REST: the line of a value is found in pretty-printed pages too")
    func restLines() {
        let json = """
            {
              "ticker": "X",
              "status": "OK",
              "results": [
                {"o": 1, "h": 1, "l": 1, "c": 1, "t": 1710163800000},
                {
                  "o": 1,
                  "h": 1e11,
                  "l": 1, "c": 1, "t": 1710163860000
                }
              ]
            }
            """
        #expect(throws: InputError(file: "p.json", line: 8, field: "results[1].h",
                                   message: "100000000000.0 is beyond the largest price Tapebench accepts, ±1000000000.00")) {
            try PolygonRestReader.readPage(path: "p.json", data: Data(json.utf8))
        }
    }

    @Test("REST: the largest values Tapebench holds are read exactly")
    func restAtTheBounds() throws {
        let json = #"{"ticker":"X","status":"OK","results":[{"o":1000000000,"h":1000000000,"l":0.00000001,"c":1,"v":1e15,"vw":5,"n":1e15,"t":5680195200000}]}"#
        let bar = try #require(try PolygonRestReader.readPage(path: "p.json", data: Data(json.utf8)).bars.first)
        #expect(bar.high == Limits.maxPrice && bar.low == Fixed(raw: 1))
        #expect(bar.volume == 1e15 && bar.tradeCount == 1_000_000_000_000_000)
        #expect(bar.start.iso8601 == "2149-12-31T00:00:00Z")
    }

    func flatFileError(_ row: String) throws -> String? {
        let folder = try temporaryFolder()
        let path = folder + "/2024-03-11.csv"
        try "ticker,volume,open,close,high,low,window_start,transactions\nX,1,1,1,1,1,1710163800000000000,\n\(row)\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try PolygonFlatFileReader.readDay(path: path, tickers: nil)
            return nil
        } catch let error as InputError {
            return error.description.replacingOccurrences(of: path, with: "day.csv")
        }
    }

    @Test("flat files: prices, volumes and times beyond the bounds, each named", arguments: [
        ("X,1,1000000000.00000001,1,1,1,1710163860000000000,", "day.csv:3: field 'open': 1000000000.00000001 is beyond the largest price Tapebench accepts, ±1000000000.00"),
        ("X,1,1,1,1e11,1,1710163860000000000,", "day.csv:3: field 'high': 100000000000.0 is beyond the largest price Tapebench accepts, ±1000000000.00"),
        ("X,1,1,1,1,-5000000000,1710163860000000000,", "day.csv:3: field 'low': -5000000000.00 is beyond the largest price Tapebench accepts, ±1000000000.00"),
        ("X,93000000000000000000,1,1,1,1,1710163860000000000,", "day.csv:3: field 'volume': 9.3e+19 shares is beyond the largest volume Tapebench accepts, ±10^15"),
        ("X,1.7e308,1,1,1,1,1710163860000000000,", "day.csv:3: field 'volume': 1.7e+308 shares is beyond the largest volume Tapebench accepts, ±10^15"),
        ("X,1,1,1,1,1,9223372036854775807,", "day.csv:3: field 'window_start': 2262-04-11T23:47:16.854775807Z is outside the times Tapebench reads, the years 1900 to 2149"),
        ("X,1,1,1,1,1,-2209075200000000001,", "day.csv:3: field 'window_start': 1899-12-30T23:59:59.999999999Z is outside the times Tapebench reads, the years 1900 to 2149"),
    ])
    func flatFiles(row: String, message: String) throws {
        #expect(try flatFileError(row) == message)
    }

    @Test("flat files: the largest values are read")
    func flatFileAtTheBounds() throws {
        #expect(try flatFileError("X,1000000000000000,1000000000,0.00000001,1000000000,-1000000000,5680195200000000000,") == nil)
    }

    func csvError(_ header: String, _ row: String) throws -> String? {
        let folder = try temporaryFolder()
        let path = folder + "/X.csv"
        try "\(header)\n\(row)\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            try CSVReader.read(path: path, hints: DialectHints()) { _, _ in }
            return nil
        } catch let error as InputError {
            return error.description.replacingOccurrences(of: path, with: "X.csv")
        }
    }

    @Test("CSV: prices, volumes and epoch times beyond the bounds, each named", arguments: [
        ("timestamp,open,high,low,close,volume", "1710163800,1,1,1,90000000000,1", "X.csv:2: field 'close': 90000000000.00 is beyond the largest price Tapebench accepts, ±1000000000.00"),
        ("timestamp,open,high,low,close,volume", "1710163800,1,1e20,1,1,1", "X.csv:2: field 'high': 1e+20 is beyond the largest price Tapebench accepts, ±1000000000.00"),
        ("timestamp,open,high,low,close,volume", "1710163800,1,1,1,1,1.7e308", "X.csv:2: field 'volume': 1.7e+308 shares is beyond the largest volume Tapebench accepts, ±10^15"),
        ("timestamp,open,high,low,close,volume", "99999999999999999,1,1,1,1,1", "X.csv:2: field 'timestamp': 99999999999999999 us is outside the times Tapebench reads, the years 1900 to 2149"),
        ("timestamp,open,high,low,close,volume", "9999999999999,1,1,1,1,1", "X.csv:2: field 'timestamp': 9999999999999 ms is outside the times Tapebench reads, the years 1900 to 2149"),
        ("timestamp,open,high,low,close,volume", "8000000000000,1,1,1,1,1", "X.csv:2: field 'timestamp': 2223-07-06T14:13:20Z is outside the times Tapebench reads, the years 1900 to 2149"),
    ])
    func csv(header: String, row: String, message: String) throws {
        #expect(try csvError(header, row) == message)
    }
}
