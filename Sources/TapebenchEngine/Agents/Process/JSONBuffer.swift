import TapebenchCore

/// JSON written by hand into a byte buffer that is reused from message to message: the bars message of
/// 200 tickers is written hundreds of thousands of times in a long replay, and `JSONEncoder` (reflection,
/// a dictionary per object, `Double` for every price) would cost more than the agent. Numbers are written
/// as Tapebench's canonical text, so a reader that parses the text gets exactly the value Tapebench holds.
struct JSONBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// A JSON string: `"`, `\` and control characters escaped, everything else as UTF-8.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs of plain bytes are copied at once; names and tickers are nearly always one run.
            var start = 0
            for (i, c) in utf8.enumerated() where c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                escape(c)
                start = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ c: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch c {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(c >> 4)], hex[Int(c & 15)]])
        }
    }

    /// `"key":` (keys are Tapebench's own constants, never escaped).
    mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func integer(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            digits(value.magnitude)
        } else {
            digits(UInt64(value))
        }
    }

    private mutating func digits(_ value: UInt64) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 digits of UInt64.max
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var i = buffer.count
            var v = value
            repeat {
                i -= 1
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[i...]))
        }
    }

    /// A fixed-point value as `Fixed.description` writes it: at least two fraction digits, at most eight,
    /// trailing zeros beyond two trimmed (`91.20`, `0.12345678`, `-3.00`).
    mutating func fixed(_ value: Fixed) {
        if value.raw < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.raw.magnitude
        digits(magnitude / UInt64(Fixed.scale))
        var fraction = magnitude % UInt64(Fixed.scale)
        var count = Fixed.fractionDigits
        while count > 2, fraction % 10 == 0 {
            fraction /= 10
            count -= 1
        }
        bytes.append(UInt8(ascii: "."))
        var divisor: UInt64 = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }

    /// A `Double` that round-trips: whole numbers below 2^53 as integers (volumes nearly always are),
    /// others in Swift's shortest round-trip form, which is valid JSON for every finite value.
    mutating func double(_ value: Double) {
        if value.magnitude < 9_007_199_254_740_992, let whole = Int64(exactly: value) {
            integer(whole)
        } else {
            precondition(value.isFinite, "JSON has no \(value)")
            rawText(value.description)
        }
    }

    /// Text that is JSON already (a scenario's params, converted once).
    mutating func rawText(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `null`, or the value written by `write`.
    mutating func optional<T>(_ value: T?, _ write: (inout JSONBuffer, T) -> Void) {
        if let value { write(&self, value) } else { raw("null") }
    }

    mutating func timestamp(_ time: Timestamp) { string(time.iso8601) }
}
