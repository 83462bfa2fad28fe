#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines (LF or CRLF; a final line without a newline counts), numbering
/// them from 1. A line is handed over as a buffer valid only during the call.
public struct LineSplitter {
    private var carry: [UInt8] = []
    public private(set) var lineNumber = 0

    public init() {}

    public mutating func feed(_ block: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        let bytes = block.bindMemory(to: UInt8.self)
        var start = 0
        let count = bytes.count
        while start < count {
            guard let newline = Self.indexOfNewline(bytes, from: start) else {
                carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<count]))
                return
            }
            lineNumber += 1
            if carry.isEmpty {
                try Self.emit(UnsafeBufferPointer(rebasing: bytes[start..<newline]), lineNumber, body)
            } else {
                carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<newline]))
                try carry.withUnsafeBufferPointer { try Self.emit($0, lineNumber, body) }
                carry.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
    }

    /// Hands over the last line when the stream does not end with a newline.
    public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        guard !carry.isEmpty else { return }
        lineNumber += 1
        try carry.withUnsafeBufferPointer { try Self.emit($0, lineNumber, body) }
        carry.removeAll()
    }

    private static func emit(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        if let last = line.last, last == UInt8(ascii: "\r") {
            try body(UnsafeBufferPointer(rebasing: line[0..<(line.count - 1)]), number)
        } else {
            try body(line, number)
        }
    }

    private static func indexOfNewline(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + start, 10, bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}

extension ArchiveByteReader {
    /// Calls `body` with each line of the (decompressed) file and its 1-based number.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        var splitter = LineSplitter()
        try forEachBlock { try splitter.feed($0, body) }
        try splitter.finish(body)
    }
}

/// Splits one CSV line on a separator into field ranges. No quoting: bar data never quotes numbers;
/// quoted dialects come with the data issue.
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
