import Foundation
import TapebenchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written front to back as events happen: rows are formatted into `text` (a reused buffer) and
/// go to the file in writes of about `bufferSize` bytes. One per lane and file, touched only by the
/// thread replaying that lane. A failed write throws a `FileSystemError` naming the file.
final class StreamFile: @unchecked Sendable {
    static let bufferSize = 1 << 16

    // Unchecked exclusivity on the buffer (as `LaneSink`'s): one thread writes the file, and a row's
    // appends to `text` never overlap another access to it.
    let path: String
    private var descriptor: Int32
    /// Rows not yet written; a writer appends to it, then calls `rowEnded()`.
    @exclusivity(unchecked) var text = ByteText(capacity: StreamFile.bufferSize + 4_096)
    /// Bytes written to the file so far.
    @exclusivity(unchecked) private(set) var written = 0

    /// Creates `path`, which must not exist.
    init(creating path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.failure(path, "cannot create the file") }
    }

    deinit { if descriptor >= 0 { _ = posixClose(descriptor) } }

    /// After each row: writes the buffer out once it holds `bufferSize` bytes.
    func rowEnded() throws {
        if text.count >= StreamFile.bufferSize { try flush() }
    }

    func flush() throws {
        guard !text.isEmpty else { return }
        try text.withUnsafeBytes { try StreamFile.write(descriptor, $0, path: path) }
        written += text.count
        text.removeAll()
    }

    /// Writes what is buffered, flushes the file to the disk when asked, and closes it.
    func close(sync: Bool) throws {
        try flush()
        let synced = !sync || fsync(descriptor) == 0 ? 0 : errno
        let closed = posixClose(descriptor) == 0 ? 0 : errno
        descriptor = -1
        if synced != 0 || closed != 0 { throw FileSystem.failure(path, "cannot write", synced != 0 ? synced : closed) }
    }

    /// Appends the whole of the file at `part` (another lane's rows) to this one, in blocks.
    func append(contentsOf part: String) throws {
        try flush()
        let source = open(part, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw FileSystem.failure(part, "cannot read") }
        defer { _ = posixClose(source) }
        var block = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let n = block.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystem.failure(part, "cannot read")
            }
            if n == 0 { return }
            try block.withUnsafeBytes { try StreamFile.write(descriptor, UnsafeRawBufferPointer(rebasing: $0[0..<n]), path: path) }
            written += n
        }
    }

    private static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = posixWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystem.failure(path, "cannot write")
            }
            offset += n
        }
    }
}

// The class's own `close` and `write` hide the system calls inside it.
private func posixClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
