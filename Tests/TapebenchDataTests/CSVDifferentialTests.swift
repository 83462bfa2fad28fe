import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// Python 3 with its `csv` module, the reference for how quoted CSV reads.
enum Python {
    static let available: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import csv, json"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
    static let skipReason: Comment = "needs python3 with its csv module (the reference reader), which is not on this machine"

    /// Each file's records as Python's `csv.reader` reads them, with the physical line each ends on.
    static func read(_ files: [(path: String, separator: String)]) throws -> [[(line: Int, fields: [String])]] {
        let script = """
            import csv, json, sys
            out = []
            for path, sep in zip(sys.argv[1::2], sys.argv[2::2]):
                with open(path, newline='', encoding='utf-8') as f:
                    reader = csv.reader(f, delimiter=sep)
                    out.append([[reader.line_num, row] for row in reader])
            json.dump(out, sys.stdout)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + files.flatMap { [$0.path, $0.separator] }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let decoded = try JSONSerialization.jsonObject(with: data) as! [[[Any]]]
        return decoded.map { $0.map { (line: $0[0] as! Int, fields: $0[1] as! [String]) } }
    }
}

/// Issue 10: the quoted-CSV reader agrees with Python's `csv` module, field by field, on generated files
/// full of separators, quotes, CR and LF inside quotes, and empty fields, read in blocks of every size.
@Suite("attack: quoted CSV against Python's csv module", .enabled(if: Python.available, Python.skipReason))
struct CSVDifferentialTests {
    static let separators: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
    static let terminators = ["\n", "\r\n", "\r"]

    /// A random field: plain text, text with separators, quotes and line breaks (then quoted), a quote
    /// inside an unquoted field (text, as Python reads it), or empty.
    static func field(_ rng: inout Xoshiro256, separator: Character) -> String {
        let pieces: [String] = ["a", "Z", "7", " ", "é", "€", "-", ".", String(separator), "\"", "\n", "\r\n", "\r", "\"\""]
        switch rng.next() % 6 {
        case 0: return ""
        case 1: return "\"\""  // an empty quoted field
        case 2: return "x\"y"  // a quote inside an unquoted field is text
        default:
            let text = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let needsQuotes = text.contains { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            if needsQuotes || rng.next() % 3 == 0 || text.isEmpty {
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return text
        }
    }

    static func file(seed: UInt64) -> (text: String, separator: UInt8, terminator: String) {
        var rng = Xoshiro256(seed: seed)
        let separator = separators[Int(rng.next() % 3)]
        let terminator = terminators[Int(rng.next() % 3)]
        let columns = 1 + Int(rng.next() % 7)
        var lines: [String] = []
        for _ in 0..<(1 + Int(rng.next() % 30)) {
            var row = (0..<columns).map { _ in field(&rng, separator: Character(UnicodeScalar(separator))) }
            if columns == 1, row[0].isEmpty { row[0] = "\"\"" }  // an empty line is no record, to Python as to Tapebench
            lines.append(row.joined(separator: String(UnicodeScalar(separator))))
        }
        let last = rng.next() % 2 == 0 ? terminator : ""
        return (lines.joined(separator: terminator) + last, separator, terminator)
    }

    /// Whether every line break in `bytes` is of the file's kind: LF (alone or after CR) for LF and CRLF
    /// files, CR for CR files.
    static func onlyOwnLineBreaks(_ bytes: [UInt8], _ terminator: String) -> Bool {
        if terminator == "\r" { return !bytes.contains(10) }
        return !bytes.indices.contains { bytes[$0] == 13 && ($0 + 1 == bytes.count || bytes[$0 + 1] != 10) }
    }

    /// Tapebench's records of a file, read in blocks of `blockSize` bytes, with the line each starts on.
    static func tapebench(_ path: String, separator: UInt8, blockSize: Int) throws -> [(line: Int, fields: [String])] {
        var splitter = LineSplitter(source: path, quoted: true)
        splitter.separator = separator
        var records: [(line: Int, fields: [String])] = []
        var fields: [Range<Int>] = []
        var scratch: [UInt8] = []
        // As the bar reader does: the quote-aware split only for records the splitter says may hold a quote.
        let take = { (line: UnsafeBufferPointer<UInt8>, number: Int, mayHoldQuote: Bool) in
            if mayHoldQuote, CSVFields.hasQuote(line) {
                CSVFields.splitQuoted(line, separator: separator, into: &fields, scratch: &scratch)
                records.append((number, scratch.withUnsafeBufferPointer { s in fields.map { s.text($0) } }))
            } else {
                splitFields(line, separator: separator, into: &fields)
                records.append((number, fields.map { line.text($0) }))
            }
        }
        try InputFile(path: path).forEachBlock(size: blockSize) { try splitter.feedRecords($0, take) }
        try splitter.finishRecords(take)
        return records
    }

    @Test("every field of 120 generated files equals Python's, in blocks of 1, 2, 7, 64 and 65 536 bytes")
    func differential() throws {
        let folder = try temporaryFolder()
        var files: [(path: String, separator: UInt8, terminator: String)] = []
        for seed in 0..<120 {
            let (text, separator, terminator) = Self.file(seed: UInt64(seed))
            let path = "\(folder)/\(seed).csv"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            files.append((path, separator, terminator))
        }
        let python = try Python.read(files.map { ($0.path, String(UnicodeScalar($0.separator))) })
        var compared = 0
        for (index, file) in files.enumerated() {
            for blockSize in [1, 2, 7, 64, 1 << 16] {
                let ours = try Self.tapebench(file.path, separator: file.separator, blockSize: blockSize)
                #expect(ours.map(\.fields) == python[index].map(\.fields), "\(file.path), blocks of \(blockSize)")
                // Python counts the line a record ends on; a record starts on the line after the one before
                // ends. Python counts every kind of line break inside quotes, Tapebench the file's own kind:
                // files with other kinds inside quotes are left out of this comparison.
                if Self.onlyOwnLineBreaks(Array(try Data(contentsOf: URL(fileURLWithPath: file.path))), file.terminator) {
                    let starts = [1] + python[index].dropLast().map { $0.line + 1 }
                    #expect(ours.map(\.line) == starts, "\(file.path), blocks of \(blockSize)")
                }
                compared += ours.count
            }
        }
        #expect(compared > 1_000)
    }

    @Test("one record without any line break, quoted, in blocks of every size", arguments: [1, 3, 1 << 16])
    func singleRecord(blockSize: Int) throws {
        let folder = try temporaryFolder()
        for (text, expected) in [("\"a,b\",c", [["a,b", "c"]]), ("x,\"y\"\"z\"\r", [["x", "y\"z"]]), ("\"p\nq\",r", [["p\nq", "r"]])] {
            let path = folder + "/one.csv"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            #expect(try Self.tapebench(path, separator: UInt8(ascii: ","), blockSize: blockSize).map(\.fields) == expected, "\(text)")
        }
        try Data("a,\"b".utf8).write(to: URL(fileURLWithPath: folder + "/open.csv"))
        let open = try #require(inputError { _ = try Self.tapebench(folder + "/open.csv", separator: UInt8(ascii: ","), blockSize: blockSize) })
        #expect(open.line == 1 && open.message.hasPrefix("a quoted field opened on this line is never closed"))
    }

    @Test("a whole quoted file through the bar reader: quoted tickers with separators, quoted prices")
    func throughTheBarReader() throws {
        let path = try temporaryFolder() + "/q.csv"
        try "ticker;timestamp;open;high;low;close\n\"A;B\";\"2024-03-05 09:30:00\";\"10\";11;9;\"10.5\"\r\n\"C\"\"D\";2024-03-05 09:31:00;10;11;9;10\r\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let bars = try readCSV(path)
        #expect(bars.map(\.ticker) == ["A;B", "C\"D"])
        #expect(bars.map(\.close) == [Fixed(parsing: "10.5")!, Fixed(10)])
    }
}
