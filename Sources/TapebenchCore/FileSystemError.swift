#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with the machine rather than with the user's input: a full disk, a read-only folder, a
/// missing permission. Its description is the one line a user sees, naming the path, what Tapebench
/// tried and why it failed in plain words: `reports/runs/default: cannot write: no space left on the device`.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// What Tapebench tried, as words: "cannot write", "cannot create the folder".
    public var action: String
    /// Why it failed, as words.
    public var reason: String
    /// The POSIX error number behind it, when there is one.
    public var code: Int32?

    public init(path: String, action: String, reason: String, code: Int32? = nil) {
        self.path = path
        self.action = action
        self.reason = reason
        self.code = code
    }

    /// From a POSIX error number (`errno`).
    public init(path: String, action: String, errno code: Int32) {
        self.init(path: path, action: action, reason: FileSystemError.words(for: code), code: code)
    }

    public var description: String { "\(path): \(action): \(reason)" }

    /// Plain words for the error numbers a person can act on; `strerror` (lower-cased) for the rest.
    public static func words(for code: Int32) -> String {
        switch code {
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "the disk quota is used up"
        case EROFS: return "the file system is read-only"
        case EACCES, EPERM: return "permission denied"
        case ENOENT: return "no such file or folder"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case EISDIR: return "it is a folder, not a file"
        case EEXIST: return "something already exists there"
        case ENOTEMPTY: return "the folder is not empty"
        case ENAMETOOLONG: return "the name is too long"
        case ELOOP: return "too many symbolic links in the path"
        case EIO: return "input/output error (a failing disk or a lost network mount?)"
        case EXDEV: return "the two paths are on different file systems"
        case EMFILE, ENFILE: return "too many open files"
        case EBUSY: return "the file or folder is busy"
        case EFBIG: return "the file is too large for this file system"
        default:
            guard let text = strerror(code) else { return "error \(code)" }
            return String(cString: text).lowercased()
        }
    }
}
