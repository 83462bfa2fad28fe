import Foundation
import Testing
import TapebenchCore
import TapebenchTestSupport
@testable import TapebenchData

/// A stream of flat files is read through one set of buffers (`FlatFileReading`: inflate buffers, line
/// splitter, last ticker's bytes, field list) and a listing probes headers through one `HeaderProbe`: each
/// file must read exactly as it does with buffers of its own, whatever the file before it was (bigger,
/// another header, another line ending, damaged, or stopped by an error half-way).
@Suite struct SharedReadingTests {
    /// What one read gives: its rows as text (ticker, line and values), or its error's line.
    static func outcome(_ path: String, _ read: (String, (String, FlatFileRow, Int) throws -> Void) throws -> Int,
                        stopAt: Int? = nil) -> [String] {
        var rows: [String] = []
        do {
            let count = try read(path) { ticker, row, line in
                if let stopAt, rows.count == stopAt { throw InputError(file: path, line: line, message: "stopped by the consumer") }
                rows.append("\(ticker) \(line) \(row.start) \(row.open) \(row.high) \(row.low) \(row.close) \(row.volume) \(row.trades.map(String.init) ?? "-")")
            }
            rows.append("rows \(count)")
        } catch {
            rows.append("error \(error)")
        }
        return rows
    }

    static func write(_ text: String, _ path: String, gzip: Bool) throws {
        if gzip { try GzipFileWriter.write(Array(text.utf8), to: path) } else { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
    }

    @Test("one FlatFileReading for a stream of files reads each file as its own reader does")
    func sharedAcrossFiles() throws {
        let folder = try TestScratch.folder("shared-reading")
        // 5,000 rows: several inflate blocks; its last ticker is T12.
        let big = GzipReaderTests.flatText(rows: 5_000)
        var files: [(name: String, stopAt: Int?)] = []
        try Self.write(big, folder + "/a.csv.gz", gzip: true)
        files.append(("a.csv.gz", nil))
        // Damaged in the middle: inflate fails with input left over in the shared input buffer.
        var damaged = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/a.csv.gz")))
        for i in stride(from: damaged.count / 2, to: damaged.count / 2 + 64, by: 1) { damaged[i] ^= 0x5a }
        try Data(damaged).write(to: URL(fileURLWithPath: folder + "/b.csv.gz"))
        files.append(("b.csv.gz", nil))
        // The same ticker as the last one read (T12) first: its bytes must not be taken for the file before's.
        try Self.write("ticker,volume,open,close,high,low,window_start\nT12,5,2.5,2.5,2.6,2.4,1710163800000000000\nT13,6,3,3,3,3,1710163860000000000\n",
                       folder + "/c.csv.gz", gzip: true)
        files.append(("c.csv.gz", nil))
        // Another column order (the general path), CRLF, uncompressed.
        try Self.write("window_start,ticker,open,high,low,close,volume,transactions\r\n1710163800000000000,T13,1,1.5,0.5,1.25,10,\r\n1710163860000000000,X,2,2,2,2,20,4\r\n",
                       folder + "/d.csv", gzip: false)
        files.append(("d.csv", nil))
        // Stopped by the consumer half-way, then the big file again, and a bad row, and an empty file.
        files.append(("a.csv.gz", 2_345))
        files.append(("a.csv.gz", nil))
        try Self.write("ticker,volume,open,close,high,low,window_start\nT12,5,2.5,2.5,2.6,2.4,1710163800000000000\nT12,5,oops,2.5,2.6,2.4,1710163860000000000\n",
                       folder + "/e.csv", gzip: false)
        files.append(("e.csv", nil))
        try Self.write("", folder + "/f.csv", gzip: false)
        files.append(("f.csv", nil))
        files.append(("c.csv.gz", nil))
        // CR line endings (the file before ended in CRLF, the one before that in LF).
        try Self.write(GzipReaderTests.flatText(rows: 300, ending: "\r"), folder + "/g.csv.gz", gzip: true)
        files.append(("g.csv.gz", nil))
        files.append(("d.csv", nil))

        var reading = FlatFileReading()
        var shared: [[String]] = []
        var own: [[String]] = []
        for file in files {
            let path = folder + "/" + file.name
            shared.append(Self.outcome(path, { try PolygonFlatFileReader.forEachRow(path: $0, tickers: nil, reading: &reading, $1) }, stopAt: file.stopAt))
            own.append(Self.outcome(path, { try PolygonFlatFileReader.forEachRow(path: $0, tickers: nil, $1) }, stopAt: file.stopAt))
        }
        #expect(shared == own)
        // The cases are what they claim to be (hand-checked facts of each outcome).
        #expect(own[0].count == 5_001 && own[0].last == "rows 5000")
        #expect(own[1].last?.contains("corrupt or truncated data") == true)
        #expect(own[2] == ["T12 2 1710163800000000000 250000000 260000000 240000000 250000000 5.0 -", "T13 3 1710163860000000000 300000000 300000000 300000000 300000000 6.0 -", "rows 2"])
        #expect(own[3] == ["T13 2 1710163800000000000 100000000 150000000 50000000 125000000 10.0 -", "X 3 1710163860000000000 200000000 200000000 200000000 200000000 20.0 4", "rows 2"])
        #expect(own[4].count == 2_346 && own[4].last?.contains("stopped by the consumer") == true)
        #expect(own[6].last?.contains("field 'open'") == true)
        #expect(own[7].last?.contains("empty file") == true)
        #expect(own[9].last == "rows 300")
    }

    @Test("a reset splitter splits like a new one, after a stream stopped mid-line or refused")
    func splitterReset() throws {
        func lines(_ splitter: inout LineSplitter, _ blocks: [String]) -> [String] {
            var out: [String] = []
            do {
                for block in blocks {
                    try Array(block.utf8).withUnsafeBytes { bytes in
                        try splitter.feed(bytes) { line, number in out.append("\(number):\(String(decoding: line, as: UTF8.self))") }
                    }
                }
                try splitter.finish { line, number in out.append("\(number):\(String(decoding: line, as: UTF8.self))") }
            } catch {
                out.append("error \(error)")
            }
            return out
        }
        let next = ["x,1\r\ny,", "2\r\nz,3"]
        let fresh: [String] = {
            var splitter = LineSplitter(source: "next.csv", maximumLineBytes: 16)
            return lines(&splitter, next)
        }()
        #expect(fresh == ["1:x,1", "2:y,2", "3:z,3"])
        // Stopped with CR endings decided and a line carried over.
        var splitter = LineSplitter(source: "first.csv", maximumLineBytes: 16)
        try Array("a\rb\rcarried".utf8).withUnsafeBytes { bytes in try splitter.feed(bytes) { _, _ in } }
        splitter.reset(source: "next.csv")
        #expect(lines(&splitter, next) == fresh)
        // Refused: a line over the maximum, half gathered before the first line break.
        splitter = LineSplitter(source: "first.csv", maximumLineBytes: 16)
        #expect(lines(&splitter, ["0123456789", "0123456789\n"]).last?.contains("first.csv:1") == true)
        splitter.reset(source: "next.csv")
        #expect(lines(&splitter, next) == fresh)
        // Refused as UTF-16; the next stream's errors name the next source.
        splitter = LineSplitter(source: "first.csv", maximumLineBytes: 16)
        let utf16: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00]
        #expect(throws: InputError.self) { try utf16.withUnsafeBytes { bytes in try splitter.feed(bytes) { _, _ in } } }
        splitter.reset(source: "next.csv")
        #expect(lines(&splitter, next) == fresh)
        splitter.reset(source: "next.csv")
        #expect(lines(&splitter, ["0123456789012345678\n"]).last?.contains("next.csv:1") == true)
    }

    @Test("one HeaderProbe for a listing classifies each file as a probe of its own does")
    func probeAcrossFiles() throws {
        let folder = try TestScratch.folder("header-probe")
        let header = "ticker,volume,open,close,high,low,window_start,transactions"
        let cases: [(name: String, text: String, gzip: Bool, flat: Bool)] = [
            ("2024-03-11.csv.gz", GzipReaderTests.flatText(rows: 2_000), true, true),
            // A first line longer than the probe's 512-byte block, then a flat file after it; compressed too.
            ("2024-03-12.csv", String(repeating: "long,", count: 2_000) + "\n" + header + "\n", false, false),
            ("2024-03-20.csv.gz", String(repeating: "long,", count: 2_000) + "\n" + header + "\n", true, false),
            // A flat-file header spread over several of the probe's blocks (its names padded with spaces).
            ("2024-03-21.csv.gz", "ticker" + String(repeating: " ", count: 700) + ",volume,open,close,high,low,window_start\nx\n", true, true),
            ("2024-03-13.csv.gz", header + "\r\nT,1,1,1,1,1,1710163800000000000,\r\n", true, true),
            // Polygon's names in another order and spaced: not the exact header, still a flat file.
            ("2024-03-14.csv", " window_start , ticker,open,close,high,low,volume\nx\n", false, true),
            ("2024-03-15.csv", "", false, false),
            ("2024-03-16.csv", "\u{FEFF}" + header + "\n", false, true),
            ("2024-03-17.csv", "date,open,high,low,close,volume\n", false, false),
            ("2024-03-18.csv", header, false, true),
            ("2024-03-19.csv", "ticker,volume,open,close,high,low\n", false, false),
        ]
        var probe = DataInspector.HeaderProbe()
        for item in cases {
            let path = folder + "/" + item.name
            try Self.write(item.text, path, gzip: item.gzip)
            let shared = try probe.hasFlatFileHeader(path)
            var own = DataInspector.HeaderProbe()
            #expect(shared == item.flat, "\(item.name)")
            #expect(try own.hasFlatFileHeader(path) == item.flat, "\(item.name)")
            #expect(try DataInspector.format(of: path, probe: &probe) == (item.flat ? .polygonFlatFile : .csv), "\(item.name)")
        }
    }

    /// The bytes `ArchiveByteReader` hands over, reading through `buffers` (nil: its own).
    static func bytes(_ path: String, _ buffers: InflateBuffers?) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try ArchiveByteReader(path: path, inflate: buffers).forEachBlock { bytes.append(contentsOf: $0) }
        return bytes
    }

    @Test("shared inflate buffers, the magic seen in the first block read: the bytes libarchive reads, at every size around the input block")
    func sharedGzipSizes() throws {
        let folder = try TestScratch.folder("shared-gzip")
        let buffers = InflateBuffers()
        let text = GzipReaderTests.flatText(rows: 40_000)
        let member = try GzipReaderTests.gzip(text, in: folder, name: "member.gz")
        #expect(member.count > buffers.inputSize)  // several refills
        let small = try GzipReaderTests.gzip(GzipReaderTests.flatText(rows: 50), in: folder, name: "small.gz")
        // Trailing zeros (ignored, as gzip does) make files of exactly the input block's size, one byte less and
        // one more: the file ends with the first read, or one byte after it.
        var cases: [(name: String, bytes: [UInt8])] = [("big.csv.gz", member), ("two.csv.gz", small + small), ("tiny.csv.gz", small)]
        for extra in [-1, 0, 1] {
            cases.append(("pad\(extra).csv.gz", small + [UInt8](repeating: 0, count: buffers.inputSize + extra - small.count)))
        }
        // Not gzip: read by libarchive from the start, after the shared buffer read its first block.
        cases.append(("plain.csv", Array(text.utf8)))
        for (name, bytes) in cases {
            let path = folder + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let shared = try Self.bytes(path, buffers)
            #expect(shared == (try Self.bytes(path, nil)), "\(name)")
            #expect(shared == (try GzipReaderTests.readThroughLibarchive(path)), "\(name)")
        }
        #expect(try Self.bytes(folder + "/two.csv.gz", buffers).count == 2 * GzipReaderTests.flatText(rows: 50).utf8.count)
        // Cut files are one error each, through shared buffers too.
        for cut in [10, member.count / 2, member.count - 1] {
            let path = folder + "/cut.csv.gz"
            try Data(member.prefix(cut)).write(to: URL(fileURLWithPath: path))
            #expect(throws: InputError.self) { try Self.bytes(path, buffers) }
        }
    }

    /// The blocks `ArchiveByteReader` hands over, reading through `buffers`.
    static func blocks(_ path: String, _ buffers: InflateBuffers) throws -> [[UInt8]] {
        var blocks: [[UInt8]] = []
        try ArchiveByteReader(path: path, inflate: buffers).forEachBlock { blocks.append(Array($0)) }
        return blocks
    }

    @Test("a reader of small blocks hands ISA-L its input a step at a time: the same bytes, and every block but a member's last full")
    func steppedInput() throws {
        let folder = try TestScratch.folder("stepped-gzip")
        // The listing's header probe: 512-byte blocks from 1 KiB of input, handed over 128 bytes at a time.
        let probe = InflateBuffers(outputSize: 1 << 9, inputSize: 1 << 10)
        #expect(probe.inputStep == 128)
        #expect(InflateBuffers().inputStep == InflateBuffers().inputSize)  // the day reader's: no steps
        let text = GzipReaderTests.flatText(rows: 3_000)
        let member = try GzipReaderTests.gzip(text, in: folder, name: "member.gz")
        let small = try GzipReaderTests.gzip(GzipReaderTests.flatText(rows: 50), in: folder, name: "small.gz")
        let header = try GzipReaderTests.gzip(GzipReaderTests.flatText(rows: 0), in: folder, name: "header.gz")
        let headerLength = GzipReaderTests.flatText(rows: 0).utf8.count
        // With the length of the first member's text: a block ends where a member does.
        var cases: [(name: String, bytes: [UInt8], first: Int)] = [
            ("big.csv.gz", member, .max), ("two.csv.gz", small + small, .max), ("tiny.csv.gz", small, .max),
            ("header.csv.gz", header, .max), ("three.csv.gz", header + small + header, headerLength)]
        for extra in [-1, 0, 1] {
            cases.append(("pad\(extra).csv.gz", small + [UInt8](repeating: 0, count: probe.inputSize + extra - small.count), .max))
        }
        for (name, bytes, first) in cases {
            let path = folder + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let blocks = try Self.blocks(path, probe)
            let whole = try GzipReaderTests.readThroughLibarchive(path)
            #expect(Array(blocks.joined()) == whole, "\(name)")
            // The first block is the file's first 512 bytes (or all of a shorter first member), as one call on
            // all the kilobyte read made it (a kilobyte of deflate makes more than 512 bytes): the bytes checked
            // for NULs.
            #expect(blocks.first == Array(whole.prefix(min(probe.outputSize, first))), "\(name)")
        }
        #expect(try Self.blocks(folder + "/big.csv.gz", probe).dropLast().allSatisfy { $0.count == probe.outputSize })
        // A probe's reader stops after its first line; the same buffers then read a whole file from its start.
        let path = folder + "/big.csv.gz"
        _ = try ArchiveByteReader(path: path, inflate: probe).forEachBlock(until: { _ in false })
        #expect(Array(try Self.blocks(path, probe).joined()) == Array(text.utf8))
        for cut in [10, member.count / 2, member.count - 1] {
            let cutPath = folder + "/cut.csv.gz"
            try Data(member.prefix(cut)).write(to: URL(fileURLWithPath: cutPath))
            #expect(throws: InputError.self) { try Self.blocks(cutPath, probe) }
        }
    }

    @Test("a file read whole is inflated by one call into one block when its text fits, else streamed: the same bytes")
    func wholeFileInOneCall() throws {
        let folder = try TestScratch.folder("whole-gzip")
        let buffers = InflateBuffers()
        let fits = GzipReaderTests.flatText(rows: 400)
        let larger = GzipReaderTests.flatText(rows: 8_000)  // more text than a block, less input than the buffer
        #expect(fits.utf8.count < buffers.outputSize && larger.utf8.count > buffers.outputSize)
        let small = try GzipReaderTests.gzip(fits, in: folder, name: "fits.gz")
        let big = try GzipReaderTests.gzip(larger, in: folder, name: "larger.gz")
        #expect(big.count < buffers.inputSize)
        var damaged = small
        damaged[damaged.count - 6] ^= 0xff  // the CRC-32 in the trailer
        let cases: [(name: String, bytes: [UInt8], blocks: Int?)] = [
            ("fits.csv.gz", small, 1), ("larger.csv.gz", big, nil), ("two.csv.gz", small + small, 2),
            ("zeros.csv.gz", small + [0, 0, 0], 1)]
        for (name, bytes, count) in cases {
            let path = folder + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let blocks = try Self.blocks(path, buffers)
            #expect(Array(blocks.joined()) == (try GzipReaderTests.readThroughLibarchive(path)), "\(name)")
            if let count { #expect(blocks.count == count, "\(name)") } else { #expect(blocks.first?.count == buffers.outputSize) }
        }
        // Damage is reported as the streaming path reports it: a bad checksum, a second member's magic alone.
        for (name, bytes, message) in [("damaged.csv.gz", damaged, "gzip checksum mismatch (the data is damaged)"),
                                       ("magic.csv.gz", small + [0x1f, 0x8b], "truncated gzip input")] {
            let path = folder + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect { try Self.blocks(path, buffers) } throws: { error in
                (error as? InputError)?.message == "corrupt or truncated data: " + message
            }
        }
    }
}
