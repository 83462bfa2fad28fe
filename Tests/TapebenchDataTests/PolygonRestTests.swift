import Foundation
import Testing
import TapebenchCore
import TapebenchData

@Suite struct PolygonRestTests {
    @Test("a real REST day loads with millisecond starts and no vw/n", .enabled(if: SharedData.available, SharedData.skipReason))
    func realPage() throws {
        let page = try PolygonRestReader.readPage(path: SharedData.path("real/rest/SPY/SPY_1_minute_2013-10-07.json"))
        #expect(page.ticker == "SPY")
        #expect(page.bars.count == 828)
        #expect(page.bars[0].start.iso8601 == "2013-10-07T08:00:00Z")
        #expect(page.bars[0].vwap == nil)
        #expect(page.bars[0].tradeCount == nil)
    }

    @Test("pages joined across next_url equal the single-page day", .enabled(if: SharedData.available, SharedData.skipReason))
    func pagination() throws {
        let whole = try PolygonRestReader.readPage(path: SharedData.path("real/rest/SPY/SPY_1_minute_2013-10-07.json")).bars
        let dataset = try Dataset(paths: [SharedData.path("real/rest-paged")])
        var stream = try dataset.bars(DataSelection())
        var joined: [Bar] = []
        while let bar = try stream.next() { joined.append(bar) }
        #expect(joined == whole)
    }

    @Test("a bar repeated across pages is passed on once", .enabled(if: SharedData.available, SharedData.skipReason))
    func duplicates() throws {
        let folder = try temporaryFolder()
        let source = SharedData.path("real/rest-paged/SPY_2013-10-07")
        for name in ["page-001.json", "page-002.json"] {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder + "/" + name)
        }
        // The same first page again under another name: every bar in it is a duplicate.
        try FileManager.default.copyItem(atPath: source + "/page-001.json", toPath: folder + "/page-001-again.json")
        let dataset = try Dataset(paths: [folder])
        var stream = try dataset.bars(DataSelection())
        var count = 0
        while try stream.next() != nil { count += 1 }
        #expect(count == 600)
    }

    @Test("the vendor's own examples: fractional volume, absent volume and vwap", .enabled(if: SharedData.available, SharedData.skipReason))
    func openAPIExamples() throws {
        let crypto = try PolygonRestReader.readPage(path: SharedData.path("polygon-rest/openapi-examples/polygon_v2_aggs_crypto_range_example.json"))
        #expect(crypto.bars.contains { $0.volume != $0.volume.rounded() })
        let indices = try PolygonRestReader.readPage(path: SharedData.path("polygon-rest/openapi-examples/polygon_v2_aggs_indices_range_example.json"))
        #expect(indices.bars.allSatisfy { $0.volume == 0 && $0.vwap == nil })
        let stocks = try PolygonRestReader.readPage(path: SharedData.path("polygon-rest/openapi-examples/polygon_v2_aggs_stocks_range_example.json"))
        #expect(stocks.nextURL != nil)
        #expect(stocks.bars.allSatisfy { $0.vwap != nil })
    }

    @Test("an error body is an error naming the file and its status", .enabled(if: SharedData.available, SharedData.skipReason))
    func errorBody() throws {
        let path = SharedData.path("polygon-rest/gtsf-backtester/sample_price_not_found.json")
        #expect {
            try PolygonRestReader.readPage(path: path)
        } throws: { error in
            (error as? InputError)?.description == "\(path): field 'status': the response says 'NOT_FOUND', not OK or DELAYED"
        }
    }

    @Test("an empty result has no results key and gives no bars")
    func empty() throws {
        let json = #"{"ticker":"X","queryCount":0,"resultsCount":0,"adjusted":true,"status":"OK","request_id":"r"}"#
        #expect(try PolygonRestReader.readPage(path: "empty.json", data: Data(json.utf8)).bars.isEmpty)
    }

    @Test("malformed JSON names the file and the line")
    func malformed() throws {
        let json = "{\"ticker\":\"X\",\n\"status\":\"OK\",\n\"results\":[{\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"t\":}]}"
        do {
            _ = try PolygonRestReader.readPage(path: "bad.json", data: Data(json.utf8))
            Issue.record("no error")
        } catch let error as InputError {
            #expect(error.file == "bad.json")
            #expect(error.line == 3)
        }
    }

    @Test("a wrongly typed field is named by its path")
    func wrongType() throws {
        let json = #"{"ticker":"X","status":"OK","results":[{"o":1,"h":1,"l":1,"c":1,"t":1},{"o":"x","h":1,"l":1,"c":1,"t":2}]}"#
        do {
            _ = try PolygonRestReader.readPage(path: "bad.json", data: Data(json.utf8))
            Issue.record("no error")
        } catch let error as InputError {
            #expect(error.field == "results[1].o")
        }
    }
}
