/// Text built as UTF-8 bytes, for writers that emit a row per event (CSV files, database rows): numbers,
/// money and times are written straight into a reused buffer, byte for byte the same as their canonical
/// `String` forms (`String(n)`, `Fixed.description`, `Timestamp.iso8601`, `CivilDate.description`), with no
/// `String` made on the way, so a writer allocates only when its buffer grows.
public struct ByteText: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }
    public var isEmpty: Bool { bytes.isEmpty }

    /// What `write` writes, as a `String`: for a report or a test, which want the text once (a row writer
    /// writes into its own reused buffer instead).
    public static func string(_ write: (inout ByteText) -> Void) -> String {
        var text = ByteText(capacity: 96)
        write(&text)
        return String(decoding: text.bytes, as: UTF8.self)
    }

    /// Empties the buffer and keeps its capacity.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    @inlinable public mutating func append(byte: UInt8) { bytes.append(byte) }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A static string's bytes (a fixed piece of a reason's text).
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) { self.bytes.append(contentsOf: bytes) }

    /// A whole number, as `String(value)` writes it.
    public mutating func append(integer value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        append(digitsOf: value.magnitude, width: 1)
    }

    public mutating func append(integer value: Int) { append(integer: Int64(value)) }

    /// Money or a price, exact: `value.formatted(minimumFractionDigits:)` (at least that many fraction
    /// digits, trailing zeros beyond them trimmed).
    public mutating func append(fixed value: Fixed, minimumFractionDigits: Int = 2) {
        if value.raw < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.raw.magnitude
        let scale = UInt64(Fixed.scale)
        append(digitsOf: magnitude / scale, width: 1)
        var fraction = magnitude % scale
        var digits = Fixed.fractionDigits
        while digits > minimumFractionDigits, fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        if digits > 0 {
            bytes.append(UInt8(ascii: "."))
            append(digitsOf: fraction, width: digits)
        }
    }

    /// `YYYY-MM-DD`, as `CivilDate.description` writes it.
    public mutating func append(date: CivilDate) {
        if date.year < 0 { bytes.append(UInt8(ascii: "-")) }
        append(digitsOf: UInt64(date.year.magnitude), width: 4)
        bytes.append(UInt8(ascii: "-"))
        append(digitsOf: UInt64(date.month), width: 2)
        bytes.append(UInt8(ascii: "-"))
        append(digitsOf: UInt64(date.day), width: 2)
    }

    /// ISO 8601 in UTC, as `Timestamp.iso8601` writes it (`2024-03-11T13:30:00Z`, fraction digits only when
    /// present).
    public mutating func append(iso8601 time: Timestamp) {
        let seconds = time.epochSeconds
        let fraction = time.nanoseconds - seconds * Timestamp.nanosecondsPerSecond
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        append(date: CivilDate(daysSinceEpoch: days))
        bytes.append(UInt8(ascii: "T"))
        append(digitsOf: UInt64(secondOfDay / 3600), width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(digitsOf: UInt64(secondOfDay / 60 % 60), width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(digitsOf: UInt64(secondOfDay % 60), width: 2)
        if fraction != 0 {
            var digits = 9, value = UInt64(fraction)
            while value % 10 == 0 {
                value /= 10
                digits -= 1
            }
            bytes.append(UInt8(ascii: "."))
            append(digitsOf: value, width: digits)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// The decimal digits of `value`, left-padded with zeros to at least `width`.
    public mutating func append(digitsOf value: UInt64, width: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes for up to 20 digits, without an array: no allocation
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            for _ in count..<max(width, count) { bytes.append(UInt8(ascii: "0")) }
            bytes.append(contentsOf: buffer[(24 - count)..<24])
        }
    }
}
