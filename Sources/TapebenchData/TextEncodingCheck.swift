#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore

/// Looks at the first bytes of a text file: a UTF-8 byte order mark (as spreadsheets write) is skipped;
/// UTF-16, UTF-32 and binary data are refused with a message that says what the file is, instead of an
/// unrelated parse error further on.
enum TextEncodingCheck {
    /// Bytes looked at for NULs.
    static let window = 4_096

    /// `bytes` without a UTF-8 byte order mark; throws when the start is not UTF-8 text.
    static func skippingByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws -> UnsafeBufferPointer<UInt8> {
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return UnsafeBufferPointer(rebasing: bytes[3...]) }
        if n >= 4, (bytes[0] == 0xFF && bytes[1] == 0xFE && bytes[2] == 0 && bytes[3] == 0) || (bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0xFE && bytes[3] == 0xFF) {
            throw InputError(file: source, line: 1, message: "UTF-32 text (byte order mark): save it as UTF-8")
        }
        if n >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw InputError(file: source, line: 1, message: "UTF-16 text (byte order mark): save it as UTF-8")
        }
        let head = UnsafeBufferPointer(rebasing: bytes[0..<min(n, window)])
        guard let base = head.baseAddress, let nul = memchr(base, 0, head.count) else { return bytes }
        let offset = base.distance(to: nul.assumingMemoryBound(to: UInt8.self))
        if let endian = utf16WithoutMark(head) {
            throw InputError(file: source, line: 1, message: "UTF-16 text (\(endian), no byte order mark): save it as UTF-8")
        }
        throw InputError(file: source, line: 1, message: "binary data, not text: a NUL byte at offset \(offset)")
    }

    /// "little-endian" or "big-endian" when the bytes look like ASCII text in UTF-16: every other byte NUL.
    static func utf16WithoutMark(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let pairs = bytes.count / 2
        guard pairs >= 2 else { return nil }
        var evenZeros = 0, oddZeros = 0
        for i in 0..<pairs {
            if bytes[2 * i] == 0 { evenZeros += 1 }
            if bytes[2 * i + 1] == 0 { oddZeros += 1 }
        }
        if oddZeros * 10 >= pairs * 9, evenZeros * 10 <= pairs { return "little-endian" }
        if evenZeros * 10 >= pairs * 9, oddZeros * 10 <= pairs { return "big-endian" }
        return nil
    }
}
