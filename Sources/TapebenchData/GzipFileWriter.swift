import CArchive
import Foundation
import TapebenchCore

/// Writes through libarchive to a temporary name, renamed into place by `finish()`: a gzip-compressed
/// single file, or a `.tar.gz` of members. Deterministic (no timestamps in the gzip header or the
/// tar entries), streaming (a member's bytes go straight to the compressor).
public final class ArchiveFileWriter {
    private let archive: OpaquePointer
    public let path: String
    private let temporary: String
    private let isTar: Bool
    private var finished = false

    /// `tar`: a `.tar.gz` of members; otherwise one gzip-compressed file.
    public init(path: String, tar: Bool = false) throws {
        guard let archive = archive_write_new() else { throw InputError(file: path, message: "cannot allocate a libarchive writer") }
        self.archive = archive
        self.path = path
        self.temporary = path + ".partial"
        self.isTar = tar
        try check(archive_write_add_filter_gzip(archive), "gzip filter")
        try check(tar ? archive_write_set_format_pax_restricted(archive) : archive_write_set_format_raw(archive), "format")
        try check(archive_write_set_filter_option(archive, "gzip", "timestamp", nil), "gzip option")
        try check(archive_write_open_filename(archive, temporary), "open")
    }

    deinit {
        archive_write_free(archive)
        if !finished { unlink(temporary) }
    }

    private func check(_ status: Int32, _ what: String) throws {
        guard status == ARCHIVE_OK else {
            throw InputError(file: path, message: "\(what): \(archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error")")
        }
    }

    /// Starts a member of `size` bytes (for a single gzip file: the one member, of unknown size).
    public func beginMember(name: String, size: Int64?) throws {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_filetype(entry, 0o100000)  // AE_IFREG, a cast macro Swift cannot import
        archive_entry_set_perm(entry, 0o644)
        if let size { archive_entry_set_size(entry, size) } else { archive_entry_unset_size(entry) }
        try check(archive_write_header(archive, entry), "header")
    }

    public func write(_ bytes: [UInt8]) throws {
        let written = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw InputError(file: path, message: "short write") }
    }

    public func finish() throws {
        try check(archive_write_close(archive), "close")
        try FileManager.default.moveItemReplacing(at: temporary, with: path)
        finished = true
    }
}

/// One gzip-compressed file written whole.
public enum GzipFileWriter {
    public static func write(_ contents: [UInt8], to path: String) throws {
        let writer = try ArchiveFileWriter(path: path)
        try writer.beginMember(name: "data", size: Int64(contents.count))
        try writer.write(contents)
        try writer.finish()
    }
}

extension FileManager {
    /// Renames `source` to `destination`, replacing it if present.
    public func moveItemReplacing(at source: String, with destination: String) throws {
        if rename(source, destination) != 0 {
            throw InputError(file: destination, message: "cannot rename \(source) into place: \(String(cString: strerror(errno)))")
        }
    }
}
