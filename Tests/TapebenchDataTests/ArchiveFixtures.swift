import CArchive
import Foundation

/// Hostile archives made in the test, through libarchive's writer: a member can be a file of bytes, a
/// stream of one repeated byte (a small archive that expands large), or a link.
enum ArchiveFixture {
    enum Entry {
        case file(String, [UInt8])
        /// `count` copies of `byte`, written in blocks (never held whole).
        case repeated(String, byte: UInt8, count: Int)
        case symlink(String, target: String)
        case hardlink(String, target: String)
    }

    enum Kind { case zip, tar, tarGzip, gzip }

    static func write(_ path: String, _ kind: Kind, _ entries: [Entry]) throws {
        let archive = archive_write_new()!
        defer { archive_write_free(archive) }
        switch kind {
        case .zip: archive_write_set_format_zip(archive)
        case .tar: archive_write_set_format_pax_restricted(archive)
        case .tarGzip:
            archive_write_add_filter_gzip(archive)
            archive_write_set_format_pax_restricted(archive)
        case .gzip:
            archive_write_add_filter_gzip(archive)
            archive_write_set_format_raw(archive)
        }
        guard archive_write_open_filename(archive, path) == ARCHIVE_OK else { throw failure(archive) }
        for item in entries {
            let entry = archive_entry_new()!
            defer { archive_entry_free(entry) }
            switch item {
            case let .file(name, bytes):
                try header(archive, entry, name, size: bytes.count)
                if !bytes.isEmpty { _ = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) } }
            case let .repeated(name, byte, count):
                try header(archive, entry, name, size: count)
                let block = [UInt8](repeating: byte, count: 1 << 16)
                var left = count
                while left > 0 {
                    let n = min(left, block.count)
                    _ = block.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, n) }
                    left -= n
                }
            case let .symlink(name, target):
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, 0o120000)
                archive_entry_set_perm(entry, 0o777)
                archive_entry_set_symlink(entry, target)
                guard archive_write_header(archive, entry) == ARCHIVE_OK else { throw failure(archive) }
            case let .hardlink(name, target):
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, 0o100000)
                archive_entry_set_perm(entry, 0o644)
                archive_entry_set_hardlink(entry, target)
                archive_entry_set_size(entry, 0)
                guard archive_write_header(archive, entry) == ARCHIVE_OK else { throw failure(archive) }
            }
        }
        guard archive_write_close(archive) == ARCHIVE_OK else { throw failure(archive) }
    }

    private static func header(_ archive: OpaquePointer, _ entry: OpaquePointer, _ name: String, size: Int) throws {
        archive_entry_set_pathname(entry, name)
        archive_entry_set_filetype(entry, 0o100000)
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, Int64(size))
        guard archive_write_header(archive, entry) == ARCHIVE_OK else { throw failure(archive) }
    }

    private static func failure(_ archive: OpaquePointer) -> Error {
        NSError(domain: "ArchiveFixture", code: 1, userInfo: [NSLocalizedDescriptionKey: archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error"])
    }
}
