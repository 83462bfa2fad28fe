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
        let header = try forEachRow(path: path, headers: headers, described: described) { _, fields, line in
            rows.append(((0..<fields.count).map { fields.text($0) }, line))
        }
        return (header, rows)
    }

    /// Reads the tape, handing `row` each non-empty row after the header as it is read: the header found
    /// (one of `headers`), the row's fields (as many as the header's, `Fields`) and its line. Returns the
    /// header. A reader that wants numbers parses them from the line's bytes. The peers' order tape (8,372
    /// rows) loaded in 71 M instructions when each row's seven strings were held until the rows were grouped
    /// (and 1,300 page faults with the copies after it), 47 M with the strings made and dropped row by row,
    /// 31 M from the bytes.
    @discardableResult
    static func forEachRow(path: String, headers: [[String]], described: String? = nil,
                           _ row: (_ header: [String], _ fields: Fields, _ line: Int) throws -> Void) throws -> [String] {
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

    /// One row's fields where the line holds them (valid during the call that hands them over): each as
    /// its trimmed text (`text`), or as bytes where nothing is to be trimmed (`withBytes`).
    struct Fields {
        /// The bytes the ranges index: the line, or the unquoted copy of a line with quotes.
        let bytes: UnsafeBufferPointer<UInt8>
        let ranges: [Range<Int>]

        var count: Int { ranges.count }

        /// The field's bytes when there is nothing to trim: empty, or both ends ASCII other than space and tab.
        func plainBytes(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
            let field = UnsafeBufferPointer(rebasing: bytes[ranges[index]])
            guard let first = field.first, let last = field.last else { return field }
            return TapeCSV.isPlain(first) && TapeCSV.isPlain(last) ? field : nil
        }

        /// The field's text without the white space around it (`TapeCSV.trimmed`).
        func text(_ index: Int) -> String { TapeCSV.trimmed(bytes.text(ranges[index])) }

        func isEmpty(_ index: Int) -> Bool { plainBytes(index)?.isEmpty ?? text(index).isEmpty }

        /// `body` of the field's trimmed text as bytes: in place when plain, else of its trimmed copy.
        func withBytes<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
            if let plain = plainBytes(index) { return try body(plain) }
            var text = text(index)
            return try text.withUTF8(body)
        }

        /// Whether the field's trimmed text is `literal`.
        func equals(_ index: Int, _ literal: String) -> Bool {
            var literal = literal
            return withBytes(index) { field in literal.withUTF8 { field.elementsEqual($0) } }
        }
    }

    private struct Reader {
        let path: String
        let headers: [[String]]
        let described: String?
        var header: [String]?
        var fields: [Range<Int>] = []
        var scratch: [UInt8] = []

        mutating func line(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ row: ([String], Fields, Int) throws -> Void) throws {
            let quoted = CSVFields.hasQuote(line)
            if quoted {
                CSVFields.splitQuoted(line, separator: UInt8(ascii: ","), into: &fields, scratch: &scratch)
            } else {
                splitFields(line, separator: UInt8(ascii: ","), into: &fields)
            }
            try (quoted ? scratch : []).withUnsafeBufferPointer { unquoted in
                let cells = Fields(bytes: quoted ? unquoted : line, ranges: fields)
                guard let header else {
                    let names = (0..<cells.count).map { cells.text($0) }
                    guard headers.contains(names) else {
                        let accepted = described ?? headers.map { $0.joined(separator: ",") }.joined(separator: " or ")
                        throw InputError(file: path, line: number, message: "expected the header \(accepted), got \(InputError.quote(line))")
                    }
                    self.header = names
                    return
                }
                if (0..<cells.count).allSatisfy({ cells.isEmpty($0) }) { return }
                guard cells.count == header.count else {
                    throw InputError(file: path, line: number, message: "expected \(header.count) fields, found \(cells.count)")
                }
                try row(header, cells, number)
            }
        }
    }

    /// A byte that ends a field with nothing to trim: ASCII other than space and tab.
    static func isPlain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && byte != 0x09 }

    /// A field without the white space around it (`CharacterSet.whitespaces`: tab and Unicode's space
    /// separators). Most fields have none: when both ends are ASCII other than space and tab there is nothing
    /// to trim, and Foundation's trimming (three allocations a field, ≈ 40 % of the mallocs of a replay of
    /// an 8,372-row tape) is skipped.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        return isPlain(first) && isPlain(last) ? text : text.trimmingCharacters(in: .whitespaces)
    }

    /// A tape's time: ISO 8601 with an offset, or epoch nanoseconds.
    static func time(_ text: String, fail: (String, String) -> InputError) throws -> Timestamp {
        var text = text
        return try text.withUTF8 { try time(bytes: $0, fail: fail) }
    }

    /// `time` of a field's trimmed bytes.
    static func time(bytes: UnsafeBufferPointer<UInt8>, fail: (String, String) -> InputError) throws -> Timestamp {
        if let ns = FieldParsing.integer(bytes) { return Timestamp(nanoseconds: ns) }
        guard let parsed = DateTimeText.dateTime(bytes, order: .mdy), parsed.utcOffsetSeconds != nil, parsed.hasTime else {
            let text = String(decoding: bytes, as: UTF8.self)
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
