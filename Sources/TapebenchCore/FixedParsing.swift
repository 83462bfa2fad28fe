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
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Fixed? {
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
