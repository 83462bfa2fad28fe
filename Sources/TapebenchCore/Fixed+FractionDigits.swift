extension Fixed {
    /// Fraction digits the value of decimal text has, trailing zeros aside (`1.50` → 1, `15e-1` → 1, `100e-6` → 4);
    /// nil for text that is not `[-+]digits[.digits][(e|E)[-+]digits]` (the parser refuses it first).
    public static func significantFractionDigits(_ text: String) -> Int? {
        let parts = text.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false).flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        guard let mantissa = parts.first, parts.count <= 2 else { return nil }
        let exponent = parts.count == 2 ? Int(parts[1]) : 0
        guard let exponent, abs(exponent) <= 400 else { return nil }
        let halves = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let fraction = halves.count == 2 ? halves[1] : ""
        let digits = (halves[0] + fraction).filter(\.isNumber)
        let trailingZeros = digits.reversed().prefix { $0 == "0" }.count
        guard trailingZeros < digits.count else { return 0 }  // the value is zero
        return max(0, fraction.count - exponent - trailingZeros)
    }
}
