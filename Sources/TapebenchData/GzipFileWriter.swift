import TapebenchCore
import CArchive
import Foundation

/// Writes one gzip-compressed file through libarchive, deterministically (no timestamp or name in
/// the gzip header), to a temporary name first and renamed into place when complete.
public enum GzipFileWriter {
    public static func write(_ contents: [UInt8], to path: String) throws {
        let temporary = path + ".partial"
        guard let archive = archive_write_new() else { throw InputError(file: path, message: "cannot allocate a libarchive writer") }
        defer { archive_write_free(archive) }
        func check(_ status: Int32, _ what: String) throws {
            guard status == ARCHIVE_OK else {
                throw InputError(file: path, message: "\(what): \(archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error")")
            }
        }
        try check(archive_write_add_filter_gzip(archive), "gzip filter")
        try check(archive_write_set_format_raw(archive), "raw format")
        try check(archive_write_set_filter_option(archive, "gzip", "timestamp", nil), "gzip option")
        try check(archive_write_open_filename(archive, temporary), "open")
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, "data")
        archive_entry_set_filetype(entry, 0o100000)  // AE_IFREG, a cast macro Swift cannot import
        archive_entry_set_size(entry, Int64(contents.count))
        try check(archive_write_header(archive, entry), "header")
        let written = contents.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw InputError(file: path, message: "short write") }
        try check(archive_write_close(archive), "close")
        try FileManager.default.moveItemReplacing(at: temporary, with: path)
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
