import Foundation
import TapebenchCore

/// The one line a user sees for an error, and the exit code that goes with it. Exit codes:
/// 0 ok, 1 a regression or error-level findings, 2 an input or environment error. Every error that
/// reaches the top of the command line passes through here, so no raw Foundation error
/// (`NSCocoaErrorDomain Code=640 …`) and no multi-line dump ever reaches a user.
public enum ErrorReport {
    public static let inputOrEnvironment: Int32 = 2

    /// The message for an error Tapebench knows (its own, Foundation's, POSIX), or nil for errors that
    /// belong to the command-line parser (help, usage, exit codes).
    public static func message(for error: Error) -> String? {
        switch error {
        case let e as InputError: return oneLine(e.description)
        case let e as FileSystemError: return oneLine(e.description)
        case let e as ForeignOutputError: return oneLine(e.description)
        case let e as OutputBusyError: return oneLine(e.description)
        case let e as DecodingError: return oneLine("cannot read JSON: \(decoding(e))")
        case let e as POSIXError: return FileSystemError.words(for: e.code.rawValue)
        default: break
        }
        let ns = error as NSError
        switch ns.domain {
        case NSCocoaErrorDomain: return oneLine(cocoa(ns))
        case NSPOSIXErrorDomain: return FileSystemError.words(for: Int32(ns.code))
        default: return nil
        }
    }

    /// A Foundation file error as "path: reason", the reason from the POSIX error beneath it when there is one.
    static func cocoa(_ error: NSError) -> String {
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        let where_ = path.map { "\($0): " } ?? ""
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return where_ + FileSystemError.words(for: Int32(underlying.code))
        }
        let reason: String
        switch CocoaError.Code(rawValue: error.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: reason = FileSystemError.words(for: ENOENT)
        case .fileReadNoPermission, .fileWriteNoPermission: reason = FileSystemError.words(for: EACCES)
        case .fileWriteOutOfSpace: reason = FileSystemError.words(for: ENOSPC)
        case .fileWriteVolumeReadOnly: reason = FileSystemError.words(for: EROFS)
        case .fileWriteFileExists: reason = FileSystemError.words(for: EEXIST)
        case .fileWriteInvalidFileName, .fileReadInvalidFileName: reason = "not a valid file name"
        case .fileReadCorruptFile: reason = "the file is damaged or not in the expected format"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: reason = "not text in the expected encoding (UTF-8)"
        case .fileReadTooLarge: reason = "the file is too large to read"
        case .propertyListReadCorrupt: reason = "not valid JSON"
        default: reason = "file error \(error.code)"
        }
        return where_ + reason
    }

    static func decoding(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "field '\(path)': ") + c.debugDescription
        @unknown default:
            return "not valid JSON"
        }
    }

    /// Line breaks as spaces, control characters as `?` (see `MarkdownText.terminal`), and at most
    /// 2 000 characters: one line, whatever a hostile file name or field held.
    public static func oneLine(_ text: String) -> String {
        var out = MarkdownText.terminal(text)
        if out.count > 2_000 { out = String(out.prefix(2_000)) + "…" }
        return out
    }
}
