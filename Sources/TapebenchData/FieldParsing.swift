import TapebenchCore

/// Byte-level parsers for CSV fields; each returns nil on malformed text.
public enum FieldParsing {
    public static func int64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if bytes.count > 0, bytes[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        guard i < bytes.count else { return nil }
        var value: Int64 = 0
        while i < bytes.count {
            let c = bytes[i]
            guard c >= 48, c <= 57 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - 48))
            guard !o1, !o2 else { return nil }
            value = a
            i += 1
        }
        return negative ? -value : value
    }

    /// Volume: an integer, or a decimal or exponent form as vendors write fractional volume.
    public static func volume(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let whole = int64(bytes) { return Double(whole) }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// Why a price field that `Fixed.parse` refused is a number out of range (`1e11`), or nil when it is not a
    /// number at all, so that the reader can say which.
    public static func priceOutOfRange(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return Limits.priceProblem(value)
    }
}
