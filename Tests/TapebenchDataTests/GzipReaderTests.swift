import CArchive
import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// The gzip path (ISA-L, `GzipByteReader` behind `ArchiveByteReader`): the same bytes as libarchive read
/// before it, members one after another, and every damaged or cut file one error naming the file.
@Suite struct GzipReaderTests {
    /// Text of `rows` flat-file rows, with a header.
    static func flatText(rows: Int, ending: String = "\n") -> String {
        var text = "ticker,volume,open,close,high,low,window_start,transactions" + ending
        for i in 0..<rows {
            let ticker = "T\(i / 400)"
            text += "\(ticker),\(100 + i % 7),1.\(i % 100),1.01,1.02,0.99,\(1_710_163_800_000_000_000 + Int64(i % 400) * 60_000_000_000),\(i % 3 == 0 ? "" : "3")" + ending
        }
        return text
    }

    static func gzip(_ text: String, in folder: String, name: String = "part.gz") throws -> [UInt8] {
        let path = folder + "/" + name
        try GzipFileWriter.write(Array(text.utf8), to: path)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The decompressed bytes as `ArchiveByteReader` hands them over.
    static func readAll(_ path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try ArchiveByteReader(path: path).forEachBlock { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The decompressed bytes as libarchive's gzip filter hands them over (the reader before ISA-L).
    static func readThroughLibarchive(_ path: String) throws -> [UInt8] {
        let archive = archive_read_new()!
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        archive_read_support_format_raw(archive)
        guard archive_read_open_filename(archive, path, 1 << 16) == ARCHIVE_OK else { throw CocoaError(.fileReadCorruptFile) }
        var entry: OpaquePointer?
        guard archive_read_next_header(archive, &entry) == ARCHIVE_OK else { throw CocoaError(.fileReadCorruptFile) }
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = block.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw CocoaError(.fileReadCorruptFile) }
            if count == 0 { return bytes }
            bytes.append(contentsOf: block[0..<count])
        }
    }

    @Test("a large file, two members, trailing zeros, trailing garbage: the bytes libarchive read")
    func sameBytesAsLibarchive() throws {
        let folder = try temporaryFolder()
        let big = Self.flatText(rows: 20_000)  // about 1 MB: several output blocks and input refills
        let first = try Self.gzip(big, in: folder, name: "a.gz")
        let second = try Self.gzip("AAPL,1,2,3,4,1,1710163800000000000,\n", in: folder, name: "b.gz")
        let cases: [(String, [UInt8], String)] = [
            ("one.csv.gz", first, big),
            ("two.csv.gz", first + second, big + "AAPL,1,2,3,4,1,1710163800000000000,\n"),
            ("zeros.csv.gz", first + [UInt8](repeating: 0, count: 1000), big),
            ("garbage.csv.gz", first + Array("not gzip".utf8), big),
        ]
        for (name, bytes, text) in cases {
            let path = folder + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let read = try Self.readAll(path)
            #expect(read == Array(text.utf8), "\(name)")
            #expect(read == (try Self.readThroughLibarchive(path)), "\(name)")
        }
    }

    @Test("a day written as two gzip members reads as one day")
    func multiMemberDay() throws {
        let folder = try temporaryFolder()
        let text = Self.flatText(rows: 1_000)
        let cut = text.index(text.startIndex, offsetBy: text.count / 2 + 7)  // inside a row
        let bytes = try Self.gzip(String(text[..<cut]), in: folder, name: "a.gz") + Self.gzip(String(text[cut...]), in: folder, name: "b.gz")
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/2024-03-11.csv.gz"))
        try text.write(toFile: folder + "/2024-03-11.csv", atomically: true, encoding: .utf8)
        var gz: [Bar] = [], plain: [Bar] = []
        #expect(try PolygonFlatFileReader.forEachBar(path: folder + "/2024-03-11.csv.gz", tickers: nil) { bar, _ in gz.append(bar) } == 1_000)
        try PolygonFlatFileReader.forEachBar(path: folder + "/2024-03-11.csv", tickers: nil) { bar, _ in plain.append(bar) }
        #expect(gz.count == 1_000 && gz == plain)
    }

    @Test("every cut of a gzip file is one error naming the file, never a short read")
    func everyCut() throws {
        let folder = try temporaryFolder()
        let whole = try Self.gzip(Self.flatText(rows: 300), in: folder)
        let path = folder + "/2024-03-11.csv.gz"
        for length in 3..<whole.count {
            try Data(whole[0..<length]).write(to: URL(fileURLWithPath: path))
            let error = inputError { _ = try Self.readAll(path) }
            #expect(error?.file == path && error?.message == "corrupt or truncated data: truncated gzip input", "cut at \(length): \(String(describing: error))")
        }
    }

    @Test("a damaged stream or checksum is one error naming the file")
    func damaged() throws {
        let folder = try temporaryFolder()
        let whole = try Self.gzip(Self.flatText(rows: 3_000), in: folder)
        let path = folder + "/2024-03-11.csv.gz"
        var checksum = whole
        checksum[checksum.count - 6] ^= 0xff  // the CRC-32 in the trailer
        try Data(checksum).write(to: URL(fileURLWithPath: path))
        let crc = try #require(inputError { _ = try Self.readAll(path) })
        #expect(crc.file == path && crc.line == nil && crc.message == "corrupt or truncated data: gzip checksum mismatch (the data is damaged)")
        var rng = SplitMix64(seed: 11)
        for _ in 0..<40 {
            var bytes = whole
            let at = 10 + Int(rng.next() % UInt64(bytes.count - 18))  // in the deflate data
            bytes[at] ^= UInt8(truncatingIfNeeded: 1 + rng.next() % 255)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            // A flipped bit may still inflate to text of the same length (the checksum then says so) or fail
            // in the deflate data; either way the error is one line about this file.
            let error = try #require(inputError { try PolygonFlatFileReader.forEachBar(path: path, tickers: nil) { _, _ in } })
            #expect(error.file == path && !error.description.contains("\n"), "\(error)")
        }
    }

    @Test("a header with the original file name and a comment (gzip -c writes the name) reads the same bytes")
    func headerFields() throws {
        let folder = try temporaryFolder()
        let text = Self.flatText(rows: 50)
        var bytes = try Self.gzip(text, in: folder)
        #expect(bytes[3] == 0)  // no header fields yet
        bytes[3] = 0x08 | 0x10   // FNAME, FCOMMENT: zero-terminated, right after the 10-byte header
        bytes.insert(contentsOf: Array("2024-03-11.csv\u{0}a comment\u{0}".utf8), at: 10)
        let path = folder + "/2024-03-11.csv.gz"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try Self.readAll(path) == Array(text.utf8))
    }

    @Test("an empty member is an empty file; a member of CRLF lines reads as LF")
    func emptyAndCRLF() throws {
        let folder = try temporaryFolder()
        try Data(try Self.gzip("", in: folder)).write(to: URL(fileURLWithPath: folder + "/2024-03-11.csv.gz"))
        let empty = try #require(inputError { try PolygonFlatFileReader.forEachBar(path: folder + "/2024-03-11.csv.gz", tickers: nil) { _, _ in } })
        #expect(empty.message.hasPrefix("empty file"), "\(empty)")
        try Data(try Self.gzip(Self.flatText(rows: 5_000, ending: "\r\n"), in: folder)).write(to: URL(fileURLWithPath: folder + "/2024-03-12.csv.gz"))
        try Self.flatText(rows: 5_000).write(toFile: folder + "/2024-03-12.csv", atomically: true, encoding: .utf8)
        var crlf: [Bar] = [], lf: [Bar] = []
        try PolygonFlatFileReader.forEachBar(path: folder + "/2024-03-12.csv.gz", tickers: nil) { bar, _ in crlf.append(bar) }
        try PolygonFlatFileReader.forEachBar(path: folder + "/2024-03-12.csv", tickers: nil) { bar, _ in lf.append(bar) }
        #expect(crlf.count == 5_000 && crlf == lf)
    }
}
