import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// Issue 10, "Nothing silently misread": files that once loaded as nothing (exit 0), or failed with an
/// unrelated message, read right or say what they are.
@Suite("attack: nothing silently misread")
struct SilentMisreadAttackTests {
    static let csv = "timestamp,open,high,low,close,volume\n2024-03-05 09:30:00,10,11,9,10.5,100\n2024-03-05 09:31:00,10.5,11,10,10.25,50\n"

    @Test("UTF-16 with a byte order mark, and without one, says: save as UTF-8", arguments: [
        ("le-bom", "UTF-16 text (byte order mark): save it as UTF-8"),
        ("be-bom", "UTF-16 text (byte order mark): save it as UTF-8"),
        ("le", "UTF-16 text (little-endian, no byte order mark): save it as UTF-8"),
        ("be", "UTF-16 text (big-endian, no byte order mark): save it as UTF-8"),
    ])
    func utf16(form: String, message: String) throws {
        let path = try temporaryFolder() + "/u.csv"
        let encoding: String.Encoding = form.hasPrefix("le") ? .utf16LittleEndian : .utf16BigEndian
        var bytes = Array(Self.csv.data(using: encoding)!)
        if form == "le-bom" { bytes = [0xFF, 0xFE] + bytes }
        if form == "be-bom" { bytes = [0xFE, 0xFF] + bytes }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(inputError { _ = try readCSV(path) })
        #expect(error.file == path && error.line == 1 && error.message == message)
    }

    @Test("a UTF-8 byte order mark, as spreadsheets write it, is skipped: the header is still found")
    func utf8ByteOrderMark() throws {
        let path = try temporaryFolder() + "/u.csv"
        try Data([0xEF, 0xBB, 0xBF] + Array(Self.csv.utf8)).write(to: URL(fileURLWithPath: path))
        let bars = try readCSV(path)
        #expect(bars.map(\.start.iso8601) == ["2024-03-05T14:30:00Z", "2024-03-05T14:31:00Z"])
    }

    @Test("empty and 0-byte .gz files are 'empty file', not libarchive's INTERNAL ERROR")
    func emptyGzip() throws {
        let folder = try temporaryFolder()
        #expect(FileManager.default.createFile(atPath: folder + "/zero.csv.gz", contents: Data()))
        try ArchiveFixture.write(folder + "/empty.csv.gz", .gzip, [.file("empty.csv", [])])
        for name in ["zero.csv.gz", "empty.csv.gz"] {
            let path = folder + "/" + name
            let error = try #require(inputError { _ = try readCSV(path) })
            #expect(error.file == path && error.message.hasPrefix("empty file"), "\(error)")
            let viaDataset = try #require(inputError { _ = try DataValidation.validate(paths: [path], hints: DialectHints(), policy: ValidationPolicy()) })
            #expect(!viaDataset.message.contains("INTERNAL"), "\(viaDataset)")
        }
        // A day file named like a flat file, empty once decompressed.
        try ArchiveFixture.write(folder + "/2024-03-11.csv.gz", .gzip, [.file("2024-03-11.csv", [])])
        let flat = try #require(inputError { try PolygonFlatFileReader.forEachBar(path: folder + "/2024-03-11.csv.gz", tickers: nil) { _, _ in } })
        #expect(flat.message.hasPrefix("empty file"), "\(flat)")
    }

    @Test("a real flat file with CR-only line endings reads the same bars (it read as 0 bars, exit 0)", .enabled(if: SharedData.available, SharedData.skipReason))
    func carriageReturnFlatFile() throws {
        let source = SharedData.path("real/flatfiles/us_stocks_sip/minute_aggs_v1/2013/10/2013-10-08.csv.gz")
        var lines: [String] = []
        try ArchiveByteReader(path: source).forEachLine { line, _, _ in lines.append(String(decoding: line, as: UTF8.self)) }
        let folder = try temporaryFolder()
        try lines.joined(separator: "\r").appending("\r").write(toFile: folder + "/2013-10-08.csv", atomically: true, encoding: .utf8)
        var original: [Bar] = [], converted: [Bar] = []
        try PolygonFlatFileReader.forEachBar(path: source, tickers: nil) { bar, _ in original.append(bar) }
        try PolygonFlatFileReader.forEachBar(path: folder + "/2013-10-08.csv", tickers: nil) { bar, _ in converted.append(bar) }
        #expect(original.count == 2_254)  // real/report.csv: AIG, BAC, IBM, SPY on 2013-10-08
        #expect(converted == original)
        let report = try DataValidation.validate(paths: [folder], hints: DialectHints(), policy: ValidationPolicy())
        #expect(report.barsSeen == original.count)
    }

    @Test("a CSV dialect file with CR-only line endings reads the same bars", .enabled(if: SharedData.available, SharedData.skipReason))
    func carriageReturnCSV() throws {
        let source = SharedData.path("csv-dialects/nautilus_6EH4-XCME_1min_semicolon.csv")
        let text = try String(contentsOfFile: source, encoding: .utf8)
        let path = try temporaryFolder() + "/cr.csv"
        try text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r").write(toFile: path, atomically: true, encoding: .utf8)
        let original = try readCSV(source).map { "\($0.start) \($0.open) \($0.close) \($0.volume)" }
        #expect(original.count == 9)
        #expect(try readCSV(path).map { "\($0.start) \($0.open) \($0.close) \($0.volume)" } == original)
    }

    @Test("a tar holding only links is an error naming what it holds (it read as 0 bars, exit 0)")
    func tarOfLinks() throws {
        let folder = try temporaryFolder()
        try ArchiveFixture.write(folder + "/links.tar", .tar, [.symlink("a.csv", target: "/etc/passwd"), .symlink("b.csv", target: "../a.csv")])
        let error = try #require(inputError { _ = try readCSV(folder + "/links.tar") })
        #expect("\(error)" == "\(folder)/links.tar: no CSV file to read: it holds 2 symbolic links (first 'a.csv'), not regular files: links are not followed")
        // Hard links have no data of their own in a tar: skipped the same way.
        try ArchiveFixture.write(folder + "/hard.tar.gz", .tarGzip, [.hardlink("c.csv", target: "elsewhere.csv")])
        let hard = try #require(inputError { _ = try readCSV(folder + "/hard.tar.gz") })
        #expect(hard.message.contains("1 hard link (first 'c.csv')"), "\(hard)")
        // Beside a real member, links are skipped and the member is read.
        try ArchiveFixture.write(folder + "/mixed.tar", .tar, [.symlink("a.csv", target: "/etc/passwd"), .file("X.csv", Array(Self.csv.utf8))])
        #expect(try readCSV(folder + "/mixed.tar").count == 2)
    }

    @Test("a flat file with a header and no rows is a no_bars finding at error level, in validation and in a run")
    func zeroBars() throws {
        let folder = try temporaryFolder()
        try "ticker,volume,open,close,high,low,window_start,transactions\n".write(toFile: folder + "/2024-03-11.csv", atomically: true, encoding: .utf8)
        let report = try DataValidation.validate(paths: [folder], hints: DialectHints(), policy: ValidationPolicy())
        #expect(report.hasErrors)
        #expect(report.findings.map(\.kind) == [.noBars])
        #expect(report.findings.first?.origin.description == folder + "/2024-03-11.csv:2")
        let run = try #require(inputError {
            var stream = try Dataset(paths: [folder]).bars(DataSelection())
            while try stream.next() != nil {}
        })
        #expect(run.file == folder + "/2024-03-11.csv" && run.message.hasPrefix("no_bars"), "\(run)")
        // Kept on purpose, it is still reported.
        var keep = ValidationPolicy()
        keep.actions[.noBars] = .keep
        #expect(try DataValidation.validate(paths: [folder], hints: DialectHints(), policy: keep).findings.map(\.action) == [.keep])
    }

    @Test("a CSV member that is a header alone is a no_bars finding naming it; kept on purpose, the other members replay")
    func headerOnlyMember() throws {
        let folder = try temporaryFolder()
        let bundle = folder + "/b.tar"
        try ArchiveFixture.write(bundle, .tar, [.file("AAA.csv", Array(Self.csv.utf8)), .file("BBB.csv", Array("timestamp,open,high,low,close,volume\n".utf8))])
        let report = try DataValidation.validate(paths: [bundle], hints: DialectHints(), policy: ValidationPolicy())
        #expect(report.hasErrors && report.barsSeen == 2)
        #expect(report.findings.filter { $0.kind == .noBars }.map(\.origin.description) == [bundle + "[BBB.csv]:2"])
        let stop = try #require(inputError { _ = try Dataset(paths: [bundle]).bars(DataSelection()) })
        #expect(stop.file == bundle + "[BBB.csv]" && stop.line == 2 && stop.message.hasPrefix("no_bars"), "\(stop)")
        var keep = ValidationPolicy()
        keep.actions[.noBars] = .keep
        var stream = try Dataset(paths: [bundle]).bars(DataSelection(), policy: keep)
        var count = 0
        while try stream.next() != nil { count += 1 }
        #expect(count == 2)
    }

    @Test("REST pages with no results at all are a no_bars finding, not a clean validation")
    func emptyRestPages() throws {
        let folder = try temporaryFolder()
        try #"{"ticker":"X","queryCount":0,"resultsCount":0,"adjusted":true,"status":"OK","request_id":"a"}"#.write(toFile: folder + "/p.json", atomically: true, encoding: .utf8)
        let report = try DataValidation.validate(paths: [folder], hints: DialectHints(), policy: ValidationPolicy())
        #expect(report.hasErrors && report.findings.map(\.kind) == [.noBars])
    }

    @Test("a REST page with a 30-digit number names the line and the field (it said only 'not valid JSON')")
    func thirtyDigits() throws {
        let path = try temporaryFolder() + "/p.json"
        try """
            {"ticker":"AAPL","status":"OK","queryCount":2,"resultsCount":2,"adjusted":true,
             "results":[
              {"o":1.5,"h":2,"l":1,"c":1.5,"v":100,"t":1710163800000},
              {"o":1.5,"h":2,"l":1,"c":1.5,"v":100,"t":123456789012345678901234567890}
             ]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(inputError { _ = try PolygonRestReader.readPage(path: path) })
        #expect("\(error)" == "\(path):4: field 'results[1].t': the number '123456789012345678901234567890' cannot be read: 30 digits, beyond a 64-bit integer (±9223372036854775807)")
    }
}
