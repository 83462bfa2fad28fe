import Foundation
import TapebenchCore
import TapebenchData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system calls the writers need, straight on POSIX so that each failure keeps its
/// `errno` and becomes a `FileSystemError` naming the path (Foundation's errors read
/// `NSCocoaErrorDomain Code=640` to a user).
enum FileSystem {
    enum Kind: Equatable { case missing, folder, file, link, other }

    /// The folder a path is in ("" for a bare name; "/" for a name in the root) and its last component.
    static func split(_ path: String) -> (folder: String, name: String) { PathText.split(path) }

    static func failure(_ path: String, _ action: String, _ code: Int32 = errno) -> FileSystemError {
        FileSystemError(path: path, action: action, errno: code)
    }

    /// What is at `path`, without following a final symbolic link.
    static func kind(_ path: String) throws -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return .missing }
            throw failure(path, "cannot use this path")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFREG: return .file
        case S_IFLNK: return .link
        default: return .other
        }
    }

    /// The names in a folder, sorted, without `.` and `..`; only those starting with `prefix` when one is
    /// given. The prefix is compared on the raw bytes before a name becomes a String: an output's parent
    /// can be a /tmp of tens of thousands of entries, of which only the output's own `.NAME.*` matter.
    static func entries(_ folder: String, startingWith prefix: String = "") throws -> [String] {
        guard let directory = opendir(folder) else { throw failure(folder, "cannot list the folder") }
        defer { closedir(directory) }
        let cPrefix = prefix.utf8CString, prefixLength = cPrefix.count - 1
        var names: [String] = []
        while let entry = readdir(directory) {
            let name: String? = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { text in
                    let matches = cPrefix.withUnsafeBufferPointer { strncmp(text, $0.baseAddress!, prefixLength) == 0 }
                    guard matches else { return nil }
                    return String(cString: text)
                }
            }
            if let name, name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The bytes of a regular file (a folder, a FIFO or a device is refused, never read or waited on).
    static func readFile(_ path: String) throws -> [UInt8] {
        try InputFile(path: path).readAll(limit: maximumReportFileBytes, what: "a report file")
    }

    /// Baselines are read whole; past this a file is not one Tapebench wrote for comparing.
    static let maximumReportFileBytes = 1 << 30

    /// Creates `path` and any missing folders above it (`mkdir -p`).
    static func makeFolders(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, 0o755) == 0 { continue }
            let code = errno
            var info = stat()
            guard code == EEXIST, stat(prefix, &info) == 0 else { throw failure(prefix, "cannot create the folder", code) }
            guard info.st_mode & S_IFMT == S_IFDIR else { throw failure(prefix, "cannot create a folder under it", ENOTDIR) }
        }
    }

    static func makeFolder(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 else { throw failure(path, "cannot create the folder") }
    }

    /// Writes a new file (it must not exist) and flushes it to the disk before returning, so that a
    /// rename after it publishes complete bytes even across a power cut.
    static func writeNewFile(_ path: String, _ text: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, "cannot create the file") }
        var text = text
        let written: Int32 = text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return fsync(descriptor) == 0 ? 0 : errno
        }
        let closed = close(descriptor) == 0 ? 0 : errno
        if written != 0 || closed != 0 { throw failure(path, "cannot write", written != 0 ? written : closed) }
    }

    /// Flushes a whole file to the disk (`fsync(2)`), so that a rename after it publishes complete bytes even
    /// across a power cut.
    static func syncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot open") }
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = close(descriptor) == 0 ? 0 : errno
        if synced != 0 || closed != 0 { throw failure(path, "cannot write", synced != 0 ? synced : closed) }
    }

    /// `rename(2)`: replaces a file or a symbolic link at `to` in one step, or an empty folder.
    static func move(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else { throw failure(to, "cannot rename \(from) to it") }
    }

    /// Removes a file, a link, or a folder with everything in it; nothing there is fine.
    static func removeTree(_ path: String) throws {
        switch try kind(path) {
        case .missing: return
        case .folder:
            for entry in try entries(path) { try removeTree(path + "/" + entry) }
            guard rmdir(path) == 0 else { throw failure(path, "cannot remove the folder") }
        default:
            guard unlink(path) == 0 else { throw failure(path, "cannot remove") }
        }
    }

    /// Makes a rename inside `folder` durable (best effort: some file systems cannot sync a folder).
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func makeLink(_ path: String, to target: String) throws {
        guard symlink(target, path) == 0 else { throw failure(path, "cannot create the symbolic link") }
    }

    // MARK: - Exchange

    enum Exchange { case done, unsupported }

    /// Swaps two existing paths in one step: at every instant each name holds one of the two. Linux
    /// `renameat2(RENAME_EXCHANGE)` (glibc exposes it from 2.28, Swift's Glibc module does not, so it is
    /// looked up by name); `unsupported` when the file system refuses (some network and FUSE mounts).
    static func exchange(_ a: String, _ b: String) throws -> Exchange {
        #if canImport(Glibc)
        guard let renameat2 = FileSystem.renameat2 else { return .unsupported }
        let renameExchange: UInt32 = 2  // RENAME_EXCHANGE in <linux/fs.h>
        if renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 { return .done }
        #else
        if renamex_np(a, b, UInt32(RENAME_SWAP)) == 0 { return .done }
        #endif
        let code = errno
        if code == EINVAL || code == ENOSYS || code == ENOTSUP || code == EOPNOTSUPP { return .unsupported }
        throw failure(b, "cannot swap \(a) into its place", code)
    }

    #if canImport(Glibc)
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
    static let renameat2 = SystemFunction.named("renameat2", as: RenameAt2.self)
    #endif
}
