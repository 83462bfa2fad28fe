#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore

/// Splits a byte stream into lines, numbering them from 1. A line is handed over as a buffer valid only
/// during the call, without its line ending.
///
/// - Line endings: LF or CRLF, or CR alone (old spreadsheet exports), decided at the first line break.
/// - A line is at most `maximumLineBytes` (1 MiB): a longer one is an error naming the file and the line,
///   so a file without line breaks (`/dev/zero` data, a NUL-filled archive) cannot grow memory without bound.
/// - Text is UTF-8: a UTF-8 byte order mark is skipped; UTF-16 and binary data (NUL bytes at the start) are
///   refused with a message that says so.
/// - `quoted` (CSV, RFC 4180): a line break inside a double-quoted field belongs to the field, so a record
///   can span lines; it is numbered by its first line. Blocks without a quote take the plain fast path.
public struct LineSplitter {
    public static let maximumLineBytes = 1 << 20

    /// Where errors point: a file, or `bundle.zip[member]`.
    public let source: String
    public let quoted: Bool
    /// The field separator, for `quoted`: a quote opens a quoted field only at the start of a field. Nil
    /// (before the dialect is known): any of `,` `;` tab `|`.
    public var separator: UInt8?
    /// The number of the last line handed over (the first line of a record spanning several).
    public private(set) var lineNumber = 0
    let maximum: Int

    private var carry: [UInt8] = []
    /// The carry's other buffer: what was gathered before the first line break is split from one while
    /// the other takes the next carry (kept, with `head`, by `reset` for the next file of a stream).
    private var spare: [UInt8] = []
    /// 10 (LF, CRLF) or 13 (CR alone); 0 before the first line break.
    private var terminator: UInt8 = 0
    private var started = false
    /// The first bytes, until there are enough to tell the encoding.
    private var head: [UInt8] = []
    /// While the line ending is not known: how far the carry has been scanned, and the quote state there
    /// (a line break inside quotes does not tell the file's line ending).
    private var endingScanPosition = 0
    private var endingScanState = QuoteState.fieldStart
    private var state = QuoteState.fieldStart
    /// Physical lines handed over so far, and line breaks inside quotes in the record being read.
    private var physicalLines = 0
    private var breaksInRecord = 0

    enum QuoteState { case fieldStart, unquoted, quoted, quoteInQuoted }
    public typealias Body = (_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ mayHoldQuote: Bool) throws -> Void
    /// Whether the carried part of a record came through the quote-aware path.
    private var carryMayHoldQuote = false

    public init(source: String, quoted: Bool = false, maximumLineBytes: Int = LineSplitter.maximumLineBytes) {
        self.source = source
        self.quoted = quoted
        self.maximum = maximumLineBytes
    }

    /// The splitter of a new stream from `source`, as `init` makes it, keeping its buffers' memory: a
    /// stream of day files splits them one after another with one splitter (two mallocs a file less).
    public mutating func reset(source: String) {
        var carry = self.carry, spare = self.spare, head = self.head
        self = LineSplitter(source: source, quoted: quoted, maximumLineBytes: maximum)
        carry.removeAll(keepingCapacity: true)
        spare.removeAll(keepingCapacity: true)
        head.removeAll(keepingCapacity: true)
        (self.carry, self.spare, self.head) = (carry, spare, head)
    }

    /// Calls `body` with each line that ends in `block` and its number.
    public mutating func feed(_ block: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        try feedRecords(block) { line, number, _ in try body(line, number) }
    }

    /// Hands over the last line when the stream does not end with a line break.
    public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        try finishRecords { line, number, _ in try body(line, number) }
    }

    /// `feed` for CSV records, with a third argument: whether the record may hold a double quote (false
    /// when it came through the plain path, so the field splitter needs no look for one).
    public mutating func feedRecords(_ block: UnsafeRawBufferPointer, _ body: Body) throws {
        try withoutActuallyEscaping(body) { body in
            var consumer = ClosureLineConsumer(body: body)
            try feedRecords(block, into: &consumer)
        }
    }

    /// `feedRecords` handing the lines to `consumer`, called directly by the split loop (see `LineConsumer`).
    mutating func feedRecords<Consumer: LineConsumer>(_ block: UnsafeRawBufferPointer, into consumer: inout Consumer) throws {
        let bytes = block.bindMemory(to: UInt8.self)
        guard started else {
            // The encoding is told from the start of the text: its byte order mark needs 4 bytes, gathered
            // across small blocks if need be (NULs are looked for in the whole first block, up to 4 KiB).
            // A first block of 4 bytes or more is looked at where it is: gathering it copied the whole of a
            // small day file (1,260 files on the peers tape).
            if head.isEmpty, bytes.count >= 4 {
                started = true
                return try consume(TextEncodingCheck.skippingByteOrderMark(bytes, source: source), &consumer)
            }
            head.append(contentsOf: bytes)
            if head.count >= 4 { try startText(&consumer) }
            return
        }
        try consume(bytes, &consumer)
    }

    /// The start of the text, checked for its encoding, then read as any block.
    private mutating func startText<Consumer: LineConsumer>(_ consumer: inout Consumer) throws {
        started = true
        var first = head
        head = []
        try first.withUnsafeBufferPointer { try consume(TextEncodingCheck.skippingByteOrderMark($0, source: source), &consumer) }
        first.removeAll(keepingCapacity: true)
        head = first
    }

    /// Splits what was gathered in the carry, the carry taking the spare buffer meanwhile.
    private mutating func splitGathered<Consumer: LineConsumer>(_ consumer: inout Consumer) throws {
        var pending = carry
        carry = spare
        spare = []
        try pending.withUnsafeBufferPointer { try split($0, &consumer) }
        pending.removeAll(keepingCapacity: true)
        spare = pending
    }

    private mutating func consume<Consumer: LineConsumer>(_ bytes: UnsafeBufferPointer<UInt8>, _ consumer: inout Consumer) throws {
        guard terminator == 0 else { return try split(bytes, &consumer) }
        // Before the first line break: gather until the line ending can be told (a CR needs the next byte).
        // Nothing gathered yet: the block is looked at in place, and copied only when it does not tell.
        if carry.isEmpty {
            var position = 0, state = QuoteState.fieldStart
            if let ending = lineEnding(in: bytes, position: &position, state: &state) {
                terminator = ending
                return try split(bytes, &consumer)
            }
            (endingScanPosition, endingScanState) = (position, state)
        }
        carry.append(contentsOf: bytes)
        guard let ending = lineEnding() else {
            if carry.count > maximum { throw tooLong() }
            return
        }
        terminator = ending
        try splitGathered(&consumer)
    }

    /// `finish` for CSV records (see `feedRecords`).
    public mutating func finishRecords(_ body: Body) throws {
        try withoutActuallyEscaping(body) { body in
            var consumer = ClosureLineConsumer(body: body)
            try finishRecords(into: &consumer)
        }
    }

    /// `finishRecords` handing the last line to `consumer`.
    mutating func finishRecords<Consumer: LineConsumer>(into consumer: inout Consumer) throws {
        if !started { try startText(&consumer) }
        if terminator == 0 {
            // No line break but perhaps a final CR: what was gathered is split now, quotes followed.
            terminator = carry.last == 13 ? 13 : 10
            try splitGathered(&consumer)
        }
        if quoted, state == .quoted {
            throw InputError(file: source, line: physicalLines + 1, message: "a quoted field opened on this line is never closed (a \" missing)")
        }
        guard !carry.isEmpty else { return }
        try emitCarry(&consumer, mayHoldQuote: carryMayHoldQuote)
    }

    // MARK: - Splitting

    private mutating func split<Consumer: LineConsumer>(_ bytes: UnsafeBufferPointer<UInt8>, _ consumer: inout Consumer) throws {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        // The fast path: no quote in the block, and none open from the block before.
        let plain = !quoted || ((state == .fieldStart || state == .unquoted) && memchr(base, 34, count) == nil)
        var start = 0
        // The first record may end one carried from the blocks before.
        if !carry.isEmpty {
            guard let end = plain ? find(terminator, base, from: 0, count) : scanQuoted(bytes, from: 0) else { return try keep(bytes, from: 0, plain) }
            if carry.count + end > maximum { throw tooLong() }
            carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<end]))
            try emitCarry(&consumer, mayHoldQuote: carryMayHoldQuote || !plain)
            start = end + 1
        }
        if plain {
            // One memchr per line, the line handed over in place: the loop every unquoted file runs.
            while start < count, let end = find(terminator, base, from: start, count) {
                if end - start > maximum { throw tooLong() }
                physicalLines &+= 1
                lineNumber = physicalLines
                let stop = terminator == 10 && end > start && base[end - 1] == 13 ? end - 1 : end
                try consumer.line(UnsafeBufferPointer(start: base + start, count: stop - start), number: lineNumber, mayHoldQuote: false)
                start = end + 1
            }
            if quoted { state = .fieldStart }
        } else {
            while start < count, let end = scanQuoted(bytes, from: start) {
                if end - start > maximum { throw tooLong() }
                try emit(UnsafeBufferPointer(rebasing: bytes[start..<end]), &consumer, mayHoldQuote: true)
                start = end + 1
            }
        }
        if start < count { try keep(bytes, from: start, plain) }
    }

    /// The index of the next `byte` at or after `start`.
    @inline(__always)
    private func find(_ byte: UInt8, _ base: UnsafePointer<UInt8>, from start: Int, _ count: Int) -> Int? {
        memchr(base + start, Int32(byte), count - start).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
    }

    /// Keeps the rest of a block, a record that goes on in the next one.
    private mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ plain: Bool) throws {
        if carry.count + (bytes.count - start) > maximum { throw tooLong() }
        carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        carryMayHoldQuote = carryMayHoldQuote || !plain
        // The plain path skips the quote state; without quotes it depends only on the last byte.
        if quoted, plain { state = isSeparator(bytes[bytes.count - 1]) ? .fieldStart : .unquoted }
    }

    /// The index of the line break that ends the record, following quotes from `start`; nil when the record
    /// goes on past the block. Line breaks inside quotes are counted for the line numbers.
    private mutating func scanQuoted(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if c == terminator {
                if state != .quoted {
                    state = .fieldStart
                    return i
                }
                breaksInRecord += 1
            }
            state = next(state, c)
            i += 1
        }
        return nil
    }

    private func isSeparator(_ c: UInt8) -> Bool {
        if let separator { return c == separator }
        return c == 44 || c == 59 || c == 9 || c == 124
    }

    private mutating func emitCarry<Consumer: LineConsumer>(_ consumer: inout Consumer, mayHoldQuote: Bool) throws {
        // Swapped out so that `emit` may mutate self while the buffer is borrowed.
        let line = carry
        carry = []
        carryMayHoldQuote = false
        try line.withUnsafeBufferPointer { try emit($0, &consumer, mayHoldQuote: mayHoldQuote) }
        carry = line
        carry.removeAll(keepingCapacity: true)
    }

    private mutating func emit<Consumer: LineConsumer>(_ line: UnsafeBufferPointer<UInt8>, _ consumer: inout Consumer, mayHoldQuote: Bool) throws {
        lineNumber = physicalLines + 1
        physicalLines += 1 + breaksInRecord
        breaksInRecord = 0
        let crlf = terminator == 10 && line.last == 13
        try consumer.line(crlf ? UnsafeBufferPointer(rebasing: line[0..<(line.count - 1)]) : line, number: lineNumber, mayHoldQuote: mayHoldQuote)
    }

    @inline(never)
    private func tooLong() -> InputError {
        let line = physicalLines + 1
        if quoted, state == .quoted {
            return InputError(file: source, line: line, message: "a quoted field opened on this line is not closed within \(maximum) bytes (a \" missing?)")
        }
        return InputError(file: source, line: line, message: "line longer than \(maximum) bytes: not line-based text (binary data, or no line breaks)")
    }

    /// The line ending, from the first line break in the carry outside quotes (when `quoted`): LF (also for
    /// CRLF) or CR alone. Nil when there is no line break yet, or the only one is a CR at the very end of
    /// what has arrived (its next byte decides); the scan goes on from there with the next block.
    private mutating func lineEnding() -> UInt8? {
        var (position, state) = (endingScanPosition, endingScanState)
        defer { (endingScanPosition, endingScanState) = (position, state) }
        return carry.withUnsafeBufferPointer { lineEnding(in: $0, position: &position, state: &state) }
    }

    /// `lineEnding()` over `bytes` from `position` in quote state `state`, both left where the scan stopped.
    private func lineEnding(in bytes: UnsafeBufferPointer<UInt8>, position: inout Int, state: inout QuoteState) -> UInt8? {
        while position < bytes.count {
            let c = bytes[position]
            if c == 10 || c == 13, !quoted || state != .quoted {
                if c == 10 { return 10 }
                guard position + 1 < bytes.count else { return nil }
                return bytes[position + 1] == 10 ? 10 : 13
            }
            if quoted { state = next(state, c) }
            position += 1
        }
        return nil
    }

    /// The quote state after byte `c` (not a line break ending the record).
    private func next(_ state: QuoteState, _ c: UInt8) -> QuoteState {
        switch state {
        case .quoted: return c == 34 ? .quoteInQuoted : .quoted
        case .quoteInQuoted where c == 34: return .quoted
        case .fieldStart where c == 34: return .quoted
        default: return isSeparator(c) ? .fieldStart : .unquoted
        }
    }
}

/// What a `LineSplitter` hands each line (record) to, with its number and whether it may hold a double quote
/// (`LineSplitter.Body`'s arguments): a reader's per-file state in one value, whose `line` the split loop is
/// made for and calls directly (through a closure, each line cost an indirect call whose forwarder copied
/// the closure's captured context).
protocol LineConsumer {
    mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int, mayHoldQuote: Bool) throws
}

/// A closure as a `LineConsumer` (the splitter's public, closure-taking API).
private struct ClosureLineConsumer: LineConsumer {
    let body: LineSplitter.Body

    func line(_ line: UnsafeBufferPointer<UInt8>, number: Int, mayHoldQuote: Bool) throws { try body(line, number, mayHoldQuote) }
}

extension ArchiveByteReader {
    /// Calls `body` with each line of the (decompressed) file and its 1-based number.
    /// (The third argument of `body` is `LineSplitter.Body`'s, always false here: a plain file is not quoted.)
    public func forEachLine(_ body: LineSplitter.Body) throws {
        var splitter = LineSplitter(source: path)
        try forEachLine(splitter: &splitter, body)
    }

    /// `forEachLine` through `splitter`, reset for this file (one splitter for a stream of files).
    func forEachLine(splitter: inout LineSplitter, _ body: LineSplitter.Body) throws {
        try withoutActuallyEscaping(body) { body in
            var consumer = ClosureLineConsumer(body: body)
            try forEachLine(splitter: &splitter, into: &consumer)
        }
    }

    /// `forEachLine` handing the lines to `consumer` (see `LineConsumer`).
    func forEachLine<Consumer: LineConsumer>(splitter: inout LineSplitter, into consumer: inout Consumer) throws {
        splitter.reset(source: path)
        try forEachBlock { try splitter.feedRecords($0, into: &consumer) }
        try splitter.finishRecords(into: &consumer)
    }

    /// What `body` makes of the file's first line (nil: the file has none), read no further than the
    /// block that ends it (without throwing to stop: a thrown error is a malloc, a file of a dataset's listing).
    func firstLine<T>(splitter: inout LineSplitter, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        splitter.reset(source: path)
        var result: T?
        let ended = try forEachBlock(until: { block in
            try splitter.feedRecords(block) { line, _, _ in
                if result == nil { result = try body(line) }
            }
            return result == nil
        })
        if ended, result == nil {
            try splitter.finishRecords { line, _, _ in
                if result == nil { result = try body(line) }
            }
        }
        return result
    }
}

/// Splits one CSV line on a separator into field ranges, for lines without a double quote (the fast path;
/// `CSVFields.splitQuoted` reads the others).
@inlinable public func splitFields(_ line: UnsafeBufferPointer<UInt8>, separator: UInt8, into fields: inout [Range<Int>]) {
    fields.removeAll(keepingCapacity: true)
    var start = 0
    var i = 0
    while i < line.count {
        if line[i] == separator {
            fields.append(start..<i)
            start = i + 1
        }
        i += 1
    }
    fields.append(start..<line.count)
}

extension UnsafeBufferPointer where Element == UInt8 {
    @inlinable public func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: self[range]), as: UTF8.self)
    }
}
