#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore
import CArchive

/// Streams the bytes of a single file, decompressing it on the fly: a plain gzip file through ISA-L
/// (`GzipByteReader`, the day files' case: faster, and no libarchive set-up per file), anything else through
/// libarchive (any filter it knows, or the bytes as they are). Memory is one read block, whatever the file
/// size. Only regular files are read (see `InputFile`); an empty file, compressed or not, has no blocks.
public final class ArchiveByteReader {
    private let archive: OpaquePointer?
    private let gzip: GzipByteReader?
    private let file: InputFile
    public let path: String
    /// Nothing to read: an empty file, or a compressed file holding nothing (libarchive fails when asked
    /// for the data of an empty stream).
    private var empty = false

    /// `blockSize`: the read block (libarchive's, 64 KiB by default), or for gzip the decompressed block
    /// (256 KiB by default); a reader that wants only the first line asks for a small one.
    public convenience init(path: String, blockSize: Int? = nil) throws {
        try self.init(path: path, blockSize: blockSize, inflate: nil)
    }

    /// `inflate`: the buffers a gzip file is read through, shared by a stream of files read one after
    /// another (nil: its own, of `blockSize`).
    init(path: String, blockSize: Int? = nil, inflate: InflateBuffers?) throws {
        let file = try InputFile(path: path)
        self.file = file
        self.path = path
        if file.size == 0 {
            archive = nil
            gzip = nil
            empty = true
            return
        }
        if let inflate {
            // Shared buffers: the first block is read into them, and the magic seen there.
            let head = try GzipByteReader.readHead(file, into: inflate)
            if head.isGzip {
                archive = nil
                gzip = GzipByteReader(file: file, buffers: inflate, preloaded: head.count)
                return
            }
            // libarchive reads from the start.
            guard lseek(file.descriptor, 0, SEEK_SET) == 0 else {
                throw InputError(file: path, message: "cannot read: \(String(cString: strerror(errno)))")
            }
        } else if GzipByteReader.isGzip(file) {
            archive = nil
            gzip = GzipByteReader(file: file, outputSize: blockSize ?? GzipByteReader.defaultOutputSize)
            return
        }
        gzip = nil
        guard let archive = archive_read_new() else {
            throw InputError(file: path, message: "cannot allocate a libarchive reader")
        }
        self.archive = archive
        archive_read_support_filter_all(archive)
        archive_read_support_format_raw(archive)
        archive_read_support_format_empty(archive)
        guard archive_read_open_fd(archive, file.descriptor, blockSize ?? 1 << 16) == ARCHIVE_OK else {
            // deinit frees the reader: every stored property is set, so it runs when init throws.
            throw InputError(file: path, message: "cannot open: \(ArchiveByteReader.errorString(archive))")
        }
        var entry: OpaquePointer?
        let status = archive_read_next_header(archive, &entry)
        if status == ARCHIVE_EOF {
            empty = true
        } else if status != ARCHIVE_OK {
            throw InputError(file: path, message: "cannot read: \(ArchiveByteReader.errorString(archive))")
        }
    }

    // libarchive does not close a descriptor it was given; `file` closes it after the reader is freed.
    deinit { if let archive { archive_read_free(archive) } }

    /// Calls `body` with successive blocks of decompressed bytes until the end of the file.
    public func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        _ = try forEachBlock(until: { try body($0); return true })
    }

    /// `forEachBlock` until `body` returns false; returns whether the file was read to its end (a reader
    /// that wants only the start stops without throwing: a thrown error is a malloc).
    func forEachBlock(until body: (UnsafeRawBufferPointer) throws -> Bool) throws -> Bool {
        if empty { return true }
        if let gzip { return try gzip.forEachBlock(until: body) }
        guard let archive else { return true }
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        while true {
            let status = archive_read_data_block(archive, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return true }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw InputError(file: path, message: "corrupt or truncated data: \(ArchiveByteReader.errorString(archive))")
            }
            if let buffer, size > 0, !(try body(UnsafeRawBufferPointer(start: buffer, count: size))) { return false }
        }
    }

    static func errorString(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
