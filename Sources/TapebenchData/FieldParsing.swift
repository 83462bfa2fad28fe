import TapebenchCore

/// Byte-level parsers for CSV fields; each returns nil on malformed text.
public enum FieldParsing {
    /// An integer of the CSV readers: an optional `-`, then decimal digits, above `Int64.min` (`integer`
    /// without its `+` and its lowest value, as these readers have always read).
    public static func int64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.first != UInt8(ascii: "+"), let value = integer(bytes), value != .min else { return nil }
        return value
    }

    /// A whole number as `Int64(_:)` reads text: an optional `+` or `-`, then decimal digits, in range.
    public static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { i = 1 }
        guard i < bytes.count else { return nil }
        var value: Int64 = 0
        while i < bytes.count {
            let digit = bytes[i] &- 48
            guard digit < 10 else { return nil }
            // Built negative: Int64.min has no positive twin.
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.subtractingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            value = a
            i += 1
        }
        if negative { return value }
        let (positive, overflow) = (0 as Int64).subtractingReportingOverflow(value)
        return overflow ? nil : positive
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
