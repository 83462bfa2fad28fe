import Foundation
import TapebenchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one file the user named (`--junit FILE`, `--summary FILE`, `--json FILE`) through a
/// temporary name beside it, renamed into place when complete: the name holds the old or the new
/// file, never half of one. A folder at that name is an error, not something to replace.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw InputError(file: path.isEmpty ? "''" : path, message: "is not a file name")
        }
        if try FileSystem.kind(path) == .folder {
            throw FileSystemError(path: path, action: "cannot write the file", errno: EISDIR)
        }
        let (folder, name) = FileSystem.split(path)
        if !folder.isEmpty { try FileSystem.makeFolders(folder) }
        let temporary = (folder.isEmpty ? "" : folder == "/" ? "/" : folder + "/") + ".\(name).tmp-\(getpid())"
        try? FileSystem.removeTree(temporary)
        do {
            try FileSystem.writeNewFile(temporary, text)
            try FileSystem.move(temporary, path)
        } catch {
            try? FileSystem.removeTree(temporary)
            throw error
        }
    }
}
