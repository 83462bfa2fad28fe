import Foundation
import TapebenchCore
import TapebenchData

/// Reading a tape (an order tape or a signal tape): UTF-8 text with LF, CRLF or CR line endings, fields quoted
/// or not (RFC 4180), lines at most 1 MiB, only a regular file (a FIFO would block). The header is one of a
/// few accepted column lists; every later row has as many fields as the header. Shared by both tapes so they
/// read, and fail, alike.
enum TapeCSV {
    /// The header found (one of `headers`) and every non-empty row after it: trimmed fields and the line.
    /// `described`: the accepted headers in words for the error (default: each listed).
    static func read(path: String, headers: [[String]], described: String? = nil) throws -> (header: [String], rows: [(fields: [String], line: Int)]) {
        var rows: [(fields: [String], line: Int)] = []
        let header = try forEachRow(path: path, headers: headers, described: described) { _, fields, line in rows.append((fields, line)) }
        return (header, rows)
    }

    /// Reads the tape, handing `row` each non-empty row after the header as it is read: the header found
    /// (one of `headers`), the row's trimmed fields (as many as the header's) and its line. Returns the
    /// header. The fields' array is one, refilled for each row: a row's strings are the reader's to keep,
    /// not the array (an order tape of 8,372 rows held an array of seven strings a row until it was
    /// grouped: ≈ 28 M instructions and 1,300 page faults with the copies after it).
    @discardableResult
    static func forEachRow(path: String, headers: [[String]], described: String? = nil,
                           _ row: (_ header: [String], _ fields: [String], _ line: Int) throws -> Void) throws -> [String] {
        let file = try InputFile(path: path)
        var splitter = LineSplitter(source: path, quoted: true)
        splitter.separator = UInt8(ascii: ",")
        var reader = Reader(path: path, headers: headers, described: described)
        try file.forEachBlock { block in try splitter.feed(block) { try reader.line($0, $1, row) } }
        try splitter.finish { try reader.line($0, $1, row) }
        guard let header = reader.header else {
            throw InputError(file: path, line: 1, message: "empty file: expected the header \(headers[0].joined(separator: ","))")
        }
        return header
    }

    private struct Reader {
        let path: String
        let headers: [[String]]
        let described: String?
        var header: [String]?
        var fields: [Range<Int>] = []
        var scratch: [UInt8] = []
        /// The last row's fields, emptied in place for the next.
        var texts: [String] = []

        mutating func line(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ row: ([String], [String], Int) throws -> Void) throws {
            split(line)
            guard let header else {
                guard headers.contains(texts) else {
                    let accepted = described ?? headers.map { $0.joined(separator: ",") }.joined(separator: " or ")
                    throw InputError(file: path, line: number, message: "expected the header \(accepted), got \(InputError.quote(line))")
                }
                self.header = texts
                return
            }
            if texts.allSatisfy(\.isEmpty) { return }
            guard texts.count == header.count else {
                throw InputError(file: path, line: number, message: "expected \(header.count) fields, found \(texts.count)")
            }
            try row(header, texts, number)
        }

        mutating func split(_ line: UnsafeBufferPointer<UInt8>) {
            texts.removeAll(keepingCapacity: true)
            if CSVFields.hasQuote(line) {
                CSVFields.splitQuoted(line, separator: UInt8(ascii: ","), into: &fields, scratch: &scratch)
                scratch.withUnsafeBufferPointer { s in for range in fields { texts.append(TapeCSV.trimmed(s.text(range))) } }
                return
            }
            splitFields(line, separator: UInt8(ascii: ","), into: &fields)
            for range in fields { texts.append(TapeCSV.trimmed(line.text(range))) }
        }
    }

    /// A field without the white space around it (`CharacterSet.whitespaces`: tab and Unicode's space
    /// separators). Most fields have none: when both ends are ASCII other than space and tab there is nothing
    /// to trim, and Foundation's trimming (three allocations a field, ≈ 40 % of the mallocs of a replay of
    /// an 8,372-row tape) is skipped.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func plain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && byte != 0x09 }
        return plain(first) && plain(last) ? text : text.trimmingCharacters(in: .whitespaces)
    }

    /// A tape's time: ISO 8601 with an offset, or epoch nanoseconds.
    static func time(_ text: String, fail: (String, String) -> InputError) throws -> Timestamp {
        if let ns = Int64(text) { return Timestamp(nanoseconds: ns) }
        var bytes = Array(text.utf8)
        guard let parsed = bytes.withUnsafeMutableBufferPointer({ DateTimeText.dateTime(UnsafeBufferPointer($0), order: .mdy) }),
              parsed.utcOffsetSeconds != nil, parsed.hasTime else {
            throw fail("time", "expected ISO 8601 with an offset (2024-03-11T09:45:00-04:00) or epoch nanoseconds, got \(InputError.quote(text))")
        }
        return parsed.instant(in: .utc)
    }

    /// The first row (by line) whose America/New_York date falls outside the data's period, as an error.
    /// A row of 1900 would otherwise be placed at the first bar of 2024, and a row after the data never.
    /// The rows are walked once as they lie (each tape's own order), not gathered and sorted.
    static func checkPeriod(file: String, rows: some Sequence<(time: Timestamp, line: Int)>, firstBar: Timestamp, lastBar: Timestamp,
                            what: String) throws {
        let first = EasternTime.local(firstBar).date, last = EasternTime.local(lastBar).date
        var outside: (time: Timestamp, line: Int)?
        for row in rows where outside.map({ row.line < $0.line }) ?? true {
            let date = EasternTime.local(row.time).date
            if date < first || last < date { outside = row }
        }
        guard let row = outside else { return }
        throw InputError(file: file, line: row.line, field: "time",
                         message: "\(row.time.iso8601) is outside the data's period (\(first) to \(last), America/New_York dates); a tape's \(what) must fall inside the data it replays on")
    }
}
