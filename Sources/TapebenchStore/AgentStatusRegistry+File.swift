import Foundation
import GRDB
import TapebenchCore

extension AgentStatusRegistry {
    /// Whether the registry exists and is Tapebench's: false when nothing is at `path` (and `mayBeMissing`);
    /// an `InputError` for anything else there (a foreign file, a link, a folder). Reads the header bytes
    /// itself, so SQLite never opens, let alone changes, a file that is not a Tapebench registry.
    func checkOwned(mayBeMissing: Bool) throws -> Bool {
        var info = stat()
        if lstat(path, &info) != 0 {
            let code = errno
            if code == ENOENT && mayBeMissing { return false }
            throw FileSystemError(path: path, action: "cannot read the agent registry", errno: code)
        }
        func refuse(_ what: String) -> InputError {
            InputError(file: path, message: "\(what), not an agent registry Tapebench created; Tapebench changes only its own: choose another --registry, or move this file away")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw refuse("a symbolic link")
        case S_IFDIR: throw refuse("a folder")
        default: throw refuse("not a regular file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw FileSystemError(path: path, action: "cannot read the agent registry", errno: errno) }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 100) }
        guard count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw refuse(info.st_size == 0 ? "an empty file" : "not a SQLite database")
        }
        // The application id: bytes 68–71 of the header, big-endian.
        let id = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard Int32(bitPattern: id) == Self.applicationID else { throw refuse("a SQLite database of another program") }
        return true
    }

    /// Builds a new registry beside `path` and links it into place; when a file appeared at `path` meanwhile,
    /// that file is kept and checked instead (it must be Tapebench's).
    func create() throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileSystemError(path: folder, action: "cannot create the folder", reason: ErrorWords.of(error))
        }
        let temporary = folder + "/." + url.lastPathComponent + ".creating-\(getpid())"
        unlink(temporary)  // a leftover of this process id, killed before it linked
        defer { unlink(temporary) }
        do {
            let queue = try DatabaseQueue(path: temporary)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
                try db.inTransaction {
                    try db.execute(sql: Self.schema)
                    return .commit
                }
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw Self.failure(error, path: path, action: "cannot create the agent registry")
        }
        if link(temporary, path) != 0 {
            let code = errno
            guard code == EEXIST else { throw FileSystemError(path: path, action: "cannot create the agent registry", errno: code) }
            _ = try checkOwned(mayBeMissing: false)
        }
    }

    /// Runs `body` on the registry, SQLite errors as one line naming the file. Waits up to 10 s for another
    /// tapebench writing it.
    func withQueue<T>(readOnly: Bool, action: String, _ body: (DatabaseQueue) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try body(queue)
        } catch let error as DatabaseError {
            throw Self.failure(error, path: path, action: action)
        }
    }
}

extension AgentStatusRegistry {
    /// A SQLite error as one line naming the file (the run database's words, kept apart from it).
    static func failure(_ error: DatabaseError, path: String, action: String) -> FileSystemError {
        let reason: String
        switch error.resultCode {
        case .SQLITE_FULL: reason = FileSystemError.words(for: ENOSPC)
        case .SQLITE_READONLY: reason = FileSystemError.words(for: EROFS)
        case .SQLITE_PERM, .SQLITE_AUTH: reason = FileSystemError.words(for: EACCES)
        case .SQLITE_BUSY, .SQLITE_LOCKED: reason = "another process kept it locked for more than 10 s"
        case .SQLITE_CANTOPEN: reason = "SQLite cannot open it (a missing folder, no permission, or a folder in its place?)"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: reason = "not a valid SQLite database (truncated or damaged)"
        default: reason = "SQLite error \(error.resultCode.rawValue): \(error.message ?? "no message")"
        }
        return FileSystemError(path: path, action: action, reason: reason)
    }
}

/// Words for an error thrown by Foundation while making a folder.
enum ErrorWords {
    static func of(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return FileSystemError.words(for: Int32(underlying.code))
        }
        return FileSystemError.words(for: EIO)
    }
}
