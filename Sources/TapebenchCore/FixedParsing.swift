/// Exact parsing of decimal text into `Fixed`, without going through `Double`.
extension Fixed {
    /// Parses `[-+]digits[.digits][(e|E)[-+]digits]`. Digits beyond the eighth fraction digit are
    /// rounded by the one rule (ties to even). Returns nil for anything else, or for values out of range.
    public init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard let value = bytes.withUnsafeBufferPointer({ Fixed.parse($0) }) else { return nil }
        self = value
    }

    /// The byte-level parser behind `init(parsing:)`, also used directly by the CSV readers.
    @inlinable public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Fixed? {
        parsePlain(bytes) ?? parseGeneral(bytes)
    }

    /// The common case, in 64-bit arithmetic: `[-]digits[.digits]` with at most 8 fraction digits and
    /// at most 18 digits in all. Nil for anything else (left to the general parser).
    @inlinable static func parsePlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Fixed? {
        let n = bytes.count
        guard n > 0, n <= 20 else { return nil }
        var i = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        var value: Int64 = 0
        var digits = 0
        var fraction = -1  // fraction digits seen, -1 before the dot
        while i < n {
            let c = bytes[i]
            if c &- 48 < 10 {
                value = value &* 10 &+ Int64(c &- 48)
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else if c == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 18, fraction <= 8 else { return nil }
        var scaled = value
        var missing = Fixed.fractionDigits - max(fraction, 0)
        while missing > 0 {
            let (m, overflow) = scaled.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            scaled = m
            missing -= 1
        }
        return Fixed(raw: negative ? -scaled : scaled)
    }

    @usableFromInline static func parseGeneral(_ bytes: UnsafeBufferPointer<UInt8>) -> Fixed? {
        let n = bytes.count
        var i = 0
        var negative = false
        if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: Int128 = 0
        var significant = 0
        var exponent = 0
        var digitCount = 0
        var sawDot = false
        while i < n {
            let c = bytes[i]
            if c >= 48 && c <= 57 {
                digitCount += 1
                if mantissa != 0 || c != 48 { significant += 1 }
                if significant > 36 { return nil }  // beyond Int128; no real price has that many digits
                mantissa = mantissa * 10 + Int128(c - 48)
                if sawDot { exponent -= 1 }
            } else if c == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                break
            }
            i += 1
        }
        guard digitCount > 0 else { return nil }
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                e = e * 10 + Int(bytes[i] - 48)
                guard e <= 400 else { return nil }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        var shift = exponent + Fixed.fractionDigits
        var value = mantissa
        if shift >= 0 {
            while shift > 0 {
                value *= 10
                guard value <= Int128(Int64.max) else { return nil }
                shift -= 1
            }
        } else if shift < -38 {
            value = 0
        } else {
            var divisor: Int128 = 1
            while shift < 0 { divisor *= 10; shift += 1 }
            value = Fixed.divideRoundingHalfEvenWide(value, divisor)
        }
        guard value <= Int128(Int64.max) else { return nil }
        return Fixed(raw: negative ? -Int64(value) : Int64(value))
    }
}
