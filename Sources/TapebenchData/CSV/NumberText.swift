import TapebenchCore

/// Numbers as spreadsheets export them: thousands separators (`1,234.50`, `1.234,50`, `1 234,50`) and
/// decimal commas (`1234,50`). Grouping must be regular (groups of three digits after the first), so a
/// number is never guessed: `1,23.4` or `12,34` is not a number in either convention.
public enum NumberText {
    /// The plain form (`-1234.50`) of `bytes` under the decimal mark, or nil when it is not a number
    /// written that way. `decimalComma`: `,` is the decimal mark and `.` or a space groups thousands;
    /// otherwise `.` is the decimal mark and `,` groups thousands.
    public static func plain(_ bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> [UInt8]? {
        let decimal: UInt8 = decimalComma ? 44 : 46
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        if i < bytes.count, bytes[i] == 45 || bytes[i] == 43 {  // - +
            if bytes[i] == 45 { out.append(45) }
            i += 1
        }
        var groupDigits = 0       // digits in the current group of the integer part
        var groups = 0            // grouping marks seen
        var groupMark: UInt8 = 0  // the one grouping character this number uses
        var integerDigits = 0
        var sawDecimal = false
        var fractionDigits = 0
        while i < bytes.count {
            let c = bytes[i]
            if c >= 48 && c <= 57 {
                out.append(c)
                if sawDecimal { fractionDigits += 1 } else { groupDigits += 1; integerDigits += 1 }
            } else if c == decimal, !sawDecimal {
                sawDecimal = true
                out.append(46)
            } else if !sawDecimal, isGroupMark(c, decimalComma: decimalComma), groupMark == 0 || c == groupMark {
                // A group mark ends a group: the first of 1–3 digits, every later one of exactly 3.
                guard groupDigits >= 1, groups == 0 ? groupDigits <= 3 : groupDigits == 3 else { return nil }
                groupMark = c
                groups += 1
                groupDigits = 0
            } else {
                return nil
            }
            i += 1
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return nil }
        if groups > 0, groupDigits != 3 { return nil }
        if sawDecimal, fractionDigits == 0 { return nil }
        return out
    }

    static func isGroupMark(_ c: UInt8, decimalComma: Bool) -> Bool {
        decimalComma ? (c == 46 || c == 32) : c == 44
    }

    /// A price or other decimal written either way, exact.
    public static func fixed(_ bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Fixed? {
        guard let text = plain(bytes, decimalComma: decimalComma) else { return nil }
        return text.withUnsafeBufferPointer { Fixed.parse($0) }
    }

    /// A volume written either way.
    public static func double(_ bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Double? {
        guard let text = plain(bytes, decimalComma: decimalComma) else { return nil }
        return text.withUnsafeBufferPointer { FieldParsing.volume($0) }
    }

    /// `fixed` for text (dialect detection).
    static func fixed(_ text: String, decimalComma: Bool) -> Fixed? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { fixed(UnsafeBufferPointer($0), decimalComma: decimalComma) }
    }
}
