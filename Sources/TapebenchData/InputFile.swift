#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore

/// A regular file opened for reading. Anything else is refused with one line: a FIFO would block the
/// reader forever, a device such as `/dev/zero` never ends, a socket or a folder is not data.
///
/// The file is opened without blocking and checked through its descriptor (`fstat`), so the check and the
/// read are about the same file even when the name is swapped in between.
public final class InputFile {
    public let path: String
    public let descriptor: Int32
    /// Size in bytes when opened.
    public let size: Int64

    public init(path: String) throws {
        self.path = path
        // Through withCString: a Swift string passed as a C one was copied to a new array (a malloc a file).
        let fd = path.withCString { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw InputError(file: path, message: "cannot open: \(reason)")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw InputError(file: path, message: "cannot open: \(reason)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw InputError(file: path, message: "not a regular file (\(InputFile.kind(info.st_mode))); Tapebench reads only regular files and archive members")
        }
        descriptor = fd
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Refuses, with the same line as `init`, a path that names neither a regular file nor a folder (when
    /// a dataset is listed, before anything is opened).
    public static func checkKind(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }  // missing: said where it is opened
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFDIR else {
            throw InputError(file: path, message: "not a regular file (\(kind(info.st_mode))); Tapebench reads only regular files and archive members")
        }
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a folder"
        default: return "not a file"
        }
    }

    /// Calls `body` with successive blocks of the file's bytes.
    public func forEachBlock(size blockSize: Int = 1 << 16, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, blockSize)
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// The whole file, refused when it is larger than `limit` bytes (a file read whole must be bounded).
    public func readAll(limit: Int, what: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(size, Int64(limit))))
        try forEachBlock { block in
            guard bytes.count + block.count <= limit else {
                throw InputError(file: path, message: "larger than \(limit / (1 << 20)) MiB, the limit for \(what)")
            }
            bytes.append(contentsOf: block)
        }
        return bytes
    }
}
