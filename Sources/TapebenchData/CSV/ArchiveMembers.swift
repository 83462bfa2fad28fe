import CArchive
import TapebenchCore

/// Reads the regular-file members of a `.tar`, `.tar.gz`/`.tgz` or `.zip` in place through libarchive
/// (nothing is unpacked to disk), or a plain file (`.csv`, `.csv.gz`) as one member. Memory is one read
/// block whatever the archive's size. Links, folders and devices inside an archive are never followed;
/// they are counted, so that an archive holding nothing else can say so.
public final class ArchiveMembers {
    private let archive: OpaquePointer
    private let file: InputFile
    public let path: String
    public let isBundle: Bool
    /// Entries of a bundle that are not regular files (links, folders, devices), seen so far.
    public private(set) var skippedEntries: [(name: String, kind: String)] = []

    public static let bundleSuffixes = [".tar", ".tar.gz", ".tgz", ".zip"]

    public static func isBundle(_ path: String) -> Bool {
        let lower = path.lowercased()
        return bundleSuffixes.contains { lower.hasSuffix($0) }
    }

    public init(path: String) throws {
        let file = try InputFile(path: path)
        guard let archive = archive_read_new() else { throw InputError(file: path, message: "cannot allocate a libarchive reader") }
        self.archive = archive
        self.file = file
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
        guard file.size > 0 else { throw InputError(file: path, line: 1, message: "empty file (0 bytes)") }
        guard archive_read_open_fd(archive, file.descriptor, 1 << 16) == ARCHIVE_OK else {
            throw InputError(file: path, message: "cannot open: \(ArchiveByteReader.errorString(archive))")
        }
    }

    // libarchive does not close a descriptor it was given; `file` closes it after the reader is freed.
    deinit { archive_read_free(archive) }

    /// The name a plain file's single member is known by: the file name without `.gz`.
    var plainMemberName: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.lowercased().hasSuffix(".gz") ? String(name.dropLast(3)) : name
    }

    /// Calls `body` for each regular-file member with its name and a function streaming its bytes;
    /// `body` returns whether it read the member (unread members are skipped). A plain file that holds
    /// nothing (an empty `.gz`) is a member with no bytes.
    public func forEachMember(_ body: (_ name: String, _ read: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws -> Void) throws {
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF {
                // libarchive fails when asked for the data of an empty stream: hand over no bytes instead.
                if !isBundle { try body(plainMemberName) { _ in } }
                return
            }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw InputError(file: path, message: "corrupt or truncated archive: \(ArchiveByteReader.errorString(archive))")
            }
            let type = archive_entry_filetype(entry)
            let name = isBundle ? (archive_entry_pathname(entry).map { String(cString: $0) } ?? "") : plainMemberName
            // A hard link is stored as a regular entry with no data of its own: skipped like the other links.
            if isBundle, type != 0o100000 || archive_entry_hardlink(entry) != nil {  // AE_IFREG
                skippedEntries.append((name, ArchiveMembers.entryKind(type, entry)))
                continue
            }
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
            // A plain file is one member; what libarchive may say after it is not another.
            if !isBundle { return }
        }
    }

    static func entryKind(_ type: mode_t, _ entry: OpaquePointer) -> String {
        if archive_entry_hardlink(entry) != nil { return "hard link" }
        switch type {
        case 0o120000: return "symbolic link"
        case 0o040000: return "folder"
        case 0o010000: return "FIFO"
        case 0o020000, 0o060000: return "device"
        case 0o140000: return "socket"
        default: return "not a regular file"
        }
    }
}
