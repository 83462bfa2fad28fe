import CArchive
import TapebenchCore

/// Reads the regular-file members of a `.tar`, `.tar.gz`/`.tgz` or `.zip` in place through libarchive
/// (nothing is unpacked to disk), or a plain file (`.csv`, `.csv.gz`) as one member. Memory is one read
/// block whatever the archive's size.
public final class ArchiveMembers {
    private let archive: OpaquePointer
    public let path: String
    public let isBundle: Bool

    public static let bundleSuffixes = [".tar", ".tar.gz", ".tgz", ".zip"]

    public static func isBundle(_ path: String) -> Bool {
        let lower = path.lowercased()
        return bundleSuffixes.contains { lower.hasSuffix($0) }
    }

    public init(path: String) throws {
        guard let archive = archive_read_new() else { throw InputError(file: path, message: "cannot allocate a libarchive reader") }
        self.archive = archive
        self.path = path
        isBundle = ArchiveMembers.isBundle(path)
        archive_read_support_filter_all(archive)
        if isBundle {
            archive_read_support_format_tar(archive)
            archive_read_support_format_gnutar(archive)
            archive_read_support_format_zip(archive)
        } else {
            archive_read_support_format_raw(archive)
            archive_read_support_format_empty(archive)
        }
        guard archive_read_open_filename(archive, path, 1 << 16) == ARCHIVE_OK else {
            throw InputError(file: path, message: "cannot open: \(ArchiveByteReader.errorString(archive))")
        }
    }

    deinit { archive_read_free(archive) }

    /// The name a plain file's single member is known by: the file name without `.gz`.
    var plainMemberName: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.lowercased().hasSuffix(".gz") ? String(name.dropLast(3)) : name
    }

    /// Calls `body` for each regular-file member with its name and a function streaming its bytes;
    /// `body` returns whether it read the member (unread members are skipped).
    public func forEachMember(_ body: (_ name: String, _ read: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws -> Void) throws {
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { return }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw InputError(file: path, message: "corrupt or truncated archive: \(ArchiveByteReader.errorString(archive))")
            }
            let isRegular = !isBundle || archive_entry_filetype(entry) == 0o100000  // AE_IFREG
            let name = isBundle ? (archive_entry_pathname(entry).map { String(cString: $0) } ?? "") : plainMemberName
            guard isRegular else { continue }
            try body(name) { consume in
                var buffer: UnsafeRawPointer?
                var size = 0
                var offset: Int64 = 0
                while true {
                    let status = archive_read_data_block(self.archive, &buffer, &size, &offset)
                    if status == ARCHIVE_EOF { return }
                    guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                        let label = self.isBundle ? "\(self.path)[\(name)]" : self.path
                        throw InputError(file: label, message: "corrupt or truncated data: \(ArchiveByteReader.errorString(self.archive))")
                    }
                    if let buffer, size > 0 { try consume(UnsafeRawBufferPointer(start: buffer, count: size)) }
                }
            }
        }
    }
}
